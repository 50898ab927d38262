// Allure for `oidc-conformance run`: allure-vitest writes the results while the suites run (its
// setup file and reporter join the vitest run; each file's results as soon as it is done), then
// the `allure` package (Allure 3) renders them as one self-contained HTML file that opens from
// file:// with no network.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunnerTestFile } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

/** Awesome plugin with singleFile: true; the agent plugin (markdown for AI tools) is off. */
export const ALLURE_CONFIG = fileURLToPath(new URL('./allurerc.json', import.meta.url));
const GENERATE_TIMEOUT_MS = 120_000;

export interface AllureVitestParts {
  setupFile: string;
  reporter: Reporter;
}

/** The setup file and reporter allure-vitest adds to the vitest run. */
export async function allureVitest(resultsDir: string, environment: Record<string, string>): Promise<AllureVitestParts> {
  rmSync(resultsDir, { recursive: true, force: true }); // a rerun into the same directory starts clean
  const { default: AllureVitestReporter } = await import('allure-vitest/reporter');
  /**
   * allure-vitest writes every result when the run ends: ~2,800 files, 2 s in which the machine
   * has nothing else to do. This writes each suite file's results as soon as that file is done,
   * while the other files still run; the run's end writes only what is left (and the global
   * messages). The results are the same files.
   */
  class FileByFileReporter extends AllureVitestReporter {
    private readonly written = new Set<string>();

    onTestModuleEnd(testModule: TestModule): void {
      // The file's task: what allure-vitest's own onTestRunEnd reads from each module.
      const file = (testModule as unknown as { task?: RunnerTestFile }).task;
      if (!file) return;
      this.handleTask(file);
      this.written.add(testModule.moduleId);
    }

    override onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
      super.onTestRunEnd(testModules.filter((m) => !this.written.has(m.moduleId)));
    }
  }
  return {
    setupFile: fileURLToPath(import.meta.resolve('allure-vitest/setup')),
    reporter: new FileByFileReporter({ resultsDir, environmentInfo: environment }) as unknown as Reporter,
  };
}

function allureCli(): string {
  // The package's main module IS its CLI (importing it would run it), so resolve, never import.
  return join(dirname(fileURLToPath(import.meta.resolve('allure'))), '..', 'cli.js');
}

// Allure's awesome template always adds a Google Analytics tag. The report must work offline and
// holds details of the provider under test, so the tag is taken out: the page then loads nothing
// from the network (a test checks that no script or stylesheet comes from http(s)).
const ANALYTICS = /<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js\?[^"]*"><\/script>\s*<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*<\/script>/;

/** Removes the analytics tag from a generated report; returns whether it was there. */
export function stripAnalytics(htmlPath: string): boolean {
  const html = readFileSync(htmlPath, 'utf8');
  const stripped = html.replace(ANALYTICS, '<!-- analytics tag removed by oidc-conformance -->');
  if (stripped === html) return false;
  writeFileSync(htmlPath, stripped);
  return true;
}

export interface GeneratedReport {
  /** The single HTML file. */
  path: string;
  durationMs: number;
}

/** Renders `resultsDir` into `<outputDir>/index.html` with Allure 3; rejects with allure's output on failure. */
export async function generateAllureHtml(resultsDir: string, outputDir: string, reportName: string): Promise<GeneratedReport> {
  const started = Date.now();
  rmSync(outputDir, { recursive: true, force: true });
  const args = [allureCli(), 'generate', resultsDir, '--config', ALLURE_CONFIG, '--output', outputDir, '--name', reportName];
  const child = spawn(process.execPath, args, { cwd: dirname(resultsDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), GENERATE_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const path = join(outputDir, 'index.html');
  if (code !== 0 || !existsSync(path)) {
    throw new Error(`allure generate exited with ${code ?? 'a signal'}${output.trim() ? `:\n${output.trim()}` : ''}`);
  }
  stripAnalytics(path);
  return { path, durationMs: Date.now() - started };
}

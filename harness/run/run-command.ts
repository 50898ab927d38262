// `oidc-conformance run`: prepare the target (a profile, or the embedded reference provider),
// fetch discovery once, run the suites on vitest through its Node API, then write report.json,
// JUnit and the Allure results, print a summary, and return the exit code CI gates on.
import { accessSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildReport } from '../report/build-report.ts';
import type { Report } from '../report/types.ts';
import { writeReports } from '../report/write-report.ts';
import { loadProfile } from '../profile/load-profile.ts';
import type { TargetProfile } from '../profile/types.ts';
import { TARGET_ENV, profileSecrets } from '../target.ts';
import { BROWSER_EVIDENCE_ENV, type BrowserEvidence } from '../browser/artifacts.ts';
import { createRedactor } from '../http/redact.ts';
import { type AllureVitestParts, allureVitest, generateAllureHtml } from './allure-report.ts';
import { CheckCollector } from './check-collector.ts';
import { startEmbeddedTarget } from './embedded-target.ts';
import { describeTarget } from './preflight.ts';
import { CHROMIUM_PATH, HEADLESS_SHELL_HINT, ensureChromium } from '../browser/ensure-chromium.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PROVIDER_CONFIG = join(PACKAGE_ROOT, 'fixtures/reference-provider/config.json');
export const SUITES_GLOB = 'suites/**/*.suite.ts';

export class UsageError extends Error {}

/** Suites that drive a browser are named *.browser.suite.ts; they need Debian's Chromium. */
export function selectsBrowserSuites(only: string[]): boolean {
  const areas = only.map((o) => o.split('/')[0]!);
  const suitesDir = join(PACKAGE_ROOT, 'suites');
  if (!existsSync(suitesDir)) return false;
  return readdirSync(suitesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && (areas.length === 0 || areas.includes(entry.name)))
    .some((entry) => readdirSync(join(suitesDir, entry.name)).some((file) => file.endsWith('.browser.suite.ts')));
}

export interface RunOptions {
  profilePath?: string;
  only: string[];
  reportDir: string;
  strict: boolean;
  shard?: string;
  /** Faults for the embedded reference provider (proofs and mutation runs). */
  providerFaults: string[];
  quiet: boolean;
  /** Write the Allure results and the single-file HTML report (default); --no-allure skips both. */
  allure: boolean;
  /** --certification: the waits of the OpenID Foundation's certification plans (code reuse after 30 s). */
  certification: boolean;
  /**
   * Suite files run at once, each in its own worker process with its own Chromium (--workers N).
   * Default 2 on this kind of 2-core machine (measured: 1 worker 93 s, 2 workers 81 s, 3 and 4
   * slower, the browser work being CPU-bound), the CPU count less one on larger ones.
   */
  workers: number;
  /**
   * A screenshot and a Playwright trace per browser session, attached to failing checks (default);
   * --no-browser-evidence records neither (mutation runs, which only read the outcomes).
   */
  browserEvidence: boolean;
  /** --trace-snapshots: the traces also hold a DOM snapshot of every browser action (a slower run). */
  traceSnapshots: boolean;
}

/** The default of --workers: see RunOptions.workers. */
export function defaultWorkers(): number {
  return Math.max(2, availableParallelism() - 1);
}

export interface RunResult {
  report: Report;
  reportDir: string;
  exitCode: number;
  problems: string[];
  /** The single-file Allure HTML report, when it could be generated. */
  allureReport?: string;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

export function parseRunArgs(args: string[]): RunOptions {
  const { values } = parseArgs({
    args,
    options: {
      profile: { type: 'string' },
      only: { type: 'string', multiple: true },
      'report-dir': { type: 'string' },
      strict: { type: 'boolean' },
      shard: { type: 'string' },
      'provider-fault': { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      'no-allure': { type: 'boolean' },
      certification: { type: 'boolean' },
      workers: { type: 'string' },
      'no-browser-evidence': { type: 'boolean' },
      'trace-snapshots': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.shard !== undefined) shardOf(values.shard); // refuses 3/2, 0/2 and "half" before anything starts
  if (values.profile !== undefined && values['provider-fault']?.length) {
    throw new UsageError('--provider-fault applies to the embedded reference provider only (no --profile)');
  }
  if (values['no-browser-evidence'] && values['trace-snapshots']) throw new UsageError('--trace-snapshots and --no-browser-evidence exclude each other');
  const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers takes an integer from 1 to 64, not "${values.workers}"`);
  const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const item of only) {
    if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(item)) throw new UsageError(`--only takes an area or a check id, not "${item}"`);
  }
  return {
    profilePath: values.profile,
    only,
    reportDir: resolve(values['report-dir'] ?? join('reports', timestamp())),
    strict: values.strict ?? false,
    shard: values.shard,
    providerFaults: values['provider-fault'] ?? [],
    quiet: values.quiet ?? false,
    allure: !(values['no-allure'] ?? false),
    certification: values.certification ?? false,
    workers,
    browserEvidence: !(values['no-browser-evidence'] ?? false),
    traceSnapshots: values['trace-snapshots'] ?? false,
  };
}

/** `--shard i/n` (1 <= i <= n): the part of the suite files this run executes, as report.json records it. */
export function shardOf(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match) throw new UsageError(`--shard takes i/n, e.g. 1/2, not "${value}"`);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard i/n needs 1 <= i <= n, not "${value}"`);
  return { index, count };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** --only: an area selects every check whose id starts with it; an id selects that check. */
/** Only the selected areas' suite files are loaded: collecting every file for one check costs seconds. */
export function suiteGlobs(only: string[]): string[] {
  if (only.length === 0) return [SUITES_GLOB];
  return [...new Set(only.map((o) => o.split('/')[0]!))].map((area) => `suites/${area}/*.suite.ts`);
}

export function testNamePattern(only: string[]): string | undefined {
  if (only.length === 0) return undefined;
  return `^(${only.map((o) => `${escapeRegExp(o)}(/.*)?`).join('|')})$`;
}

function evidenceMode(options: Pick<RunOptions, 'browserEvidence' | 'traceSnapshots'>): BrowserEvidence {
  if (!options.browserEvidence) return 'off';
  return options.traceSnapshots ? 'snapshots' : 'on';
}

/**
 * Vitest's cache of transformed modules on disk (content-hashed, written atomically): each run
 * then skips transforming the harness and suites again, about half a second of a run's start-up
 * (a mutation score starts ~100 runs). Off when the package's node_modules is not writable (an
 * installed copy read-only to its user): the cache is an optimisation, never a reason to fail.
 * OIDC_CONFORMANCE_MODULE_CACHE=off turns it off.
 */
export function moduleCacheOptions(root: string = PACKAGE_ROOT, env: NodeJS.ProcessEnv = process.env): { fsModuleCache: boolean; fsModuleCachePath?: string } {
  if (env.OIDC_CONFORMANCE_MODULE_CACHE === 'off') return { fsModuleCache: false };
  const path = join(root, 'node_modules', '.experimental-vitest-cache');
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, fsConstants.W_OK);
    return { fsModuleCache: true, fsModuleCachePath: path };
  } catch {
    return { fsModuleCache: false };
  }
}

async function runSuites(options: RunOptions, targetFile: string, collector: CheckCollector, timeoutMs: number, allure: AllureVitestParts | undefined) {
  // Loaded here, not at the top: vitest/node takes about a second to import, which `list`,
  // `serve` and a refused profile need not pay.
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest(
    'test',
    [],
    {
      root: PACKAGE_ROOT,
      config: false,
      watch: false,
      include: suiteGlobs(options.only),
      setupFiles: allure ? [allure.setupFile] : [],
      reporters: allure ? [collector, allure.reporter] : [collector],
      testNamePattern: testNamePattern(options.only),
      shard: options.shard,
      passWithNoTests: true,
      // Suite files share their worker's module cache instead of re-importing the harness (jose,
      // ajv, undici...) per file: half the CPU of a run. Per-file state lives in createSuite.
      isolate: false,
      experimental: moduleCacheOptions(),
      maxWorkers: options.workers,
      testTimeout: timeoutMs,
      hookTimeout: timeoutMs,
      env: { [TARGET_ENV]: targetFile, [BROWSER_EVIDENCE_ENV]: evidenceMode(options) },
    },
    {},
  );
  await vitest.close();
}

export async function runConformance(options: RunOptions): Promise<RunResult> {
  const started = new Date();
  let profile: TargetProfile;
  let closeTarget = async () => {};
  if (options.profilePath) {
    profile = loadProfile(options.profilePath);
  } else {
    const embedded = await startEmbeddedTarget(DEFAULT_PROVIDER_CONFIG, options.providerFaults);
    profile = embedded.profile;
    closeTarget = embedded.close;
  }
  const problems: string[] = [];
  let browserPath: string | undefined;
  if (selectsBrowserSuites(options.only)) {
    const browser = ensureChromium();
    if (browser.ok) browserPath = browser.path;
    else {
      console.error(browser.message);
      problems.push(browser.message.split('\n')[0]!);
    }
  }
  const privateDir = mkdtempSync(join(tmpdir(), 'oidc-conformance-'));
  const collector = new CheckCollector({ write: options.quiet ? null : undefined });
  const allureResults = join(options.reportDir, 'allure-results');
  let allure: AllureVitestParts | undefined;
  try {
    if (options.allure) {
      allure = await allureVitest(allureResults, {
        issuer: profile.issuer,
        profile: options.profilePath ?? 'embedded reference provider',
        node: process.version,
        ...(options.shard ? { shard: options.shard } : {}),
      });
    }
    if (!options.quiet) console.log(`target ${profile.issuer} (${options.profilePath ?? 'embedded reference provider'})`);
    if (!options.quiet && browserPath) console.log(`browser ${browserPath}${browserPath === CHROMIUM_PATH ? ` (${HEADLESS_SHELL_HINT})` : ''}`);
    const description = await describeTarget(profile, options.profilePath ?? null);
    if (options.certification) description.certification = true;
    if (description.preflightError && !options.quiet) console.log(`target unavailable: ${description.preflightError}`);
    const targetFile = join(privateDir, 'target.json');
    writeFileSync(targetFile, JSON.stringify(description), { mode: 0o600 });
    await runSuites(options, targetFile, collector, profile.timeouts?.check_ms ?? 30_000, allure);
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
    await closeTarget();
  }

  const redactor = createRedactor(profileSecrets(profile));
  const verdicts = [...collector.verdicts.values()];
  const report = buildReport({
    target: {
      issuer: profile.issuer,
      profile: options.profilePath ?? null,
      name: profile.name,
      ...(!options.profilePath && options.providerFaults.length ? { faults: [...options.providerFaults] } : {}),
    },
    startedAt: started,
    durationMs: Date.now() - started.getTime(),
    shard: options.shard === undefined ? undefined : shardOf(options.shard),
    checks: verdicts.map((v) => ({ definition: v.definition, result: v.result, durationMs: v.durationMs })),
    exchanges: verdicts.flatMap((v) => v.exchanges),
    redact: (value) => redactor.redactValue(value),
  });
  mkdirSync(options.reportDir, { recursive: true });
  await writeReports(options.reportDir, report);
  const { fail, error, warn, total } = report.summary;
  problems.push(...collector.problems);
  // A shard may hold no suite file when n exceeds their number; merge checks the shards add up.
  if (total === 0 && options.shard === undefined) problems.push(options.only.length ? `no check matched --only ${options.only.join(' ')}` : 'no check ran');
  let allureReport: string | undefined;
  if (allure) {
    try {
      const html = await generateAllureHtml(allureResults, join(options.reportDir, 'allure-report'), `oidc-conformance: ${profile.name} (${profile.issuer})`);
      allureReport = html.path;
    } catch (failure) {
      problems.push(`the Allure HTML report could not be generated: ${(failure as Error).message}`);
    }
  }
  const exitCode = fail > 0 || error > 0 || (options.strict && warn > 0) || problems.length > 0 ? 1 : 0;
  return { report, reportDir: options.reportDir, exitCode, problems, allureReport };
}

export function formatSummary(result: RunResult): string {
  const { summary, checks } = result.report;
  const lines = ['', `checks: ${summary.total}  pass ${summary.pass}  fail ${summary.fail}  warn ${summary.warn}  skip ${summary.skip}  error ${summary.error}`];
  const bad = checks.filter((c) => c.outcome === 'FAIL' || c.outcome === 'ERROR');
  if (bad.length > 0) {
    lines.push('failures:');
    for (const c of bad) lines.push(`  ${c.outcome} ${c.id} [${c.level} ${c.refs.join(' ')}]: ${c.message}`);
  }
  for (const problem of result.problems) lines.push(`problem: ${problem}`);
  const shown = (path: string): string => {
    const rel = relative(process.cwd(), path);
    return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
  };
  const dir = shown(result.reportDir);
  lines.push(`report: ${join(dir, 'report.json')}`, `junit:  ${join(dir, 'junit.xml')}`);
  if (result.allureReport) lines.push(`allure: ${shown(result.allureReport)}  (single-file HTML, opens from file://)`);
  return lines.join('\n');
}

export async function runCommand(args: string[]): Promise<number> {
  const options = parseRunArgs(args);
  const result = await runConformance(options);
  console.log(formatSummary(result));
  return result.exitCode;
}

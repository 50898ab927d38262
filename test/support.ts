// Helpers for the harness's end-to-end tests: run the CLI as a user would and read its report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../harness/report/types.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export function runCli(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['bin/oidc-conformance.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: Date.now() - started });
    }),
  );
}

export function tempReportDir(): string {
  return mkdtempSync(join(tmpdir(), 'oc-report-'));
}

export function readReport(dir: string): Report {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
}

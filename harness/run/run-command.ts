// `oidc-conformance run`: prepare the target (a profile, or the embedded reference provider),
// fetch discovery once, run the suites on vitest through its Node API, then write report.json,
// JUnit and the Allure results, print a summary, and return the exit code CI gates on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startVitest } from 'vitest/node';
import { buildReport } from '../report/build-report.ts';
import type { Report } from '../report/types.ts';
import { writeReports } from '../report/write-report.ts';
import { loadProfile } from '../profile/load-profile.ts';
import type { TargetProfile } from '../profile/types.ts';
import { TARGET_ENV, profileSecrets } from '../target.ts';
import { createRedactor } from '../http/redact.ts';
import { CheckCollector } from './check-collector.ts';
import { startEmbeddedTarget } from './embedded-target.ts';
import { describeTarget } from './preflight.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PROVIDER_CONFIG = join(PACKAGE_ROOT, 'fixtures/reference-provider/config.json');
export const SUITES_GLOB = 'suites/**/*.suite.ts';

export class UsageError extends Error {}

export interface RunOptions {
  profilePath?: string;
  only: string[];
  reportDir: string;
  strict: boolean;
  shard?: string;
  /** Faults for the embedded reference provider (proofs and mutation runs). */
  providerFaults: string[];
  quiet: boolean;
}

export interface RunResult {
  report: Report;
  reportDir: string;
  exitCode: number;
  problems: string[];
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
    },
    strict: true,
  });
  if (values.shard !== undefined && !/^\d+\/\d+$/.test(values.shard)) throw new UsageError(`--shard takes i/n, e.g. 1/2, not "${values.shard}"`);
  if (values.profile !== undefined && values['provider-fault']?.length) {
    throw new UsageError('--provider-fault applies to the embedded reference provider only (no --profile)');
  }
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
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** --only: an area selects every check whose id starts with it; an id selects that check. */
export function testNamePattern(only: string[]): string | undefined {
  if (only.length === 0) return undefined;
  return `^(${only.map((o) => `${escapeRegExp(o)}(/.*)?`).join('|')})$`;
}

async function runSuites(options: RunOptions, targetFile: string, collector: CheckCollector, timeoutMs: number) {
  const vitest = await startVitest(
    'test',
    [],
    {
      root: PACKAGE_ROOT,
      config: false,
      watch: false,
      include: [SUITES_GLOB],
      reporters: [collector],
      testNamePattern: testNamePattern(options.only),
      shard: options.shard,
      passWithNoTests: true,
      testTimeout: timeoutMs,
      hookTimeout: timeoutMs,
      env: { [TARGET_ENV]: targetFile },
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
  const privateDir = mkdtempSync(join(tmpdir(), 'oidc-conformance-'));
  const collector = new CheckCollector({ write: options.quiet ? null : undefined });
  try {
    if (!options.quiet) console.log(`target ${profile.issuer} (${options.profilePath ?? 'embedded reference provider'})`);
    const description = await describeTarget(profile, options.profilePath ?? null);
    if (description.preflightError && !options.quiet) console.log(`target unavailable: ${description.preflightError}`);
    const targetFile = join(privateDir, 'target.json');
    writeFileSync(targetFile, JSON.stringify(description), { mode: 0o600 });
    await runSuites(options, targetFile, collector, profile.timeouts?.check_ms ?? 30_000);
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
    await closeTarget();
  }

  const redactor = createRedactor(profileSecrets(profile));
  const verdicts = [...collector.verdicts.values()];
  const report = buildReport({
    target: { issuer: profile.issuer, profile: options.profilePath ?? null },
    startedAt: started,
    durationMs: Date.now() - started.getTime(),
    checks: verdicts.map((v) => ({ definition: v.definition, result: v.result, durationMs: v.durationMs })),
    exchanges: verdicts.flatMap((v) => v.exchanges),
    redact: (value) => redactor.redactValue(value),
  });
  mkdirSync(options.reportDir, { recursive: true });
  await writeReports(options.reportDir, report);
  const { fail, error, warn, total } = report.summary;
  const problems = [...collector.problems];
  if (total === 0) problems.push(options.only.length ? `no check matched --only ${options.only.join(' ')}` : 'no check ran');
  const exitCode = fail > 0 || error > 0 || (options.strict && warn > 0) || problems.length > 0 ? 1 : 0;
  return { report, reportDir: options.reportDir, exitCode, problems };
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
  const dir = relative(process.cwd(), result.reportDir) || '.';
  lines.push(`report: ${join(dir, 'report.json')}`, `junit:  ${join(dir, 'junit.xml')}`);
  return lines.join('\n');
}

export async function runCommand(args: string[]): Promise<number> {
  const options = parseRunArgs(args);
  const result = await runConformance(options);
  console.log(formatSummary(result));
  return result.exitCode;
}

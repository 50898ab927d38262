// Scale-out, end to end, as CI does it: `run --shard 1/2` and `run --shard 2/2` against the
// embedded reference provider (each its own process and provider), then `merge` of the two
// report directories. The runs select the HTTP suites (every area without a *.browser.suite.ts)
// and two of the browser suites (implicit, id-token: their flows take seconds, not the minute of
// all of them), so shards of either kind are merged. The merged report holds exactly the check
// outcomes of a single whole run,
// is valid against the published schema, and comes with JUnit and one Allure report built from
// both shards' results. `diff` and `compare` of the whole run and the merged one find nothing.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import reportSchema from '../harness/report/report.schema.json' with { type: 'json' };
import type { Report } from '../harness/report/types.ts';
import { validateReport } from '../harness/report/validate-report.ts';
import { type CliResult, ROOT, readReport, runCli, tempReportDir } from './support.ts';

const RUN_TIMEOUT_MS = 300_000;

/** Areas whose suites are all HTTP (no *.browser.suite.ts), as --only arguments. */
function httpAreas(): string[] {
  const suites = join(ROOT, 'suites');
  return readdirSync(suites, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .filter((e) => {
      const files = readdirSync(join(suites, e.name));
      return files.some((f) => f.endsWith('.suite.ts')) && !files.some((f) => f.endsWith('.browser.suite.ts'));
    })
    .flatMap((e) => ['--only', e.name]);
}

/** Browser suites the runs add to the HTTP ones: the two quickest. */
const BROWSER_AREAS = ['implicit', 'id-token'];

function outcomes(report: Report): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.outcome]));
}

function schemaValid(report: Report): void {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(reportSchema);
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  expect(validateReport(report).errors).toEqual([]);
}

describe('run --shard i/n, then merge', { timeout: 120_000 }, () => {
  const root = tempReportDir();
  const dir = { whole: join(root, 'whole'), s1: join(root, 'shard-1'), s2: join(root, 'shard-2'), merged: join(root, 'merged') };
  const runs: Record<string, CliResult> = {};
  let whole: Report;
  let shard1: Report;
  let shard2: Report;
  let merged: Report;

  beforeAll(async () => {
    const only = [...httpAreas(), ...BROWSER_AREAS.flatMap((area) => ['--only', area])];
    expect(only.length).toBeGreaterThanOrEqual(2 * 2); // at least two areas, so each shard has one
    // The shards keep the Allure output on (merge joins it); the whole run, the yardstick, skips it.
    // All three at once, as CI jobs would run: each starts its own provider on its own port.
    [runs.s1, runs.s2, runs.whole] = await Promise.all([
      runCli(['run', ...only, '--quiet', '--shard', '1/2', '--report-dir', dir.s1], { timeoutMs: RUN_TIMEOUT_MS }),
      runCli(['run', ...only, '--quiet', '--shard', '2/2', '--report-dir', dir.s2], { timeoutMs: RUN_TIMEOUT_MS }),
      runCli(['run', ...only, '--quiet', '--no-allure', '--report-dir', dir.whole], { timeoutMs: RUN_TIMEOUT_MS }),
    ]);
    runs.merge = await runCli(['merge', dir.s1, dir.s2, '--out', dir.merged], { timeoutMs: RUN_TIMEOUT_MS });
    whole = readReport(dir.whole);
    shard1 = readReport(dir.s1);
    shard2 = readReport(dir.s2);
    merged = readReport(dir.merged);
  }, RUN_TIMEOUT_MS * 2);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs each shard as its own valid report that says which shard it is', () => {
    // 0, or 1 if a check fails: either way a run that wrote its report (2 would be bad usage).
    for (const name of ['s1', 's2', 'whole'] as const) expect([0, 1], runs[name]!.stdout + runs[name]!.stderr).toContain(runs[name]!.code);
    schemaValid(shard1);
    schemaValid(shard2);
    expect(shard1.shard).toEqual({ index: 1, count: 2 });
    expect(shard2.shard).toEqual({ index: 2, count: 2 });
    expect(whole).not.toHaveProperty('shard');
    // Two real halves: each holds checks, none holds a check of the other.
    expect(shard1.summary.total).toBeGreaterThan(0);
    expect(shard2.summary.total).toBeGreaterThan(0);
    // The browser suites ran (their flows passed), in whichever shard holds their files.
    for (const area of BROWSER_AREAS) expect(whole.checks.filter((c) => c.area === area && c.outcome === 'PASS').length, area).toBeGreaterThan(0);
    const ids1 = new Set(shard1.checks.map((c) => c.id));
    expect(shard2.checks.filter((c) => ids1.has(c.id))).toEqual([]);
  });

  it('merges them into the check outcomes of a single whole run, valid against the schema', () => {
    expect(runs.merge!.stderr).toBe('');
    // merge gates like run: the whole run's exit code.
    expect(runs.merge!.code, runs.merge!.stdout).toBe(runs.whole!.code);
    expect(runs.merge!.stdout).toMatch(/^merged 2 reports \(shards 1\/2, 2\/2\) of reference-provider \(http:\/\/127\.0\.0\.1:\d+\/oidc\)\n/);
    schemaValid(merged);
    expect(outcomes(merged)).toEqual(outcomes(whole));
    expect(merged.summary).toEqual(whole.summary);
    expect(merged).not.toHaveProperty('shard');
    expect(merged.target).toEqual(shard1.target);
    expect(merged.mergedFrom).toEqual([
      { issuer: shard1.target.issuer, startedAt: shard1.startedAt, durationMs: shard1.durationMs, total: shard1.summary.total, shard: { index: 1, count: 2 } },
      { issuer: shard2.target.issuer, startedAt: shard2.startedAt, durationMs: shard2.durationMs, total: shard2.summary.total, shard: { index: 2, count: 2 } },
    ]);
    const junit = readFileSync(join(dir.merged, 'junit.xml'), 'utf8');
    const { total, fail, error, skip } = whole.summary;
    expect(junit).toMatch(new RegExp(`<testsuites name="oidc-conformance" tests="${total}" failures="${fail}" errors="${error}" skipped="${skip}"`));
    expect(junit.match(/<testcase /g)?.length).toBe(whole.summary.total);
  });

  it('joins both shards\' Allure results into one results directory and one single-file HTML report', () => {
    const results = join(dir.merged, 'allure-results');
    const files = readdirSync(results);
    const ids = files
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => (JSON.parse(readFileSync(join(results, f), 'utf8')) as { labels: Array<{ name: string; value: string }> }).labels.find((l) => l.name === 'ALLURE_ID')?.value);
    expect(ids.sort()).toEqual(whole.checks.map((c) => c.id).sort());
    const shardFiles = [...readdirSync(join(dir.s1, 'allure-results')), ...readdirSync(join(dir.s2, 'allure-results'))];
    expect(files.filter((f) => f !== 'environment.properties').sort()).toEqual(shardFiles.filter((f) => f !== 'environment.properties').sort());
    expect(readFileSync(join(results, 'environment.properties'), 'utf8')).toMatch(/^shard=1\/2, 2\/2$/m);
    const html = join(dir.merged, 'allure-report', 'index.html');
    expect(existsSync(html)).toBe(true);
    expect(runs.merge!.stdout).toContain(`allure: ${html}`);
    const text = readFileSync(html, 'utf8');
    expect(text.match(/<(?:script|link|img)\b[^>]*\b(?:src|href)="(?!data:)[^"]*"/g) ?? []).toEqual([]);
    expect(text).not.toContain('googletagmanager');
    expect(text).toContain('oidc-conformance: reference-provider');
  });

  it('diff and compare of the whole run and the merged one find no difference', async () => {
    const [diff, compare] = await Promise.all([
      runCli(['diff', dir.whole, dir.merged]),
      runCli(['compare', dir.whole, dir.merged, '--out', join(root, 'compare')]),
    ]);
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(new RegExp(`\nunchanged: ${whole.summary.total}\nno regression\n$`));
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).toMatch(new RegExp(`^${whole.summary.total} checks, 0 differ between targets\n`));
    expect(compare.stdout).toMatch(/ {2}reference-provider \(whole\) +pass/);
    expect(compare.stdout).toMatch(/ {2}reference-provider \(merged\) {2}pass/);
  });

  it('refuses a shard that does not exist before starting anything (exit 2)', async () => {
    const results = await Promise.all(['3/2', '0/2', '1/0'].map((shard) => runCli(['run', '--shard', shard, '--report-dir', join(root, 'never')])));
    results.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toBe(`--shard i/n needs 1 <= i <= n, not "${['3/2', '0/2', '1/0'][i]}"\n`);
    });
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  it('refuses to merge part of a sharded run, or shards with a whole run (exit 2, the reason)', async () => {
    const [alone, mixed] = await Promise.all([
      runCli(['merge', dir.s1, '--out', join(root, 'alone')]),
      runCli(['merge', dir.s1, dir.s2, dir.whole, '--out', join(root, 'mixed')]),
    ]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^oidc-conformance merge: shard 2\/2 missing: a merge of a sharded run needs all 2 shards \(given: 1\/2\)/);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/cannot merge shards with whole runs: .*whole\/report\.json is not a shard/);
    expect(existsSync(join(root, 'alone'))).toBe(false);
    expect(existsSync(join(root, 'mixed'))).toBe(false);
  });
});

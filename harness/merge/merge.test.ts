// `merge`: what it joins (totals recomputed, valid against the published schema, mergedFrom), what
// it refuses with a precise message (different targets, shards that do not add up, conflicting
// outcomes, different tool versions), the Allure results it concatenates, and the command's exit
// codes. The end-to-end shard run is test/shard-merge.test.ts.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import schema from '../report/report.schema.json' with { type: 'json' };
import { validateReport } from '../report/validate-report.ts';
import type { Report } from '../report/types.ts';
import { runCli } from '../../test/support.ts';
import type { LoadedReport } from '../compare/read-report.ts';
import { type FixtureOptions, fixtureReport, tempDir, writeFixture } from '../compare/fixture-reports.ts';
import { mergeAllureResults, mergeEnvironment } from './merge-allure.ts';
import { MergeError, mergeReports } from './merge-reports.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function loaded(path: string, options: FixtureOptions): LoadedReport {
  return { path, dir: path.replace(/\/report\.json$/, ''), report: fixtureReport(options) };
}

function refusal(inputs: LoadedReport[]): string {
  try {
    mergeReports(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(MergeError);
    return (error as Error).message;
  }
  throw new Error('mergeReports did not refuse');
}

const shard1 = loaded('s1/report.json', {
  shard: { index: 1, count: 2 }, issuer: 'http://127.0.0.1:40001/oidc', startedAt: '2030-01-01T00:00:10.000Z', durationMs: 5000,
  checks: { 'discovery/a': 'PASS', 'discovery/b': 'WARN', 'jwks/c': 'FAIL' },
});
const shard2 = loaded('s2/report.json', {
  shard: { index: 2, count: 2 }, issuer: 'http://127.0.0.1:40002/oidc', startedAt: '2030-01-01T00:00:00.000Z', durationMs: 8000,
  checks: { 'token/d': 'PASS', 'token/e': { outcome: 'SKIP', level: 'SHOULD' } },
});

describe('mergeReports', () => {
  it('joins the shards of a run: every check once, totals recomputed, valid against the schema', () => {
    const merged = mergeReports([shard2, shard1]);
    expect(merged.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['discovery/a', 'PASS'], ['discovery/b', 'WARN'], ['jwks/c', 'FAIL'], ['token/d', 'PASS'], ['token/e', 'SKIP'],
    ]);
    expect(merged.summary).toEqual({ total: 5, pass: 2, fail: 1, warn: 1, skip: 1, error: 0 });
    expect(merged).not.toHaveProperty('shard');
    // The target as shard 1 states it; the earliest start; the span to the latest end (00:15).
    expect(merged.target).toEqual({ issuer: 'http://127.0.0.1:40001/oidc', profile: null, name: 'reference-provider' });
    expect(merged.startedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(merged.durationMs).toBe(15_000);
    expect(merged.mergedFrom).toEqual([
      { issuer: 'http://127.0.0.1:40001/oidc', startedAt: '2030-01-01T00:00:10.000Z', durationMs: 5000, total: 3, shard: { index: 1, count: 2 } },
      { issuer: 'http://127.0.0.1:40002/oidc', startedAt: '2030-01-01T00:00:00.000Z', durationMs: 8000, total: 2, shard: { index: 2, count: 2 } },
    ]);
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    expect(validateReport(merged).errors).toEqual([]);
  });

  it('joins whole runs of different selections, one copy of a check two runs agree on', () => {
    const a = loaded('a/report.json', { profile: 'op.json', name: 'op', issuer: 'https://op.example', checks: { 'discovery/a': 'PASS', 'jwks/c': 'FAIL' } });
    const b = loaded('b/report.json', { profile: 'elsewhere/op.json', name: 'op', issuer: 'https://op.example', checks: { 'jwks/c': 'FAIL', 'token/d': 'ERROR' } });
    const merged = mergeReports([a, b]);
    expect(merged.summary).toEqual({ total: 3, pass: 1, fail: 1, warn: 0, skip: 0, error: 1 });
    expect(merged.target.profile).toBe('op.json');
    // A merged report joined again: its sources, not itself, are listed.
    const again = mergeReports([{ path: 'm/report.json', dir: 'm', report: merged }, loaded('c/report.json', { profile: 'op.json', name: 'op', issuer: 'https://op.example', checks: { 'x/y': 'PASS' } })]);
    expect(again.mergedFrom?.map((s) => s.total)).toEqual([2, 2, 1]);
  });

  it('refuses reports of different targets, naming each', () => {
    const ref = loaded('ref/report.json', { checks: { 'a/b': 'PASS' } });
    const nop = loaded('nop/report.json', { profile: 'fixtures/targets/nop.json', name: 'node-oidc-provider', issuer: 'http://127.0.0.1:4455/oidc', checks: { 'a/c': 'PASS' } });
    expect(refusal([ref, nop])).toBe(
      'cannot merge reports of different targets:\n' +
        '  ref/report.json: reference-provider at http://127.0.0.1:4000/oidc (the embedded reference provider)\n' +
        '  nop/report.json: node-oidc-provider at http://127.0.0.1:4455/oidc (profile fixtures/targets/nop.json)',
    );
    // The same profile name at another issuer is another target...
    const other = loaded('other/report.json', { profile: 'fixtures/targets/nop.json', name: 'node-oidc-provider', issuer: 'https://nop.example', checks: { 'a/d': 'PASS' } });
    expect(refusal([nop, other])).toMatch(/^cannot merge reports of different targets:\n.*4455.*\n.*nop\.example/);
    // ... the embedded provider with a fault is another target (its port changes every run, which is not).
    const faulty = loaded('faulty/report.json', { faults: ['pkce-ignored'], issuer: 'http://127.0.0.1:4999/oidc', checks: { 'a/e': 'FAIL' } });
    expect(refusal([ref, faulty])).toMatch(/faulty\/report\.json: reference-provider at http:\/\/127\.0\.0\.1:4999\/oidc \(the embedded reference provider with faults pkce-ignored\)/);
  });

  it('refuses shards that do not add up to a whole run', () => {
    expect(refusal([shard1])).toBe('shard 2/2 missing: a merge of a sharded run needs all 2 shards (given: 1/2)');
    expect(refusal([shard1, shard1])).toBe('a shard given twice: shard 1/2 in s1/report.json and s1/report.json');
    const third = loaded('t3/report.json', { shard: { index: 3, count: 3 }, checks: { 'z/z': 'PASS' } });
    expect(refusal([shard1, shard2, third])).toBe('cannot merge shards of differently split runs: s1/report.json is shard 1/2, s2/report.json is shard 2/2, t3/report.json is shard 3/3');
    const whole = loaded('whole/report.json', { checks: { 'z/z': 'PASS' } });
    expect(refusal([shard1, whole, shard2])).toBe('cannot merge shards with whole runs: whole/report.json is not a shard (no "shard" in report.json), s1/report.json is shard 1/2, s2/report.json is shard 2/2');
  });

  it('refuses a check with different outcomes in two reports, listing each', () => {
    const a = loaded('a/report.json', { checks: { 'discovery/a': 'PASS', 'jwks/c': 'FAIL', 'x/same': 'PASS' } });
    const b = loaded('b/report.json', { checks: { 'discovery/a': 'FAIL', 'jwks/c': 'ERROR', 'x/same': 'PASS' } });
    const c = loaded('c/report.json', { checks: { 'discovery/a': 'WARN' } });
    expect(refusal([a, b, c])).toBe(
      'cannot merge: 2 checks have different outcomes in different reports:\n' +
        '  discovery/a: PASS in a/report.json, FAIL in b/report.json, WARN in c/report.json\n' +
        '  jwks/c: FAIL in a/report.json, ERROR in b/report.json',
    );
  });

  it('refuses reports that state different tool versions', () => {
    const a = loaded('a/report.json', { checks: { 'a/a': 'PASS' } });
    const b: LoadedReport = { ...loaded('b/report.json', { checks: { 'a/b': 'PASS' } }) };
    b.report = { ...b.report, tool: { name: 'oidc-conformance', version: '9.9.9' } };
    expect(refusal([a, b])).toMatch(/^cannot merge reports written by different versions of the tool:\n {2}a\/report\.json: \(no tool version\)\n {2}b\/report\.json: oidc-conformance 9\.9\.9$/);
  });
});

describe('mergeAllureResults', () => {
  it('concatenates the results directories, joins environment.properties and notes inputs without results', () => {
    const root = tempDir('oc-allure-merge-');
    dirs.push(root);
    const inputs = ['s1', 's2', 's3'].map((name) => join(root, name));
    const files: Record<string, Record<string, string>> = {
      s1: { 'aaa-result.json': '{"name":"a"}', 'aaa-attachment.json': '{}', 'environment.properties': 'issuer=http://127.0.0.1:1/oidc\nnode=v20\nshard=1/2\n', 'executor.json': '{"name":"ci"}' },
      s2: { 'bbb-result.json': '{"name":"b"}', 'ccc-container.json': '{}', 'environment.properties': 'issuer=http://127.0.0.1:2/oidc\nnode=v20\nshard=2/2\n', 'executor.json': '{"name":"ci-2"}' },
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(root, name, 'allure-results'), { recursive: true });
      for (const [file, text] of Object.entries(content)) writeFileSync(join(root, name, 'allure-results', file), text);
    }
    mkdirSync(inputs[2]!);
    const out = join(root, 'merged', 'allure-results');
    const result = mergeAllureResults(inputs, out);
    expect(result).toEqual({ results: 2, merged: inputs.slice(0, 2), missing: [inputs[2]] });
    expect(readdirSync(out).sort()).toEqual(['aaa-attachment.json', 'aaa-result.json', 'bbb-result.json', 'ccc-container.json', 'environment.properties', 'executor.json']);
    expect(readFileSync(join(out, 'executor.json'), 'utf8')).toBe('{"name":"ci"}');
    expect(readFileSync(join(out, 'environment.properties'), 'utf8')).toBe('issuer=http://127.0.0.1:1/oidc, http://127.0.0.1:2/oidc\nnode=v20\nshard=1/2, 2/2\n');
    // Two different files of the same name cannot both be kept.
    writeFileSync(join(root, 's2', 'allure-results', 'aaa-result.json'), '{"name":"other"}');
    expect(() => mergeAllureResults(inputs, out)).toThrow(/aaa-result\.json and a file of another input have the same name and different contents/);
  });

  it('mergeEnvironment keeps each key once with its distinct values', () => {
    expect(mergeEnvironment(['a=1\nb=x=y\n# comment\n', 'a=2\nb=x=y\nc=\n'])).toBe('a=1, 2\nb=x=y\nc=\n');
  });
});

// Each case spawns the command (a second or more of tsx start-up; far more on a loaded machine).
const CLI_TIMEOUT_MS = 240_000;
describe('oidc-conformance merge (the command)', { timeout: CLI_TIMEOUT_MS + 10_000 }, () => {
  const root = tempDir('oc-merge-cli-');
  dirs.push(root);
  const s1 = writeFixture(root, 's1', shard1.report);
  const s2 = writeFixture(root, 's2', shard2.report);
  const clean = (report: Report) => ({ ...report, checks: report.checks.filter((c) => c.outcome !== 'FAIL'), summary: { ...report.summary, total: report.summary.total - 1, fail: 0 } });
  const c1 = writeFixture(root, 'c1', clean(shard1.report));

  it('writes report.json and junit.xml; exits 1 when the merged report has a FAIL, 0 when it has none', async () => {
    const [failing, passing] = await Promise.all([
      runCli(['merge', s1, `${s2}/report.json`, '--out', join(root, 'out-failing')], { timeoutMs: CLI_TIMEOUT_MS }),
      runCli(['merge', c1, s2, '--out', join(root, 'out-passing'), '--strict'], { timeoutMs: CLI_TIMEOUT_MS }),
    ]);
    expect(failing.stderr).toBe('');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^merged 2 reports \(shards 1\/2, 2\/2\) of reference-provider \(http:\/\/127\.0\.0\.1:40001\/oidc\)\nchecks: 5 {2}pass 2 {2}fail 1 {2}warn 1 {2}skip 1 {2}error 0\nfailures:\n {2}FAIL jwks\/c /);
    expect(failing.stdout).toMatch(/note: no input has allure-results\/ \(they ran with --no-allure\): no Allure report/);
    const report = JSON.parse(readFileSync(join(root, 'out-failing', 'report.json'), 'utf8')) as Report;
    expect(validateReport(report).errors).toEqual([]);
    expect(report.summary.total).toBe(5);
    expect(readFileSync(join(root, 'out-failing', 'junit.xml'), 'utf8')).toMatch(/<testsuites name="oidc-conformance" tests="5" failures="1" errors="0" skipped="1"/);
    expect(existsSync(join(root, 'out-failing', 'allure-report'))).toBe(false);
    expect(existsSync(join(root, 'out-failing', 'allure-results'))).toBe(false);
    // --strict: the WARN of discovery/b fails the merged run.
    expect(passing.code).toBe(1);
    expect((await runCli(['merge', c1, s2, '--out', join(root, 'out-passing')], { timeoutMs: CLI_TIMEOUT_MS })).code).toBe(0);
  });

  it('exits 2 with the reason on a refusal or bad input, writing nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['merge'], /give the report directories to join/],
      [['merge', s1, '--out', join(root, 'o1')], /shard 2\/2 missing: a merge of a sharded run needs all 2 shards \(given: 1\/2\)/],
      [['merge', s1, join(root, 'nowhere'), '--out', join(root, 'o2')], /nowhere: no such file or directory/],
      [['merge', s1, s2, '--out', s1], /--out .*s1 is one of the inputs \(.*s1\): merge into a new directory/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { timeoutMs: CLI_TIMEOUT_MS })));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.stderr, args.join(' ')).toMatch(message);
    });
    expect(existsSync(join(root, 'o1'))).toBe(false);
    expect(existsSync(join(root, 'o2'))).toBe(false);
  });
});

// `diff`: every transition lands in the class diff.ts documents, a regression is exactly a check
// failing in NEW that did not fail (or did not exist) in OLD, and the command's exit codes are
// 1 on a regression, 0 otherwise and 2 on bad usage or a file that is not a readable report.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../checks.ts';
import { runCli } from '../../test/support.ts';
import { diffReports } from './diff.ts';
import { fixtureReport, tempDir, writeFixture } from './fixture-reports.ts';
import { ReportInputError, readReportArg } from './read-report.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Class = 'newFailures' | 'fixed' | 'changed' | 'added' | 'removed' | 'unchanged';

function classify(before: Outcome | undefined, after: Outcome | undefined, strict = false): Class {
  const id = 'area/check';
  const old = fixtureReport({ checks: before ? { [id]: before } : {} });
  const now = fixtureReport({ checks: after ? { [id]: after } : {} });
  const diff = diffReports(old, now, { strict });
  const found = (['newFailures', 'fixed', 'changed', 'added', 'removed'] as const).filter((k) => diff[k].some((e) => e.id === id));
  if (diff.unchanged === 1) found.push('unchanged' as never);
  expect(found, `${before} -> ${after}`).toHaveLength(1);
  return found[0] as Class;
}

describe('diff classification', () => {
  it.each<[Outcome | undefined, Outcome | undefined, Class]>([
    ['PASS', 'FAIL', 'newFailures'],
    ['PASS', 'ERROR', 'newFailures'],
    ['WARN', 'FAIL', 'newFailures'],
    ['WARN', 'ERROR', 'newFailures'],
    ['SKIP', 'FAIL', 'newFailures'],
    ['SKIP', 'ERROR', 'newFailures'],
    [undefined, 'FAIL', 'newFailures'],
    [undefined, 'ERROR', 'newFailures'],
    ['FAIL', 'PASS', 'fixed'],
    ['ERROR', 'PASS', 'fixed'],
    ['FAIL', 'WARN', 'fixed'],
    ['FAIL', 'SKIP', 'changed'],
    ['ERROR', 'SKIP', 'changed'],
    ['FAIL', 'ERROR', 'changed'],
    ['ERROR', 'FAIL', 'changed'],
    ['PASS', 'WARN', 'changed'],
    ['WARN', 'PASS', 'changed'],
    ['PASS', 'SKIP', 'changed'],
    ['SKIP', 'PASS', 'changed'],
    [undefined, 'PASS', 'added'],
    [undefined, 'WARN', 'added'],
    [undefined, 'SKIP', 'added'],
    ['PASS', undefined, 'removed'],
    ['FAIL', undefined, 'removed'],
    ['PASS', 'PASS', 'unchanged'],
    ['FAIL', 'FAIL', 'unchanged'],
  ])('%s -> %s is %s', (before, after, expected) => {
    expect(classify(before, after)).toBe(expected);
  });

  it.each<[Outcome | undefined, Outcome | undefined, Class]>([
    ['PASS', 'WARN', 'newFailures'],
    ['SKIP', 'WARN', 'newFailures'],
    [undefined, 'WARN', 'newFailures'],
    ['WARN', 'PASS', 'fixed'],
    ['FAIL', 'WARN', 'changed'],
    ['WARN', 'FAIL', 'changed'],
  ])('with --strict (WARN fails too): %s -> %s is %s', (before, after, expected) => {
    expect(classify(before, after, true)).toBe(expected);
  });

  it('classifies a whole report: each id once, still-failing checks named', () => {
    const old = fixtureReport({ checks: { 'a/pass-to-fail': 'PASS', 'a/fixed': 'FAIL', 'a/same-fail': 'FAIL', 'a/same': 'PASS', 'b/removed': 'WARN', 'b/skip': 'PASS' } });
    const now = fixtureReport({ checks: { 'a/pass-to-fail': 'FAIL', 'a/fixed': 'PASS', 'a/same-fail': 'FAIL', 'a/same': 'PASS', 'b/skip': 'SKIP', 'c/new-fail': 'ERROR', 'c/new-pass': 'PASS' } });
    const diff = diffReports(old, now);
    expect(diff.newFailures.map((e) => [e.id, e.before, e.after])).toEqual([['a/pass-to-fail', 'PASS', 'FAIL'], ['c/new-fail', undefined, 'ERROR']]);
    expect(diff.fixed.map((e) => e.id)).toEqual(['a/fixed']);
    expect(diff.changed.map((e) => e.id)).toEqual(['b/skip']);
    expect(diff.added.map((e) => e.id)).toEqual(['c/new-pass']);
    expect(diff.removed.map((e) => [e.id, e.before, e.after, e.message])).toEqual([['b/removed', 'WARN', undefined, 'WARN message of b/removed']]);
    expect(diff.unchanged).toBe(2);
    expect(diff.stillFailing.map((e) => e.id)).toEqual(['a/same-fail']);
  });
});

// Each case spawns the command (a second or more of tsx start-up; far more on a loaded machine).
const CLI_TIMEOUT_MS = 240_000;
describe('oidc-conformance diff (the command)', { timeout: CLI_TIMEOUT_MS + 10_000 }, () => {
  const root = tempDir('oc-diff-');
  dirs.push(root);
  const baseline = writeFixture(root, 'baseline', fixtureReport({ checks: { 'a/one': 'PASS', 'a/two': 'FAIL', 'a/three': 'PASS' } }));
  const better = writeFixture(root, 'better', fixtureReport({ checks: { 'a/one': 'PASS', 'a/two': 'PASS', 'a/three': 'WARN', 'b/four': 'SKIP' } }));
  const worse = writeFixture(root, 'worse', fixtureReport({ checks: { 'a/one': 'FAIL', 'a/two': 'FAIL', 'a/three': 'PASS', 'b/four': 'ERROR' } }));
  const future = writeFixture(root, 'future', { ...fixtureReport({ checks: {} }), schemaVersion: 2 });

  it('exits 0 without a regression and prints each class', async () => {
    const result = await runCli(['diff', baseline, better], { timeoutMs: CLI_TIMEOUT_MS });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/new failures \(regressions: FAIL or ERROR in NEW, not failing or absent in OLD\): 0/);
    expect(result.stdout).toMatch(/fixed: 1\n {2}FAIL → PASS +a\/two \[MUST\]/);
    expect(result.stdout).toMatch(/changed: 1\n {2}PASS → WARN +a\/three \[MUST\] {2}WARN message of a\/three/);
    expect(result.stdout).toMatch(/added: 1\n {2}\(new\) → SKIP +b\/four/);
    expect(result.stdout).toMatch(/removed: 0/);
    expect(result.stdout).toMatch(/\nno regression$/m);
  });

  it('exits 1 on a regression (PASS -> FAIL, a new check in ERROR), naming them', async () => {
    const result = await runCli(['diff', baseline, worse], { timeoutMs: CLI_TIMEOUT_MS });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/new failures \(regressions[^\n]*: 2\n {2}PASS → FAIL +a\/one \[MUST\] {2}FAIL message of a\/one\n {2}\(new\) → ERROR +b\/four/);
    expect(result.stdout).toMatch(/unchanged: 2 \(1 still failing: a\/two\)/);
    expect(result.stdout).toMatch(/REGRESSION: 2 checks failing in NEW that did not fail in OLD/);
  });

  it('--strict makes PASS -> WARN a regression', async () => {
    expect((await runCli(['diff', baseline, better, '--strict'], { timeoutMs: CLI_TIMEOUT_MS })).code).toBe(1);
  });

  it('--json prints the classes as JSON, with the same exit code', async () => {
    const result = await runCli(['diff', `${baseline}/report.json`, worse, '--json'], { timeoutMs: CLI_TIMEOUT_MS });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      regression: true,
      strict: false,
      old: { name: 'reference-provider', summary: { total: 3, fail: 1 } },
      newFailures: [{ id: 'a/one', before: 'PASS', after: 'FAIL' }, { id: 'b/four', after: 'ERROR' }],
      fixed: [],
      stillFailing: ['a/two'],
    });
  });

  it('refuses, with the path and the reason, anything that is not a report this version reads', () => {
    const notJson = join(root, 'not-json.json');
    writeFileSync(notJson, '<html>');
    const notReport = join(root, 'other.json');
    writeFileSync(notReport, JSON.stringify({ hello: 'world' }));
    const broken = writeFixture(root, 'broken', { ...fixtureReport({ checks: { 'a/one': 'PASS' } }), summary: { total: 1, pass: 0, fail: 1, warn: 0, skip: 0, error: 0 } });
    const cases: Array<[string, RegExp]> = [
      [join(root, 'missing'), /missing: no such file or directory$/],
      [root, /: a directory with no report\.json in it$/],
      [notJson, /not-json\.json: not JSON \(/],
      [notReport, /other\.json: not an oidc-conformance report\.json \(it has no schemaVersion and checks\)$/],
      [future, /future\/report\.json: report schemaVersion 2; this oidc-conformance reads schemaVersion 1/],
      [broken, /broken\/report\.json: not a valid report\.json[^\n]*:\n {2}- summary\.pass: says 0, the checks count 1\n {2}- summary\.fail: says 1, the checks count 0$/],
    ];
    for (const [arg, message] of cases) {
      expect(() => readReportArg(arg), arg).toThrow(ReportInputError);
      expect(() => readReportArg(arg), arg).toThrow(message);
    }
    expect(readReportArg(`${baseline}/report.json`).report.summary.total).toBe(3);
  });

  it('exits 2 on bad usage or a file that is not a readable report, with the message and no stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['diff', baseline], /^oidc-conformance diff: give exactly two reports, OLD then NEW .*not 1\n$/],
      [['diff', future, baseline], /^oidc-conformance diff: .*future\/report\.json: report schemaVersion 2; this oidc-conformance reads schemaVersion 1 .*\n$/],
      [['diff', baseline, better, '--bogus'], /Unknown option '--bogus'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { timeoutMs: CLI_TIMEOUT_MS })));
    cases.forEach(([args, message], i) => {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr, args.join(' ')).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
    });
  });
});

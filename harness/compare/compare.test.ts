// `compare`: the matrix (rows per check, NOT_RUN for a check a report lacks, "differs", totals per
// target and level), column labels that stay distinct for reports of the same target, the
// Markdown view (its tables stay tables whatever a message holds), and the command's output and
// exit codes. The HTML page is exercised in Chromium by compare-page.test.ts.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support.ts';
import { type FixtureOptions, NODE_OIDC_PROVIDER, REFERENCE, fixtureReport, tempDir, writeFixture } from './fixture-reports.ts';
import { buildMatrix } from './matrix.ts';
import { type LoadedReport, labelReports } from './read-report.ts';
import { renderMarkdown } from './render-markdown.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function loaded(dir: string, options: FixtureOptions): LoadedReport {
  return { path: `${dir}/report.json`, dir: `/reports/${dir}`, report: fixtureReport(options) };
}

describe('buildMatrix', () => {
  it('has a row per check of any report, a column per report, NOT_RUN where a report lacks the check', () => {
    const matrix = buildMatrix([loaded('ref', REFERENCE), loaded('nop', NODE_OIDC_PROVIDER)]);
    expect(matrix.columns.map((c) => c.label)).toEqual(['reference-provider', 'node-oidc-provider']);
    expect(matrix.areas).toEqual(['discovery', 'jwks', 'token', 'userinfo']);
    expect(matrix.rows.map((r) => [r.id, r.outcomes.join(' '), r.differs])).toEqual([
      ['discovery/https', 'WARN WARN', false],
      ['discovery/issuer', 'PASS PASS', false],
      ['jwks/kid', 'PASS FAIL', true],
      ['jwks/x5c', 'SKIP SKIP', false],
      ['token/auth', 'FAIL PASS', true],
      ['token/only-a', 'PASS NOT_RUN', true],
      ['userinfo/only-b', 'NOT_RUN ERROR', true],
    ]);
    expect(matrix.differing).toBe(4);
    expect(matrix.totals[0]!.all).toEqual({ checks: 7, PASS: 3, FAIL: 1, WARN: 0 + 1, SKIP: 1, ERROR: 0, NOT_RUN: 1 });
    expect(matrix.totals[1]!.all).toEqual({ checks: 7, PASS: 2, FAIL: 1, WARN: 1, SKIP: 1, ERROR: 1, NOT_RUN: 1 });
    expect(matrix.totals[1]!.SHOULD).toEqual({ checks: 1, PASS: 0, FAIL: 0, WARN: 1, SKIP: 0, ERROR: 0, NOT_RUN: 0 });
    expect(matrix.totals[1]!.MUST.checks).toBe(6);
  });
});

describe('labelReports', () => {
  it('keeps the profile name, and tells apart reports of the same target by what differs between them', () => {
    const byFault = [loaded('a', { checks: {} }), loaded('b', { checks: {}, faults: ['pkce-ignored'] })];
    expect(labelReports(byFault)).toEqual(['reference-provider (no fault)', 'reference-provider (fault pkce-ignored)']);
    const byDir = [loaded('monday', { checks: {} }), loaded('tuesday', { checks: {} }), loaded('x', { checks: {}, name: 'other' })];
    expect(labelReports(byDir)).toEqual(['reference-provider (monday)', 'reference-provider (tuesday)', 'other']);
    const identical = [loaded('same', { checks: {} }), loaded('same', { checks: {} })];
    expect(labelReports(identical)).toEqual(['reference-provider #1', 'reference-provider #2']);
    // A report written before target.name existed: the profile file's name.
    const old = loaded('old', { checks: {}, profile: 'profiles/keycloak.json' });
    delete old.report.target.name;
    expect(labelReports([old])).toEqual(['keycloak']);
  });
});

describe('renderMarkdown', () => {
  const matrix = buildMatrix([loaded('ref', REFERENCE), loaded('nop', NODE_OIDC_PROVIDER)]);
  const markdown = renderMarkdown(matrix, { htmlFile: 'compare.html', generatedAt: new Date('2030-01-01T00:00:00Z') });
  const tableRows = markdown.split('\n').filter((line) => line.startsWith('|'));
  const columnsOf = (line: string) => line.replace(/\\\|/g, '').split('|').length;

  it('renders the targets, the totals per target and level, the differing checks, then every check by area', () => {
    expect(markdown).toMatch(/^# oidc-conformance: 2 targets compared\n\n7 checks; 4 differ between targets\./);
    expect(markdown).toContain('| node-oidc-provider | http://127.0.0.1:4455/oidc | fixtures/targets/node-oidc-provider/profile.json | 2030-01-01T00:00:00.000Z | 6 | nop/report.json |');
    expect(markdown).toContain('| node-oidc-provider | all | 7 | 2 | 1 | 1 | 1 | 1 | 1 |');
    expect(markdown).toContain('| node-oidc-provider | SHOULD | 1 | 0 | 0 | 1 | 0 | 0 | 0 |');
    expect(markdown).not.toContain('| node-oidc-provider | MAY |'); // no MAY check at all: no row
    const differing = markdown.split('## Checks that differ between targets (4)')[1]!.split('## Every check')[0]!;
    expect(differing.match(/^\| `[^`]+`/gm)).toEqual(['| `jwks/kid`', '| `token/auth`', '| `token/only-a`', '| `userinfo/only-b`']);
    expect(markdown).toMatch(/### discovery \(2\)[\s\S]*### jwks \(2\)[\s\S]*### token \(2\)[\s\S]*### userinfo \(1\)/);
    expect(markdown).toContain('| `token/only-a` | MUST | [PASS](compare.html#c-token/only-a "PASS: PASS message of token/only-a") | — |');
    expect(markdown).toContain('[**FAIL**](compare.html#c-jwks/kid "FAIL: two keys share kid \\"k1\\"")');
    expect(markdown).toContain('- `userinfo/only-b` · node-oidc-provider · ERROR: target unreachable: timed out');
  });

  it('keeps every table a table and passes no markup or HTML from a message through', () => {
    const header = columnsOf(tableRows.find((l) => l.startsWith('| check |'))!);
    for (const line of tableRows.filter((l) => l.startsWith('| `'))) expect(columnsOf(line), line).toBe(header);
    const note = markdown.split('\n').find((l) => l.startsWith('- `token/auth`'))!;
    expect(note).toBe('- `token/auth` · reference-provider · FAIL: got 200 \\| expected \\<b\\>401\\</b\\> \\& \\<img src=x onerror="window.pwned=1"\\> \\`code\\` \\[x\\](javascript:alert(1))');
    expect(markdown).not.toMatch(/(?<!\\)<(img|b)\b/); // every < of a message is escaped (\<) or a character reference
    // The tooltip holds the whole message on one line, its HTML as character references.
    expect(markdown).toContain('"FAIL: got 200 &#124; expected &#60;b&#62;401&#60;/b&#62; &#38; &#60;img src=x onerror=\\"window.pwned=1\\"&#62; `code` [x](javascript:alert(1)) second line")');
  });
});

// Each case spawns the command (a second or more of tsx start-up; far more on a loaded machine).
const CLI_TIMEOUT_MS = 240_000;
describe('oidc-conformance compare (the command)', { timeout: CLI_TIMEOUT_MS + 10_000 }, () => {
  const root = tempDir('oc-compare-');
  dirs.push(root);
  const ref = writeFixture(root, 'ref', fixtureReport(REFERENCE));
  const nop = writeFixture(root, 'nop', fixtureReport(NODE_OIDC_PROVIDER));

  it('writes compare.html and compare.md and prints the totals per target', async () => {
    const out = join(root, 'out');
    const result = await runCli(['compare', ref, `${nop}/report.json`, '--out', out], { timeoutMs: CLI_TIMEOUT_MS });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^7 checks, 4 differ between targets\n {2}reference-provider {2}pass 3 {2}fail 1 {2}warn 1 {2}skip 1 {2}error 0 {2}not run 1\n {2}node-oidc-provider {2}pass 2 {2}fail 1 {2}warn 1 {2}skip 1 {2}error 1 {2}not run 1\n/);
    expect(result.stdout).toContain(`html:     ${join(out, 'compare.html')}`);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toMatch(/^# oidc-conformance: 2 targets compared/);
    expect(readFileSync(join(out, 'compare.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('exits 2 with a precise message on bad usage or input, writing nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['compare', ref, '--out', join(root, 'o1')], /give at least two reports/],
      [['compare', ref, join(root, 'nope.json'), '--out', join(root, 'o2')], /nope\.json: no such file or directory/],
      [['compare', ref, root, '--out', join(root, 'o3')], /a directory with no report\.json in it/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { timeoutMs: CLI_TIMEOUT_MS })));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.stderr, args.join(' ')).toMatch(message);
    });
    for (const o of ['o1', 'o2', 'o3']) expect(existsSync(join(root, o))).toBe(false);
  });
});

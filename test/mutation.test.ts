// `oidc-conformance mutation` end to end, as CI and a vendor run it. The whole catalogue is
// `npm run mutation` (a CI step of its own); here, one reference fault through the embedded
// provider, and a vendor mutants file whose mutants are the reference provider started by
// commands, one caught, one that escapes and one that raises a false alarm, so both verdicts
// and the exit code are proven on real runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../harness/cli.ts';
import type { MutationResult } from '../harness/run/mutation/format.ts';
import { ROOT, runCli } from './support.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const readResult = (dir: string) => JSON.parse(readFileSync(join(dir, 'mutation.json'), 'utf8')) as MutationResult;

describe('oidc-conformance mutation', () => {
  it('catches a reference fault through the embedded provider, against a clean baseline', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-mutation-'));
    const result = await runCli(['mutation', '--fault', 'password-unchecked', '--jobs', '2', '--report-dir', dir], { timeoutMs: 230_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('mutation score: 1/1');
    expect(result.stdout).toMatch(/^password-unchecked\s+password\/wrong-password-refused FAIL\s+password\/wrong-password-refused\s+yes\s+-$/m);
    const json = readResult(dir);
    expect(json.baseline).toMatchObject({ clean: true, problems: [] });
    expect(json.mutants).toMatchObject([{ name: 'password-unchecked', caught: true, falseAlarms: [], reported: ['password/wrong-password-refused'] }]);
    expect(readFileSync(join(dir, 'mutation.md'), 'utf8')).toContain('**mutation score: 1/1**');
    const report = JSON.parse(readFileSync(join(dir, 'runs', 'mutants', 'password-unchecked', 'report.json'), 'utf8')) as { checks: Array<{ id: string }> };
    expect(report.checks.every((c) => c.id.startsWith('password/')), 'only the suites of the expected checks run').toBe(true);
  });

  it('scores a vendor mutants file: caught, escaped and false alarm, exit 1, nothing left running', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-mutants-'));
    const base = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'profiles', 'reference-provider.json'), 'utf8')) as Record<string, unknown>;
    delete base.$schema;
    const ports = { baseline: await freePort(), caught: await freePort(), escapes: await freePort(), alarm: await freePort() };
    for (const [name, port] of Object.entries(ports)) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...base, issuer: `http://127.0.0.1:${port}/oidc` }));
    }
    const serve = (port: number, faults: string[]) => `"${process.execPath}" bin/oidc-conformance.js serve --port ${port}${faults.map((f) => ` --fault ${f}`).join('')}`;
    writeFileSync(
      join(dir, 'mutants.json'),
      JSON.stringify({
        jobs: 2,
        baseline: { profile: 'baseline.json', start: serve(ports.baseline, []), cwd: ROOT },
        mutants: [
          { name: 'lax-password', profile: 'caught.json', start: serve(ports.caught, ['password-unchecked']), cwd: ROOT, expects: ['password/wrong-password-refused'] },
          // No defect at all: the expected check passes, so this mutant escapes.
          { name: 'no-defect', profile: 'escapes.json', start: serve(ports.escapes, []), cwd: ROOT, expects: ['password/wrong-password-refused'] },
          // Two defects, one declared: the undeclared one's check is a false alarm.
          { name: 'two-defects', profile: 'alarm.json', start: serve(ports.alarm, ['no-store-missing', 'password-unchecked']), cwd: ROOT, expects: ['password/no-store'] },
        ],
      }),
    );
    const out = join(dir, 'out');
    const result = await runCli(['mutation', '--mutants', join(dir, 'mutants.json'), '--report-dir', out], { timeoutMs: 290_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('mutation score: 2/3');
    const json = readResult(out);
    expect(json.jobs).toBe(2);
    expect(json.baseline.clean, json.baseline.problems.join('\n')).toBe(true);
    expect(json.score).toMatchObject({ caught: 2, total: 3, escaped: ['no-defect'], falseAlarms: ['two-defects'], exitCode: 1 });
    const byName = Object.fromEntries(json.mutants.map((m) => [m.name, m]));
    expect(byName['lax-password']).toMatchObject({ caught: true, falseAlarms: [] });
    expect(byName['no-defect']!.reason).toMatch(/^password\/wrong-password-refused: PASS/);
    expect(byName['two-defects']!.falseAlarms.map((a) => [a.id, a.outcome, a.baseline])).toEqual([['password/wrong-password-refused', 'FAIL', 'PASS']]);
    expect(result.stdout).toContain('two-defects: password/wrong-password-refused FAIL (baseline PASS)');
    for (const port of Object.values(ports)) expect(await listening(port), `a provider still listens on ${port}`).toBe(false);
  });

  it('reports a run that outlives --timeout as not finished, and stops it', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-mutation-timeout-'));
    const result = await runCli(['mutation', '--fault', 'password-unchecked', '--timeout', '1', '--jobs', '2', '--report-dir', dir], { timeoutMs: 50_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const json = readResult(dir);
    expect(json.baseline.clean).toBe(false);
    expect(json.baseline.problems[0]).toMatch(/^the baseline run did not finish: password: timed out after 1 s/);
    expect(json.mutants[0]).toMatchObject({ caught: false });
    expect(json.mutants[0]!.reason).toMatch(/^the run did not finish: timed out after 1 s/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('mutation score: 0/1');
  });

  it('refuses an unknown fault and a bad mutants file with exit code 2 and the reason, before running anything', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['mutation', '--fault', 'no-such-fault'])).toBe(2);
      expect(errors.mock.calls.flat().join('\n')).toContain('unknown fault "no-such-fault"');
      const dir = mkdtempSync(join(tmpdir(), 'oc-mutants-bad-'));
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ baseline: { profile: 'p.json' }, mutants: [{ name: 'x', expects: ['a/b'], fault: 'y' }] }));
      expect(await main(['mutation', '--mutants', join(dir, 'bad.json')])).toBe(2);
      expect(errors.mock.calls.flat().join('\n')).toContain('mutants.0: unknown member "fault"');
    } finally {
      errors.mockRestore();
    }
  });
});

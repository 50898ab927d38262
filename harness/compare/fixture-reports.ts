// Small, schema-valid report.json documents for the tests of compare, diff and merge: built with
// the same buildReport `run` uses, so a fixture can never drift from what a run writes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Level, Outcome } from '../checks.ts';
import { buildReport } from '../report/build-report.ts';
import type { Report, ReportShard } from '../report/types.ts';

export interface FixtureCheck {
  outcome: Outcome;
  message?: string;
  level?: Level;
  expected?: unknown;
  actual?: unknown;
}

export interface FixtureOptions {
  /** check id -> outcome (or outcome and message). */
  checks: Record<string, Outcome | FixtureCheck>;
  name?: string;
  issuer?: string;
  /** null: the embedded reference provider (default). */
  profile?: string | null;
  faults?: string[];
  shard?: ReportShard;
  startedAt?: string;
  durationMs?: number;
}

export function fixtureReport(options: FixtureOptions): Report {
  const checks = Object.entries(options.checks).map(([id, spec]) => {
    const check: FixtureCheck = typeof spec === 'string' ? { outcome: spec } : spec;
    const values = { ...('expected' in check ? { expected: check.expected } : {}), ...('actual' in check ? { actual: check.actual } : {}) };
    return {
      definition: { id, title: `title of ${id}`, area: id.split('/')[0]!, refs: ['OIDCC-3.1.3.7'], requirements: [], level: check.level ?? ('MUST' as Level) },
      result: { outcome: check.outcome, message: check.message ?? `${check.outcome} message of ${id}`, exchanges: [], evidence: {}, ...values },
      durationMs: 1,
    };
  });
  return buildReport({
    target: {
      issuer: options.issuer ?? 'http://127.0.0.1:4000/oidc',
      profile: options.profile === undefined ? null : options.profile,
      name: options.name ?? 'reference-provider',
      ...(options.faults ? { faults: options.faults } : {}),
    },
    startedAt: options.startedAt ?? '2030-01-01T00:00:00.000Z',
    durationMs: options.durationMs ?? 1000,
    shard: options.shard,
    checks,
    exchanges: [],
  });
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'oc-fixture-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `<parent>/<dirName>/report.json`; returns the directory. */
export function writeFixture(parent: string, dirName: string, report: Report | unknown): string {
  const dir = join(parent, dirName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return dir;
}

// Two targets for the comparison tests: 7 checks in 4 areas; 4 differ (a PASS/FAIL either way, a
// check only each report holds), 3 agree (PASS, a SHOULD WARN, SKIP). The FAIL message of
// token/auth carries markup that every view must show as text.
export const REFERENCE: FixtureOptions = {
  checks: {
    'discovery/issuer': 'PASS',
    'discovery/https': { outcome: 'WARN', level: 'SHOULD', message: 'issuer is not https (loopback test target)' },
    'jwks/kid': 'PASS',
    'jwks/x5c': 'SKIP',
    'token/auth': {
      outcome: 'FAIL',
      message: 'got 200 | expected <b>401</b> & <img src=x onerror="window.pwned=1"> `code` [x](javascript:alert(1))\nsecond line',
      expected: { status: 401 },
      actual: { status: 200, body: '<script>window.pwned=2</script>' },
    },
    'token/only-a': 'PASS',
  },
};
export const NODE_OIDC_PROVIDER: FixtureOptions = {
  name: 'node-oidc-provider',
  profile: 'fixtures/targets/node-oidc-provider/profile.json',
  issuer: 'http://127.0.0.1:4455/oidc',
  checks: {
    'discovery/issuer': 'PASS',
    'discovery/https': { outcome: 'WARN', level: 'SHOULD', message: 'issuer is not https (loopback test target)' },
    'jwks/kid': { outcome: 'FAIL', message: 'two keys share kid "k1"' },
    'jwks/x5c': 'SKIP',
    'token/auth': 'PASS',
    'userinfo/only-b': { outcome: 'ERROR', message: 'target unreachable: timed out' },
  },
};

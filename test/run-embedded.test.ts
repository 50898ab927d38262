// The main job, end to end: `oidc-conformance run` against the embedded reference provider runs
// every check of the catalogue, with no FAIL and no ERROR, and writes a valid report.json and JUnit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import { validateReport } from '../harness/report/validate-report.ts';
import { ROOT, readReport, runCli, tempReportDir } from './support.ts';

describe('oidc-conformance run (embedded reference provider)', () => {
  it('passes every check and writes the reports', { timeout: 180_000 }, async () => {
    const dir = tempReportDir();
    const result = await runCli(['run', '--report-dir', dir]);
    const report = readReport(dir);
    const bad = report.checks.filter((c) => c.outcome === 'FAIL' || c.outcome === 'ERROR').map((c) => `${c.id}: ${c.message}`);
    expect(bad).toEqual([]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(validateReport(report).errors).toEqual([]);
    const catalogue = await loadCatalogue(ROOT);
    expect(report.checks.map((c) => c.id).sort()).toEqual(catalogue.map((c) => c.id).sort());
    expect(existsSync(join(dir, 'junit.xml'))).toBe(true);
    expect(result.stdout).toMatch(/checks: \d+ {2}pass \d+ {2}fail 0 {2}warn \d+ {2}skip \d+ {2}error 0/);
  });
});

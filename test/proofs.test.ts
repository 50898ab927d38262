// Every check is proven to fail: by a bad sample (suites/<area>/*.test.ts calling
// proves(check.X, ...)) or by a reference-provider fault that declares it in `expects`. The
// fault proofs are run here: the embedded provider with the fault on must make each declared
// check report FAIL or WARN.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import { FAULTS } from '../reference-provider/faults.ts';
import { ROOT, readReport, runCli, tempReportDir } from './support.ts';

const catalogue = await loadCatalogue(ROOT);
const ids = new Set(catalogue.map((c) => c.id));

async function sampleProvenIds(): Promise<Set<string>> {
  const proven = new Set<string>();
  for (const area of readdirSync(join(ROOT, 'suites'), { withFileTypes: true })) {
    if (!area.isDirectory() || area.name === 'support') continue;
    const dir = join(ROOT, 'suites', area.name);
    const checks = (await import(pathToFileURL(join(dir, 'checks.ts')).href)) as Record<string, { id: string }>;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/proves\(\s*check\.(\w+)/g)) {
        const definition = checks[match[1]!];
        if (!definition) throw new Error(`${area.name}/${file}: proves(check.${match[1]}) names no export of checks.ts`);
        proven.add(definition.id);
      }
    }
  }
  return proven;
}

describe('proof coverage', () => {
  it('every check id is proven by a bad sample or a provider fault', async () => {
    const proven = await sampleProvenIds();
    for (const fault of FAULTS) for (const id of fault.expects ?? []) proven.add(id);
    const unproven = [...ids].filter((id) => !proven.has(id));
    expect(unproven, 'checks without a proof that they can fail').toEqual([]);
  });

  it('faults name only existing check ids', () => {
    const unknown = FAULTS.flatMap((f) => (f.expects ?? []).filter((id) => !ids.has(id)).map((id) => `${f.name}: ${id}`));
    expect(unknown).toEqual([]);
  });
});

describe.concurrent('fault proofs (embedded provider with one fault on)', () => {
  for (const fault of FAULTS.filter((f) => (f.expects ?? []).length > 0)) {
    it(`${fault.name} makes ${fault.expects!.join(', ')} fail`, { timeout: 120_000 }, async () => {
      const dir = tempReportDir();
      // --strict: a fault may be proven by SHOULD checks alone, whose WARN exits 0 otherwise.
      // --no-allure: these runs only need report.json; the Allure output is tested by run-embedded.
      const result = await runCli(['run', '--quiet', '--strict', '--no-allure', '--provider-fault', fault.name, '--report-dir', dir, ...fault.expects!.flatMap((id) => ['--only', id])]);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const checks = readReport(dir).checks;
      const outcomes = Object.fromEntries(checks.map((c) => [c.id, c.outcome]));
      for (const id of fault.expects!) expect(['FAIL', 'WARN'], `${id} under ${fault.name}`).toContain(outcomes[id]);
      // Every FAIL/WARN carries its evidence: the exchanges judged, and what was expected vs found.
      const withoutEvidence = checks
        .filter((c) => (c.outcome === 'FAIL' || c.outcome === 'WARN') && (c.evidence.exchanges.length === 0 || !('expected' in c || 'actual' in c)))
        .map((c) => c.id);
      expect(withoutEvidence, `verdicts without evidence under ${fault.name}`).toEqual([]);
    });
  }
});

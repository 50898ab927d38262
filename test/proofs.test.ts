// Every check is proven to fail: by a bad sample (suites/<area>/*.test.ts calling
// proves(check.X, ...)) or by a reference-provider fault that declares it in `expects`. The
// fault proofs are not run here: `npm run mutation` (a CI step of its own) runs every fault and
// requires each declared check to report FAIL or WARN with evidence, and no other check to fail
// (harness/run/mutation/; test/mutation.test.ts runs it end to end on a few faults).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import { FAULTS } from '../reference-provider/faults.ts';
import { ROOT } from './support.ts';

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
      // proves(check.x, ...), or a table of [check.x, ...] rows whose loop calls proves(definition, ...).
      const tableDriven = /proves\(\s*definition\b/.test(text) ? [...text.matchAll(/\[\s*check\.(\w+)\s*,/g)] : [];
      for (const match of [...text.matchAll(/proves\(\s*check\.(\w+)/g), ...tableDriven]) {
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

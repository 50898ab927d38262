// The check catalogue: every suite folder declares its checks in suites/<area>/checks.ts. The
// harness finds them by path (it knows no particular check), so `list`, the docs page and the
// coverage of REQUIREMENTS.md are generated from the code.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkRegistry, type CheckDefinition } from './checks.ts';

export async function loadCatalogue(root: string): Promise<CheckDefinition[]> {
  const suitesDir = join(root, 'suites');
  for (const entry of readdirSync(suitesDir, { withFileTypes: true })) {
    const file = join(suitesDir, entry.name, 'checks.ts');
    if (entry.isDirectory() && existsSync(file)) await import(pathToFileURL(file).href);
  }
  return checkRegistry.list();
}

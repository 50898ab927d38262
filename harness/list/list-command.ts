// `oidc-conformance list [--json]`: the check catalogue. `list --coverage [--requirements PATH]
// [--area KEY ...]`: per area of REQUIREMENTS.md, how many observable rows at least one check
// covers, and which rows none does. `list --ofcs [--plan KEY ...]`: the coverage of the OpenID
// Foundation's certification plans (suites/ofcs-plans.json, harness/list/ofcs.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../catalogue.ts';
import { computeCoverage } from '../requirements/compute-coverage.ts';
import { formatCoverage } from '../requirements/format-coverage.ts';
import { readRequirements } from '../requirements/read-requirements.ts';
import { catalogueJson, formatCatalogueText } from './format-catalogue.ts';
import { OFCS_DATA_PATH, computeOfcsCoverage, formatOfcsText, loadOfcsData, ofcsJson } from './ofcs.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The shared requirements catalogue sits next to the repository (../shared at CI time). */
export const DEFAULT_REQUIREMENTS = join(PACKAGE_ROOT, '..', 'shared', 'REQUIREMENTS.md');

/** Bad usage of `list`: the CLI prints the message and exits 2. */
export class ListUsageError extends Error {}

export interface ListOptions {
  json: boolean;
  coverage: boolean;
  requirements: string;
  areas: string[];
  ofcs: boolean;
  plans: string[];
}

export function parseListArgs(args: string[]): ListOptions {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      coverage: { type: 'boolean' },
      requirements: { type: 'string' },
      area: { type: 'string', multiple: true },
      ofcs: { type: 'boolean' },
      plan: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (!values.coverage && (values.requirements !== undefined || values.area !== undefined)) {
    throw new ListUsageError('oidc-conformance list: --requirements and --area go with --coverage');
  }
  if (values.ofcs && values.coverage) throw new ListUsageError('oidc-conformance list: --ofcs and --coverage are separate listings');
  if (!values.ofcs && values.plan !== undefined) throw new ListUsageError('oidc-conformance list: --plan goes with --ofcs');
  const plans = (values.plan ?? []).flatMap((p) => p.split(',')).map((p) => p.trim().toLowerCase()).filter(Boolean);
  const areas = (values.area ?? []).flatMap((a) => a.split(',')).map((a) => a.trim().toUpperCase()).filter(Boolean);
  return { json: values.json ?? false, coverage: values.coverage ?? false, requirements: resolve(values.requirements ?? DEFAULT_REQUIREMENTS), areas, ofcs: values.ofcs ?? false, plans };
}

export async function listCommand(args: string[], write: (text: string) => void = (text) => console.log(text)): Promise<number> {
  const options = parseListArgs(args);
  const checks = await loadCatalogue(PACKAGE_ROOT);
  if (options.ofcs) {
    const coverage = computeOfcsCoverage(loadOfcsData(PACKAGE_ROOT), new Set(checks.map((c) => c.id)), OFCS_DATA_PATH);
    const unknown = options.plans.filter((p) => !coverage.plans.some((c) => c.key === p));
    if (unknown.length > 0) {
      throw new ListUsageError(`oidc-conformance list --ofcs: no plan ${unknown.join(', ')} (plans: ${coverage.plans.map((p) => p.key).join(', ')})`);
    }
    write(options.json ? JSON.stringify(ofcsJson(coverage, { plans: options.plans }), null, 2) : formatOfcsText(coverage, { plans: options.plans }));
    return 0;
  }
  if (!options.coverage) {
    write(options.json ? JSON.stringify(catalogueJson(checks), null, 2) : formatCatalogueText(checks));
    return 0;
  }
  if (!existsSync(options.requirements)) {
    throw new ListUsageError(
      `oidc-conformance list --coverage: the requirements catalogue ${options.requirements} does not exist; pass its path with --requirements PATH`,
    );
  }
  const rows = readRequirements(options.requirements);
  const known = new Set(rows.map((r) => r.area));
  const unknown = options.areas.filter((a) => !known.has(a));
  if (unknown.length > 0) {
    throw new ListUsageError(`oidc-conformance list --coverage: no area ${unknown.join(', ')} in ${options.requirements} (areas: ${[...known].join(', ')})`);
  }
  const report = computeCoverage(rows, checks);
  if (options.json) {
    const areas = options.areas.length ? report.areas.filter((a) => options.areas.includes(a.area)) : report.areas;
    write(JSON.stringify({ requirements: options.requirements, ...report, areas }, null, 2));
  } else {
    write(`requirements: ${options.requirements}\nchecks: ${checks.length}\n`);
    write(formatCoverage(report, options.areas.length ? { areas: options.areas } : {}));
  }
  return 0;
}

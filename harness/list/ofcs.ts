// Coverage of the OpenID Foundation's certification plans (oidcc Basic, Implicit, Hybrid, Config;
// static client): suites/ofcs-plans.json maps every test module of those plans to the check ids
// that cover it, per plan, or to N/A with the reason. `oidc-conformance list --ofcs` prints it and
// docs/ofcs-coverage.md (`npm run docs:ofcs`) is generated from it. The harness reads the data by
// path (it never imports from suites/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OFCS_DATA_PATH = join('suites', 'ofcs-plans.json');
export const OFCS_DOC_COMMAND = 'npm run docs:ofcs';
export const MODULE_NAME = /^oidcc-[a-z0-9-]+$/;

export interface OfcsPlan {
  key: string;
  testPlanName: string;
  certificationProfile: string;
  class: string;
  path: string;
  commit: string;
  variants: string[];
  notes?: string;
  /** The module names of the plan, as extracted from the plan class (source order). */
  modules: string[];
}

export interface OfcsModule {
  name: string;
  class: string;
  path: string;
  commit: string;
  /** plan key -> the variants (response types) the plan runs the module with. */
  plans: Record<string, string[]>;
  summary: string;
  pass: string;
  /** plan key -> ids of the checks covering the module in that plan; [] = missing. */
  checks?: Record<string, string[]>;
  /** Not applicable to this harness (static client), with the reason. */
  na?: string;
  todo?: string;
  note?: string;
  gaps?: string;
  related?: string[];
}

export interface OfcsData {
  description: string;
  source: Record<string, string>;
  plans: OfcsPlan[];
  modules: OfcsModule[];
}

export type OfcsStatus = 'covered' | 'na' | 'missing';

export interface OfcsRow {
  module: string;
  variants: string[];
  status: OfcsStatus;
  checks: string[];
  /** The N/A reason, or for a missing module the todo note (or "no entry in the data file"). */
  reason?: string;
  /** The plan lists the module but the data file has no entry for it. */
  noEntry?: boolean;
  gaps?: string;
}

export interface OfcsPlanCoverage {
  key: string;
  testPlanName: string;
  certificationProfile: string;
  modules: number;
  covered: number;
  na: number;
  missing: number;
  rows: OfcsRow[];
}

export interface OfcsCoverage {
  data: string;
  plans: OfcsPlanCoverage[];
  totals: { modules: number; covered: number; na: number; missing: number };
  /** Problems of the data file itself: unknown check ids, malformed or inconsistent entries. */
  errors: string[];
}

/** Reads the data file (throws with the path when it cannot be read or parsed). */
export function readOfcsData(file: string): OfcsData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the OFCS plan coverage file ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as OfcsData;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function loadOfcsData(root: string): OfcsData {
  return readOfcsData(join(root, OFCS_DATA_PATH));
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((e) => typeof e === 'string');
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Every problem of the data file, given the ids of the check catalogue; [] when it is sound. */
export function validateOfcsData(data: OfcsData, knownCheckIds: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  if (!Array.isArray(data?.plans) || !Array.isArray(data?.modules)) return ['the data file needs a "plans" array and a "modules" array'];
  const planKeys = new Set<string>();
  const listed = new Map<string, Set<string>>();
  for (const plan of data.plans) {
    if (!nonEmpty(plan.key)) { errors.push('a plan has no key'); continue; }
    if (planKeys.has(plan.key)) errors.push(`plan ${plan.key} appears twice`);
    planKeys.add(plan.key);
    if (!/^[0-9a-f]{40}$/.test(plan.commit ?? '')) errors.push(`plan ${plan.key}: commit must be 40 hex digits`);
    if (!isStringArray(plan.modules) || plan.modules.length === 0) { errors.push(`plan ${plan.key}: modules must be a non-empty list of names`); continue; }
    const names = new Set<string>();
    for (const name of plan.modules) {
      if (names.has(name)) errors.push(`plan ${plan.key} lists ${name} twice`);
      if (!MODULE_NAME.test(name)) errors.push(`plan ${plan.key}: "${name}" is not a module name (${MODULE_NAME})`);
      names.add(name);
    }
    listed.set(plan.key, names);
  }
  const entries = new Set<string>();
  for (const entry of data.modules) {
    const name = entry?.name;
    if (!nonEmpty(name)) { errors.push('a module entry has no name'); continue; }
    if (entries.has(name)) errors.push(`module ${name} has two entries`);
    entries.add(name);
    if (!MODULE_NAME.test(name)) errors.push(`"${name}" is not a module name (${MODULE_NAME})`);
    for (const field of ['class', 'path', 'summary', 'pass'] as const) {
      if (!nonEmpty(entry[field])) errors.push(`module ${name}: ${field} is missing or empty`);
    }
    if (!/^[0-9a-f]{40}$/.test(entry.commit ?? '')) errors.push(`module ${name}: commit must be 40 hex digits`);
    const plans = entry.plans && typeof entry.plans === 'object' ? Object.keys(entry.plans) : [];
    if (plans.length === 0) errors.push(`module ${name}: plans is empty`);
    for (const key of plans) {
      if (!planKeys.has(key)) errors.push(`module ${name}: unknown plan "${key}"`);
      else if (!listed.get(key)?.has(name)) errors.push(`module ${name} says it runs in plan ${key}, whose module list lacks it`);
      if (!isStringArray(entry.plans[key]) || entry.plans[key].length === 0) errors.push(`module ${name}: plans.${key} must list the variants it runs with`);
    }
    if (entry.na !== undefined) {
      if (!nonEmpty(entry.na)) errors.push(`module ${name}: na needs the reason`);
      if (entry.checks !== undefined) errors.push(`module ${name}: has both na and checks`);
    } else if (entry.checks === undefined || typeof entry.checks !== 'object') {
      errors.push(`module ${name}: needs checks (per plan) or na (with the reason)`);
    } else {
      const keys = Object.keys(entry.checks);
      for (const key of plans) if (!keys.includes(key)) errors.push(`module ${name}: checks has no list for plan ${key}`);
      for (const key of keys) {
        if (!plans.includes(key)) errors.push(`module ${name}: checks.${key} is for a plan the module is not in`);
        const ids = entry.checks[key];
        if (!isStringArray(ids)) { errors.push(`module ${name}: checks.${key} must be a list of check ids`); continue; }
        for (const id of ids) if (!knownCheckIds.has(id)) errors.push(`module ${name}: unknown check id ${id} (plan ${key})`);
      }
    }
    for (const id of entry.related ?? []) if (!knownCheckIds.has(id)) errors.push(`module ${name}: unknown check id ${id} (related)`);
  }
  for (const [key, names] of listed) {
    for (const name of names) if (!entries.has(name)) errors.push(`plan ${key} lists ${name}, which has no entry`);
  }
  return errors;
}

/** Per plan, each module of the plan's list: covered (with the ids), N/A (with the reason) or missing. */
export function computeOfcsCoverage(data: OfcsData, knownCheckIds: ReadonlySet<string>, dataPath = OFCS_DATA_PATH): OfcsCoverage {
  const errors = validateOfcsData(data, knownCheckIds);
  const byName = new Map((Array.isArray(data?.modules) ? data.modules : []).filter((m) => nonEmpty(m?.name)).map((m) => [m.name, m]));
  const plans: OfcsPlanCoverage[] = [];
  for (const plan of Array.isArray(data?.plans) ? data.plans : []) {
    const rows: OfcsRow[] = [];
    for (const name of isStringArray(plan.modules) ? plan.modules : []) {
      const entry = byName.get(name);
      if (!entry) {
        rows.push({ module: name, variants: [], status: 'missing', checks: [], reason: 'no entry in the data file', noEntry: true });
        continue;
      }
      const listedVariants = entry.plans?.[plan.key];
      const variants = isStringArray(listedVariants) ? listedVariants : [];
      if (nonEmpty(entry.na)) {
        rows.push({ module: name, variants, status: 'na', checks: [], reason: entry.na });
        continue;
      }
      const listedIds = entry.checks?.[plan.key];
      const ids = isStringArray(listedIds) ? listedIds : [];
      if (ids.length > 0) rows.push({ module: name, variants, status: 'covered', checks: [...ids], ...(entry.gaps ? { gaps: entry.gaps } : {}) });
      else rows.push({ module: name, variants, status: 'missing', checks: [], ...(entry.todo ? { reason: entry.todo } : {}) });
    }
    const count = (s: OfcsStatus) => rows.filter((r) => r.status === s).length;
    plans.push({
      key: plan.key,
      testPlanName: plan.testPlanName,
      certificationProfile: plan.certificationProfile,
      modules: rows.length,
      covered: count('covered'),
      na: count('na'),
      missing: count('missing'),
      rows,
    });
  }
  return { data: dataPath, plans, totals: totalsOf(plans), errors };
}

function totalsOf(plans: OfcsPlanCoverage[]): OfcsCoverage['totals'] {
  const sum = (f: (p: OfcsPlanCoverage) => number) => plans.reduce((n, p) => n + f(p), 0);
  return { modules: sum((p) => p.modules), covered: sum((p) => p.covered), na: sum((p) => p.na), missing: sum((p) => p.missing) };
}

export function totalsLine(t: { modules: number; covered: number; na: number; missing: number }): string {
  return `${t.covered} of ${t.modules} modules covered, ${t.na} N/A, ${t.missing} missing`;
}

/** The text table of `list --ofcs`: one block per plan, then the totals and any data errors. */
export function formatOfcsText(coverage: OfcsCoverage, options: { plans?: string[] } = {}): string {
  const plans = options.plans?.length ? coverage.plans.filter((p) => options.plans!.includes(p.key)) : coverage.plans;
  const lines: string[] = [`data: ${coverage.data}`, ''];
  for (const plan of plans) {
    lines.push(`${plan.testPlanName} (${plan.certificationProfile}): ${totalsLine(plan)}`);
    const width = Math.max(0, ...plan.rows.map((r) => r.module.length));
    for (const row of plan.rows) {
      const head = `  ${row.module.padEnd(width)}  `;
      const pad = ''.padEnd(head.length);
      if (row.status === 'covered') {
        lines.push(`${head}covered  ${row.checks.join(', ')}`);
        if (row.gaps) lines.push(`${pad}         gaps: ${row.gaps}`);
      } else if (row.status === 'na') {
        lines.push(`${head}N/A      ${row.reason}`);
      } else {
        lines.push(`${head}MISSING  ${row.noEntry ? 'no entry in the data file' : `todo: ${row.reason ?? '(none written)'}`}`);
      }
    }
    lines.push('');
  }
  const totals = totalsOf(plans);
  lines.push(`total: ${totalsLine(totals)} (a module counts once per plan)`);
  if (totals.missing > 0) lines.push(`MISSING: ${totals.missing} plan module${totals.missing === 1 ? '' : 's'} without a covering check`);
  if (coverage.errors.length > 0) {
    lines.push('', `ERRORS in ${coverage.data} (${coverage.errors.length}):`);
    for (const error of coverage.errors) lines.push(`  ERROR ${error}`);
  }
  return lines.join('\n');
}

/** `list --ofcs --json`: the coverage per plan with every row, the totals (of the plans shown) and the data errors. */
export function ofcsJson(coverage: OfcsCoverage, options: { plans?: string[] } = {}): OfcsCoverage {
  if (!options.plans?.length) return coverage;
  const plans = coverage.plans.filter((p) => options.plans!.includes(p.key));
  return { ...coverage, plans, totals: totalsOf(plans) };
}

function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const STATUS_CELL: Record<OfcsStatus, string> = { covered: 'covered', na: 'N/A', missing: '**MISSING**' };

/** docs/ofcs-coverage.md: the summary per plan, then one section per module with its description. */
export function renderOfcsMarkdown(data: OfcsData, coverage: OfcsCoverage): string {
  const lines = [
    '# Coverage of the OpenID Foundation certification plans',
    '',
    `<!-- Generated from ${OFCS_DATA_PATH} by \`${OFCS_DOC_COMMAND}\`; do not edit by hand (a test fails when it is stale). -->`,
    '',
    'Which checks of this harness cover each test module of the Foundation\'s OpenID Provider certification plans',
    '(oidcc Basic, Implicit, Hybrid and Config, static client). The same table comes from',
    '`npx oidc-conformance list --ofcs` (`--json` for tools). Edit the data file, then regenerate this page.',
    '',
    `Source: ${data.source?.repository ?? ''} (mirror ${data.source?.mirror ?? ''}); plan classes:`,
    '',
    ...data.plans.map((p) => `- \`${p.testPlanName}\` (${p.certificationProfile}): \`${p.path}\` at \`${p.commit}\`; variants: ${p.variants.join('; ')}`),
    '',
    `Total: ${totalsLine(coverage.totals)} (a module counts once per plan).`,
    '',
    '| Plan | Modules | Covered | N/A | Missing |',
    '|---|---|---|---|---|',
    ...coverage.plans.map((p) => `| ${cell(p.testPlanName)} | ${p.modules} | ${p.covered} | ${p.na} | ${p.missing} |`),
    '',
  ];
  if (data.source?.standardFlow) lines.push('## The standard flow', '', data.source.standardFlow, '');
  for (const plan of coverage.plans) {
    lines.push(`## ${plan.testPlanName}`, '', `${totalsLine(plan)}.`, '', '| Module | Variants | Status | Covered by / reason |', '|---|---|---|---|');
    for (const row of plan.rows) {
      const what = row.status === 'covered' ? row.checks.map((id) => `\`${id}\``).join(', ') : (row.reason ?? '');
      lines.push(`| [${row.module}](#${row.module}) | ${cell(row.variants.join(', '))} | ${STATUS_CELL[row.status]} | ${cell(what)} |`);
    }
    lines.push('');
  }
  lines.push('## Modules', '');
  for (const entry of [...data.modules].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`### ${entry.name}`, '');
    lines.push(`- Source: \`${entry.path}\` (${entry.class}) at \`${entry.commit}\``);
    lines.push(`- Plans: ${Object.entries(entry.plans).map(([k, v]) => `${k} (${v.join(', ')})`).join('; ')}`);
    lines.push(`- Sends: ${entry.summary}`);
    lines.push(`- Passes when: ${entry.pass}`);
    if (entry.na) lines.push(`- N/A: ${entry.na}`);
    if (entry.checks) {
      for (const [plan, ids] of Object.entries(entry.checks)) {
        lines.push(`- ${plan}: ${ids.length ? ids.map((id) => `\`${id}\``).join(', ') : '**MISSING**'}`);
      }
    }
    if (entry.todo) lines.push(`- To do: ${entry.todo}`);
    if (entry.gaps) lines.push(`- Gaps: ${entry.gaps}`);
    if (entry.note) lines.push(`- Note: ${entry.note}`);
    if (entry.related?.length) lines.push(`- Related (partial overlap, not counted): ${entry.related.map((id) => `\`${id}\``).join(', ')}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

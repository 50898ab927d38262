// Coverage of the OpenID Foundation's certification plans (suites/ofcs-plans.json): every module
// of every plan has an entry that is covered by existing checks or N/A with a reason, the names
// are the Foundation's, `list --ofcs` prints the table, and docs/ofcs-coverage.md is not stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import { ListUsageError, listCommand } from '../harness/list/list-command.ts';
import {
  MODULE_NAME,
  computeOfcsCoverage,
  formatOfcsText,
  loadOfcsData,
  renderOfcsMarkdown,
  validateOfcsData,
  type OfcsData,
  type OfcsModule,
} from '../harness/list/ofcs.ts';
import { ROOT } from './support.ts';

const catalogue = await loadCatalogue(ROOT);
const knownIds = new Set(catalogue.map((c) => c.id));
const data = loadOfcsData(ROOT);
const coverage = computeOfcsCoverage(data, knownIds);

/**
 * `<plan>/<module>` pairs allowed to be MISSING (checks: []) until the browser suites land
 * (code-flow/, implicit/, hybrid/, request-params/ ...). THE LEAD EMPTIES THIS LIST: remove a line
 * as soon as its module gets check ids in suites/ofcs-plans.json (the test below fails while a
 * listed pair is already covered, so the list can only shrink). Never add a pair here to hide a
 * module name that has no entry: that always fails.
 */
const PENDING_BROWSER_SUITES: readonly string[] = [];

async function list(args: string[]): Promise<string> {
  let out = '';
  const code = await listCommand(args, (text) => (out += `${text}\n`));
  expect(code).toBe(0);
  return out;
}

describe('suites/ofcs-plans.json', () => {
  it('has no errors: every check id is in the catalogue, every entry well formed and consistent with the plan lists', () => {
    expect(coverage.errors).toEqual([]);
  });

  it('covers every module of every plan, or says N/A with a reason (except the PENDING_BROWSER_SUITES allowance)', () => {
    const pending = new Set(PENDING_BROWSER_SUITES);
    const uncovered: string[] = [];
    for (const plan of coverage.plans) {
      for (const row of plan.rows) {
        expect(row.noEntry, `plan ${plan.key} lists ${row.module}, which has no entry in suites/ofcs-plans.json`).toBeFalsy();
        if (row.status === 'na') expect(row.reason?.trim(), `${row.module}: N/A needs a reason`).toBeTruthy();
        if (row.status === 'covered') expect(row.checks.length).toBeGreaterThan(0);
        if (row.status === 'missing' && !pending.has(`${plan.key}/${row.module}`)) uncovered.push(`${plan.key}/${row.module}`);
      }
    }
    expect(uncovered, 'plan modules with neither check ids nor an N/A reason').toEqual([]);
  });

  it('PENDING_BROWSER_SUITES only names plan modules that exist and are still missing (remove covered ones)', () => {
    const missing = new Set(coverage.plans.flatMap((p) => p.rows.filter((r) => r.status === 'missing').map((r) => `${p.key}/${r.module}`)));
    expect(new Set(PENDING_BROWSER_SUITES).size).toBe(PENDING_BROWSER_SUITES.length);
    expect(PENDING_BROWSER_SUITES.filter((pair) => !missing.has(pair)), 'now covered (or N/A, or unknown): remove from PENDING_BROWSER_SUITES').toEqual([]);
  });

  it('every missing module says what to do (todo), and every N/A is a whole-module reason', () => {
    for (const entry of data.modules) {
      const missingSomewhere = entry.checks && Object.values(entry.checks).some((ids) => ids.length === 0);
      if (missingSomewhere) expect(entry.todo?.trim(), `${entry.name}: a module without checks needs a todo`).toBeTruthy();
    }
  });

  it('module names are unique, Foundation-shaped, and exactly the union of the plan lists recorded from the plan sources', () => {
    const names = data.modules.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(MODULE_NAME);
    const fromPlans = new Set(data.plans.flatMap((p) => p.modules));
    expect([...new Set(names)].sort()).toEqual([...fromPlans].sort());
    for (const entry of data.modules) {
      const inPlans = data.plans.filter((p) => p.modules.includes(entry.name)).map((p) => p.key).sort();
      expect(Object.keys(entry.plans).sort(), `${entry.name}: plans must be exactly the plans listing it`).toEqual(inPlans);
    }
  });

  it('records the four oidcc plans with their sources, and spot-checks names from the Foundation\'s plan classes', () => {
    expect(data.plans.map((p) => p.testPlanName)).toEqual([
      'oidcc-basic-certification-test-plan',
      'oidcc-implicit-certification-test-plan',
      'oidcc-hybrid-certification-test-plan',
      'oidcc-config-certification-test-plan',
    ]);
    for (const plan of data.plans) {
      expect(plan.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(plan.path).toMatch(/^src\/main\/java\/net\/openid\/conformance\/openid\/OIDCC\w+TestPlan\.java$/);
    }
    const modulesOf = (key: string) => data.plans.find((p) => p.key === key)!.modules;
    expect(modulesOf('basic')).toHaveLength(38);
    expect(modulesOf('implicit')).toHaveLength(31);
    expect(modulesOf('hybrid')).toHaveLength(37);
    expect(modulesOf('config')).toEqual(['oidcc-discovery-endpoint-verification']);
    expect(modulesOf('basic')).toEqual(expect.arrayContaining(['oidcc-server', 'oidcc-codereuse-30seconds', 'oidcc-ensure-post-request-succeeds', 'oidcc-idtoken-unsigned']));
    expect(modulesOf('implicit')).not.toContain('oidcc-codereuse');
    expect(modulesOf('implicit')).toContain('oidcc-ensure-request-without-nonce-fails');
  });
});

const FIXTURE: OfcsData = {
  description: 'fixture',
  source: { repository: 'https://example.test/suite', mirror: 'https://example.test/mirror' },
  plans: [
    { key: 'basic', testPlanName: 'oidcc-basic-certification-test-plan', certificationProfile: 'Basic OP', class: 'B', path: 'B.java', commit: 'a'.repeat(40), variants: ['code'], modules: ['oidcc-server', 'oidcc-idtoken-unsigned', 'oidcc-codereuse'] },
    { key: 'config', testPlanName: 'oidcc-config-certification-test-plan', certificationProfile: 'Config OP', class: 'C', path: 'C.java', commit: 'b'.repeat(40), variants: ['discovery'], modules: ['oidcc-discovery-endpoint-verification'] },
  ],
  modules: [
    { name: 'oidcc-server', class: 'S', path: 'S.java', commit: 'c'.repeat(40), plans: { basic: ['code'] }, summary: 'happy flow', pass: 'it works', checks: { basic: ['code-flow/happy'] } },
    { name: 'oidcc-idtoken-unsigned', class: 'U', path: 'U.java', commit: 'c'.repeat(40), plans: { basic: ['code'] }, summary: 'alg none', pass: 'unsigned', na: 'dynamic registration only' },
    { name: 'oidcc-codereuse', class: 'R', path: 'R.java', commit: 'c'.repeat(40), plans: { basic: ['code'] }, summary: 'reuse', pass: 'invalid_grant', checks: { basic: [] }, todo: 'code-flow/…: replay the code' },
    { name: 'oidcc-discovery-endpoint-verification', class: 'D', path: 'D.java', commit: 'c'.repeat(40), plans: { config: ['discovery'] }, summary: 'metadata', pass: 'valid', checks: { config: ['discovery/served', 'discovery/nope'] }, gaps: 'grant types' },
  ],
};
const FIXTURE_IDS = new Set(['code-flow/happy', 'discovery/served']);
const clone = (): OfcsData => JSON.parse(JSON.stringify(FIXTURE)) as OfcsData;

describe('OFCS coverage (fixture)', () => {
  it('classifies each plan module as covered, N/A or missing, with totals per plan and overall', () => {
    const result = computeOfcsCoverage(FIXTURE, FIXTURE_IDS, 'fixture.json');
    expect(result.plans.map((p) => [p.key, p.modules, p.covered, p.na, p.missing])).toEqual([
      ['basic', 3, 1, 1, 1],
      ['config', 1, 1, 0, 0],
    ]);
    expect(result.totals).toEqual({ modules: 4, covered: 2, na: 1, missing: 1 });
    expect(result.plans[0]!.rows.map((r) => [r.module, r.status])).toEqual([
      ['oidcc-server', 'covered'],
      ['oidcc-idtoken-unsigned', 'na'],
      ['oidcc-codereuse', 'missing'],
    ]);
    expect(result.errors).toEqual(['module oidcc-discovery-endpoint-verification: unknown check id discovery/nope (plan config)']);
  });

  it('prints the table: covered ids, N/A reasons, MISSING with the todo, totals and data errors', () => {
    const text = formatOfcsText(computeOfcsCoverage(FIXTURE, FIXTURE_IDS, 'fixture.json'));
    expect(text).toBe(
      [
        'data: fixture.json',
        '',
        'oidcc-basic-certification-test-plan (Basic OP): 1 of 3 modules covered, 1 N/A, 1 missing',
        '  oidcc-server            covered  code-flow/happy',
        '  oidcc-idtoken-unsigned  N/A      dynamic registration only',
        '  oidcc-codereuse         MISSING  todo: code-flow/…: replay the code',
        '',
        'oidcc-config-certification-test-plan (Config OP): 1 of 1 modules covered, 0 N/A, 0 missing',
        '  oidcc-discovery-endpoint-verification  covered  discovery/served, discovery/nope',
        '                                                  gaps: grant types',
        '',
        'total: 2 of 4 modules covered, 1 N/A, 1 missing (a module counts once per plan)',
        'MISSING: 1 plan module without a covering check',
        '',
        'ERRORS in fixture.json (1):',
        '  ERROR module oidcc-discovery-endpoint-verification: unknown check id discovery/nope (plan config)',
      ].join('\n'),
    );
    expect(formatOfcsText(computeOfcsCoverage(FIXTURE, FIXTURE_IDS, 'fixture.json'), { plans: ['config'] })).not.toContain('oidcc-codereuse');
  });

  it('reports a module a plan lists without an entry as MISSING (no entry) and as an error', () => {
    const broken = clone();
    broken.modules = broken.modules.filter((m) => m.name !== 'oidcc-codereuse');
    const result = computeOfcsCoverage(broken, FIXTURE_IDS);
    expect(result.plans[0]!.rows[2]).toMatchObject({ module: 'oidcc-codereuse', status: 'missing', noEntry: true });
    expect(result.errors).toContain('plan basic lists oidcc-codereuse, which has no entry');
    expect(formatOfcsText(result)).toContain('oidcc-codereuse         MISSING  no entry in the data file');
  });

  it('catches a typo\'d module name, an entry without checks or na, a na without reason, and checks for the wrong plan', () => {
    const broken = clone();
    const [server, unsigned, reuse, discovery] = broken.modules as [OfcsModule, OfcsModule, OfcsModule, OfcsModule];
    server.name = 'oidcc-serverr';
    unsigned.na = ' ';
    delete reuse.checks;
    discovery.checks = { basic: ['discovery/served'] };
    broken.plans[0]!.modules.push('OIDCC_Bad');
    const errors = validateOfcsData(broken, FIXTURE_IDS);
    expect(errors).toEqual(
      expect.arrayContaining([
        'plan basic: "OIDCC_Bad" is not a module name (/^oidcc-[a-z0-9-]+$/)',
        'module oidcc-serverr says it runs in plan basic, whose module list lacks it',
        'plan basic lists oidcc-server, which has no entry',
        'module oidcc-idtoken-unsigned: na needs the reason',
        'module oidcc-codereuse: needs checks (per plan) or na (with the reason)',
        'module oidcc-discovery-endpoint-verification: checks has no list for plan config',
        'module oidcc-discovery-endpoint-verification: checks.basic is for a plan the module is not in',
      ]),
    );
  });
});

describe('oidc-conformance list --ofcs', () => {
  it('prints every plan with its totals and the overall totals', async () => {
    const text = await list(['--ofcs']);
    for (const plan of coverage.plans) expect(text).toContain(`${plan.testPlanName} (${plan.certificationProfile}): ${plan.covered} of ${plan.modules} modules covered, ${plan.na} N/A, ${plan.missing} missing`);
    expect(text).toContain(`total: ${coverage.totals.covered} of ${coverage.totals.modules} modules covered`);
    expect(text).toMatch(/^ {2}oidcc-discovery-endpoint-verification +covered {2}discovery\/served/m);
    expect(text).toMatch(/^ {2}oidcc-idtoken-unsigned +N\/A {6}Dynamic registration only/m);
    const missingRow = coverage.plans.flatMap((p) => p.rows).find((r) => r.status === 'missing');
    if (missingRow) expect(text).toMatch(new RegExp(`^ {2}${missingRow.module} +MISSING {2}todo: `, 'm'));
    expect(text).toMatch(/^ {2}oidcc-server +covered {2}code-flow\/code-response, /m);
  });

  it('--json gives the rows, totals and errors; --plan narrows to one plan', async () => {
    const json = JSON.parse(await list(['--ofcs', '--json'])) as typeof coverage;
    expect(json).toEqual(JSON.parse(JSON.stringify(coverage)));
    const config = JSON.parse(await list(['--ofcs', '--json', '--plan', 'config'])) as typeof coverage;
    expect(config.plans.map((p) => p.key)).toEqual(['config']);
    expect(config.totals).toEqual({ modules: 1, covered: config.plans[0]!.covered, na: config.plans[0]!.na, missing: config.plans[0]!.missing });
    const text = await list(['--ofcs', '--plan', 'config']);
    expect(text).toContain('oidcc-config-certification-test-plan');
    expect(text).not.toContain('oidcc-basic-certification-test-plan');
  });

  it('refuses an unknown plan, --plan without --ofcs, and --ofcs with --coverage', async () => {
    await expect(listCommand(['--ofcs', '--plan', 'fapi'], () => {})).rejects.toThrow(ListUsageError);
    await expect(listCommand(['--plan', 'basic'], () => {})).rejects.toThrow(/--plan goes with --ofcs/);
    await expect(listCommand(['--ofcs', '--coverage'], () => {})).rejects.toThrow(ListUsageError);
  });
});

describe('docs/ofcs-coverage.md', () => {
  it('is generated from the data file by `npm run docs:ofcs` (regenerate it when this fails)', () => {
    const page = readFileSync(join(ROOT, 'docs', 'ofcs-coverage.md'), 'utf8');
    expect(page, 'docs/ofcs-coverage.md is stale: run `npm run docs:ofcs`').toBe(renderOfcsMarkdown(data, coverage));
  });
});

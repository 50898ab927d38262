// Where mutants come from: the reference provider's catalogue and a vendor's mutants file, and
// the selection and checks done before anything runs; plus the printed table and score line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../../reference-provider/index.ts';
import { PACKAGE_ROOT, UsageError } from '../run-command.ts';
import { loadCatalogue } from '../../catalogue.ts';
import { classifyMutant, judgeBaseline, scoreMutation, unknownExpects } from './classify.ts';
import { type MutationResult, baselineSummary, formatMutationMarkdown, formatMutationText } from './format.ts';
import { MutantsFileError, loadMutantsFile, planFromMutantsFile } from './mutants-file.ts';
import { fixtureReport, tempDir, writeFixture } from '../../compare/fixture-reports.ts';
import { baselineSelection, browserExpectedOnly, parseMutationArgs, referencePlan, reportAsBaseline, selectMutants } from './mutation-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'oc-mutants-'));
const file = join(dir, 'mutants.json');

describe('referencePlan', () => {
  it('makes every fault of the catalogue a mutant of the embedded provider, run on the areas of its expected checks', () => {
    const plan = referencePlan();
    expect(plan.mutants.map((m) => m.name)).toEqual(FAULTS.map((f) => f.name));
    expect(plan.baseline.target).toEqual({ kind: 'embedded', faults: [] });
    for (const fault of FAULTS) {
      const mutant = plan.mutants.find((m) => m.name === fault.name)!;
      expect(mutant.target).toEqual({ kind: 'embedded', faults: [fault.name] });
      expect(mutant.expects).toEqual(fault.expects ?? []);
      expect(mutant.only).toEqual([...new Set((fault.expects ?? []).map((id) => id.split('/')[0]))].sort());
    }
  });
});

describe('selectMutants', () => {
  it('keeps the named faults and refuses unknown names', () => {
    const plan = referencePlan();
    expect(selectMutants(plan, ['password-unchecked']).map((m) => m.name)).toEqual(['password-unchecked']);
    expect(() => selectMutants(plan, ['password-unchecked', 'no-such-fault'])).toThrow(UsageError);
    expect(() => selectMutants(plan, ['no-such-fault'])).toThrow(/unknown fault "no-such-fault"/);
  });
});

describe('mutants file', () => {
  it('resolves paths from its own directory, defaults only to the areas of expects and jobs to 1', () => {
    const plan = planFromMutantsFile(
      {
        baseline: { profile: 'profiles/good.json', start: './start.sh' },
        mutants: [
          { name: 'lax-password', expects: ['password/wrong-password-refused', 'password/no-store'], start: './start.sh --fault lax', cwd: '..' },
          { name: 'other-host', expects: ['jwks/no-private-members'], profile: 'profiles/leaky.json', only: ['jwks/no-private-members'] },
        ],
      },
      file,
    );
    expect(plan.defaultJobs).toBe(1);
    expect(plan.baseline.target).toEqual({ kind: 'profile', profile: join(dir, 'profiles/good.json'), start: './start.sh', cwd: dir, startTimeoutMs: 60_000 });
    expect(plan.mutants[0]).toMatchObject({
      name: 'lax-password',
      only: ['password'],
      target: { kind: 'profile', profile: join(dir, 'profiles/good.json'), start: './start.sh --fault lax', cwd: join(dir, '..') },
    });
    expect(plan.mutants[1]).toMatchObject({ only: ['jwks/no-private-members'], target: { kind: 'profile', profile: join(dir, 'profiles/leaky.json') } });
  });

  it('names the member and the reason of each problem', () => {
    const problems = (value: unknown) => {
      try {
        planFromMutantsFile(value, file);
      } catch (error) {
        return (error as MutantsFileError).problems;
      }
      return [];
    };
    expect(problems({ baseline: { profile: 'p.json' }, mutants: [{ name: 'x', expects: [], profile: 'q.json', fault: 'y' }] })).toEqual(['mutants.0: unknown member "fault"']);
    expect(problems({ mutants: [] })).toEqual(expect.arrayContaining(['(top level): must have required property \'baseline\'']));
    expect(problems({ baseline: { profile: 'p.json' }, mutants: [{ name: 'x', expects: ['not an id'] }] })).toEqual(['mutants.0.expects.0: must match pattern "^[a-z0-9-]+(/[a-z0-9-]+)+$"']);
    expect(problems({ baseline: { profile: 'p.json' }, mutants: [{ name: 'x', expects: ['a/b'] }] })).toEqual([
      'mutants.0: needs a start command or a profile of its own (as written it would test the baseline provider)',
    ]);
    expect(problems({ baseline: { profile: 'p.json' }, mutants: [{ name: 'x', expects: ['a/b'], start: 's' }, { name: 'x', expects: ['a/b'], start: 's' }] })).toEqual([
      'mutants.1.name: "x" is used twice',
    ]);
  });

  it('ships a valid example (fixtures/mutants/example.mutants.json) naming existing checks', async () => {
    const plan = loadMutantsFile(join(PACKAGE_ROOT, 'fixtures', 'mutants', 'example.mutants.json'));
    expect(selectMutants(plan, []).map((m) => m.name)).toEqual(['lax-password', 'cacheable-tokens', 'leaky-jwks']);
    const ids = new Set((await loadCatalogue(PACKAGE_ROOT)).map((c) => c.id));
    expect(plan.mutants.flatMap((m) => unknownExpects(m.expects, ids))).toEqual([]);
    expect(plan.baseline.target).toMatchObject({ kind: 'profile', profile: join(PACKAGE_ROOT, 'fixtures', 'profiles', 'reference-provider.json'), cwd: PACKAGE_ROOT.replace(/\/$/, '') });
  });

  it('says when the file cannot be read or is not JSON', () => {
    expect(() => loadMutantsFile(join(dir, 'missing.json'))).toThrow(/cannot read the file: ENOENT/);
    writeFileSync(join(dir, 'broken.json'), '{ "baseline": ');
    expect(() => loadMutantsFile(join(dir, 'broken.json'))).toThrow(/not valid JSON/);
  });
});

describe('baselineSelection', () => {
  it('makes one baseline run per area, of the whole area when a mutant runs it all, else of the ids selected there', () => {
    const parts = baselineSelection(['password', 'jwks/token-verifies', 'password/no-store', 'jwks/kid-unique', 'discovery']);
    expect([...parts]).toEqual([
      ['password', ['password']],
      ['jwks', ['jwks/kid-unique', 'jwks/token-verifies']],
      ['discovery', ['discovery']],
    ]);
  });
});

describe('parseMutationArgs', () => {
  it('takes repeated or comma-separated faults, and refuses a bad --jobs or --timeout', () => {
    expect(parseMutationArgs(['--fault', 'a,b', '--fault', 'c']).faults).toEqual(['a', 'b', 'c']);
    expect(parseMutationArgs([]).jobs).toBeUndefined();
    expect(() => parseMutationArgs(['--jobs', '0'])).toThrow(UsageError);
    expect(() => parseMutationArgs(['--timeout', 'soon'])).toThrow(UsageError);
    expect(() => parseMutationArgs(['--all-areas', '--only-expected'])).toThrow(/exclude each other/);
    expect(() => parseMutationArgs(['--only-expected', '--browser-expected-only'])).toThrow(/exclude each other/);
    expect(parseMutationArgs(['--browser-expected-only', '--baseline', 'reports/x'])).toMatchObject({ browserExpectedOnly: true, baselineReport: 'reports/x' });
  });
});

describe('--browser-expected-only', () => {
  it('keeps whole HTTP areas and narrows each browser area to the expected checks in it', () => {
    const expects = ['discovery/issuer-matches', 'implicit/id-token-valid', 'hybrid/iss-parameter', 'hybrid/front-id-token-valid', 'jwks/no-private-members'];
    expect(browserExpectedOnly({ only: ['discovery', 'hybrid', 'implicit', 'jwks'], expects }).sort()).toEqual(
      ['discovery', 'hybrid/front-id-token-valid', 'hybrid/iss-parameter', 'implicit/id-token-valid', 'jwks'],
    );
    // A vendor's single check ids stay as they are; no `only` means the areas of expects.
    expect(browserExpectedOnly({ only: ['code-flow/state-echoed'], expects: ['code-flow/state-echoed'] })).toEqual(['code-flow/state-echoed']);
    expect(browserExpectedOnly({ only: [], expects: ['password/no-store', 'code-flow/state-echoed'] }).sort()).toEqual(['code-flow/state-echoed', 'password']);
  });
});

describe('--baseline REPORT', () => {
  const fixtures = tempDir('oc-baseline-');
  const catalogue = ['password/no-store', 'password/wrong-password-refused', 'code-flow/state-echoed'];
  const plan = referencePlan();
  const write = (name: string, options: Parameters<typeof fixtureReport>[0]) => writeFixture(fixtures, name, fixtureReport(options));

  it('takes a whole run of the embedded provider with no fault as the baseline', () => {
    const dir = write('whole', { checks: { 'password/no-store': 'PASS', 'password/wrong-password-refused': 'WARN', 'code-flow/state-echoed': 'PASS' } });
    const { output } = reportAsBaseline(dir, plan, ['password', 'code-flow/state-echoed'], catalogue);
    expect(judgeBaseline(output)).toMatchObject({ clean: true, problems: [] });
    expect(judgeBaseline(output).outcomes.get('password/wrong-password-refused')).toBe('WARN');
  });

  it('refuses a run with a fault on, of another target, or without a check the mutants run', () => {
    const faulty = write('faulty', { checks: { 'password/no-store': 'FAIL' }, faults: ['no-store-missing'] });
    expect(() => reportAsBaseline(faulty, plan, ['password'], catalogue)).toThrow(/with the faults no-store-missing, not of the baseline/);
    const other = write('other', { checks: { 'password/no-store': 'PASS' }, profile: 'profiles/keycloak.json' });
    expect(() => reportAsBaseline(other, plan, ['password'], catalogue)).toThrow(/the profile profiles\/keycloak.json, not of the baseline/);
    const part = write('part', { checks: { 'password/no-store': 'PASS' } });
    expect(() => reportAsBaseline(part, plan, ['password', 'code-flow/state-echoed'], catalogue)).toThrow(/2 checks the mutants run are not in it \(password\/wrong-password-refused, code-flow\/state-echoed\)/);
    expect(() => reportAsBaseline(join(fixtures, 'none'), plan, [], catalogue)).toThrow(UsageError);
  });
});

describe('the printed result', () => {
  const baseline = judgeBaseline({ report: { checks: [{ id: 'a/one', outcome: 'PASS', level: 'MUST', message: '' }] }, problems: [] });
  const fail = { id: 'a/one', outcome: 'FAIL' as const, level: 'MUST' as const, message: 'bad', expected: 1, actual: 2, evidence: { exchanges: ['e'] } };
  const mutants = [
    classifyMutant({ name: 'caught-one', expects: ['a/one'] }, { report: { checks: [fail] }, problems: [] }, baseline),
    classifyMutant({ name: 'silent-one', expects: [] }, undefined, baseline),
  ];
  const result: MutationResult = {
    schemaVersion: 1,
    source: 'test',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 12_345,
    jobs: 2,
    baseline: baselineSummary(baseline),
    mutants,
    score: scoreMutation(baseline, mutants),
  };

  it('is a table per fault, the escapes with their reason, and closes with the score line', () => {
    const text = formatMutationText(result);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^fault\s+expected ids \(outcome\)\s+reported ids\s+caught\s+false alarms$/);
    expect(lines.find((l) => l.startsWith('caught-one'))).toMatch(/^caught-one\s+a\/one FAIL\s+a\/one\s+yes\s+-$/);
    expect(lines.find((l) => l.startsWith('silent-one'))).toMatch(/^silent-one\s+\(none\)\s+-\s+NO\s+-$/);
    expect(text).toContain('  silent-one: declares no expected checks');
    expect(text).toContain('wall time: 12.3 s (2 jobs)');
    expect(lines.at(-1)).toBe('mutation score: 1/2');
  });

  it('renders the same as Markdown', () => {
    const md = formatMutationMarkdown(result);
    expect(md).toContain('| `caught-one` | a/one FAIL | a/one | yes | - |');
    expect(md).toContain('| `silent-one` | (none) | - | **no**: declares no expected checks | - |');
    expect(md).toContain('**mutation score: 1/2**');
  });
});

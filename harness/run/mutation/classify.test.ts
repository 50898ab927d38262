// The mutation verdicts from small report fixtures: baseline cleanliness, caught / escaped per
// mutant, false alarms, the score and the exit code.
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../checks.ts';
import { NO_EXPECTS_REASON, type ReportLike, type RunOutput, areasOf, classifyMutant, judgeBaseline, mergeRuns, scoreMutation } from './classify.ts';

type Row = [id: string, outcome: Outcome] | [id: string, outcome: Outcome, evidence: boolean];

/** A report with these outcomes; every FAIL/WARN carries evidence unless told otherwise. */
function report(rows: Row[]): ReportLike {
  return {
    checks: rows.map(([id, outcome, evidence = true]) => ({
      id,
      outcome,
      level: 'MUST',
      message: `${id} said ${outcome}`,
      ...(evidence ? { expected: 'x', actual: 'y' } : {}),
      evidence: { exchanges: evidence ? ['ex-1'] : [] },
    })),
  };
}

const run = (rows: Row[], problems: string[] = []): RunOutput => ({ report: report(rows), problems });

const baseline = judgeBaseline(
  run([
    ['a/one', 'PASS'],
    ['a/two', 'PASS'],
    ['a/should', 'PASS'],
    ['a/https', 'WARN'],
    ['b/three', 'PASS'],
    ['b/skipped', 'SKIP'],
  ]),
);

describe('judgeBaseline', () => {
  it('is clean with PASS, WARN and SKIP only, and records each outcome', () => {
    expect(baseline.clean).toBe(true);
    expect(baseline.problems).toEqual([]);
    expect(baseline.outcomes.get('a/https')).toBe('WARN');
    expect(baseline.outcomes.size).toBe(6);
  });

  it('is not clean with a FAIL or an ERROR, and names them', () => {
    const dirty = judgeBaseline(run([['a/one', 'FAIL'], ['a/two', 'ERROR'], ['a/three', 'PASS']]));
    expect(dirty.clean).toBe(false);
    expect(dirty.problems).toEqual(['FAIL a/one: a/one said FAIL', 'ERROR a/two: a/two said ERROR']);
  });

  it('is not clean when the run had a problem, did not finish, or reported nothing', () => {
    expect(judgeBaseline(run([['a/one', 'PASS']], ['suites/a/a.suite.ts: boom'])).problems).toEqual(['run problem: suites/a/a.suite.ts: boom']);
    expect(judgeBaseline({ problems: [], error: 'timed out after 300 s' }).clean).toBe(false);
    expect(judgeBaseline(run([])).problems).toEqual(['the baseline run reported no check']);
  });
});

describe('classifyMutant', () => {
  it('is caught when every expected check FAILs with evidence, and reports exactly those', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one', 'b/three'] }, run([['a/one', 'FAIL'], ['a/two', 'PASS'], ['b/three', 'FAIL']]), baseline);
    expect(v.caught).toBe(true);
    expect(v.reason).toBeUndefined();
    expect(v.reported).toEqual(['a/one', 'b/three']);
    expect(v.falseAlarms).toEqual([]);
    expect(v.expected.map((e) => [e.id, e.outcome, e.baseline, e.caught])).toEqual([
      ['a/one', 'FAIL', 'PASS', true],
      ['b/three', 'FAIL', 'PASS', true],
    ]);
  });

  it('counts a WARN as caught when the baseline did not WARN (a SHOULD)', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/should'] }, run([['a/should', 'WARN']]), baseline);
    expect(v.caught).toBe(true);
  });

  it('does not count a WARN the baseline already had: the run shows nothing new', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/https'] }, run([['a/https', 'WARN']]), baseline);
    expect(v.caught).toBe(false);
    expect(v.reason).toBe('a/https: WARN in the baseline too');
    expect(v.reported).toEqual([]);
  });

  it('escapes when one expected check passes, errors, or did not run, and says which', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one', 'a/two', 'a/missing', 'b/three'] }, run([['a/one', 'FAIL'], ['a/two', 'PASS'], ['b/three', 'ERROR']]), baseline);
    expect(v.caught).toBe(false);
    expect(v.expected.filter((e) => !e.caught).map((e) => e.id)).toEqual(['a/two', 'a/missing', 'b/three']);
    expect(v.reason).toBe('a/two: PASS: a/two said PASS; a/missing: did not run; b/three: ERROR: b/three said ERROR');
  });

  it('does not count a FAIL without evidence (no exchanges, or no expected/actual)', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one'] }, run([['a/one', 'FAIL', false]]), baseline);
    expect(v.caught).toBe(false);
    expect(v.reason).toMatch(/without evidence/);
  });

  it('escapes with "declares no expected checks" when expects is empty, whatever ran', () => {
    const v = classifyMutant({ name: 'm', expects: [] }, run([['a/one', 'FAIL']]), baseline);
    expect(v).toMatchObject({ caught: false, reason: NO_EXPECTS_REASON, falseAlarms: [] });
    expect(classifyMutant({ name: 'm', expects: [] }, undefined, baseline).reason).toBe(NO_EXPECTS_REASON);
  });

  it('escapes, unrun, when it expects a check id that is not in the catalogue', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one', 'a/typo'] }, undefined, baseline, new Set(['a/one', 'a/two']));
    expect(v).toMatchObject({ caught: false, reason: 'expects check ids that are not in the catalogue: a/typo' });
  });

  it('escapes when the run did not finish', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one'] }, { problems: [], error: 'timed out after 300 s' }, baseline);
    expect(v).toMatchObject({ caught: false, reason: 'the run did not finish: timed out after 300 s' });
  });

  it('raises a false alarm for another check that FAILs, ERRORs, or WARNs where the baseline passed', () => {
    const v = classifyMutant(
      { name: 'm', expects: ['a/one'] },
      run([['a/one', 'FAIL'], ['a/two', 'FAIL'], ['a/should', 'WARN'], ['b/three', 'ERROR'], ['a/https', 'WARN'], ['b/skipped', 'SKIP']]),
      baseline,
    );
    expect(v.caught).toBe(true);
    expect(v.falseAlarms.map((a) => [a.id, a.outcome, a.baseline])).toEqual([
      ['a/two', 'FAIL', 'PASS'],
      ['a/should', 'WARN', 'PASS'],
      ['b/three', 'ERROR', 'PASS'],
    ]);
    expect(v.reported).toEqual(['a/one', 'a/two', 'a/should']);
  });

  it('does not raise one for a SKIP where the baseline passed, or a check the baseline never ran that passes or WARNs', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one'] }, run([['a/one', 'FAIL'], ['b/three', 'SKIP'], ['c/new', 'PASS'], ['c/newer', 'WARN']]), baseline);
    expect(v.falseAlarms).toEqual([]);
  });

  it('raises one for a FAIL or ERROR of a check the baseline never ran', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one'] }, run([['a/one', 'FAIL'], ['c/new', 'FAIL'], ['c/newer', 'ERROR']]), baseline);
    expect(v.falseAlarms.map((a) => [a.id, a.outcome, a.baseline])).toEqual([
      ['c/new', 'FAIL', undefined],
      ['c/newer', 'ERROR', undefined],
    ]);
  });

  it('does not count an expected WARN the baseline did not run: it cannot be told from an everyday WARN', () => {
    const v = classifyMutant({ name: 'm', expects: ['c/new'] }, run([['c/new', 'WARN']]), baseline);
    expect(v).toMatchObject({ caught: false, reason: 'c/new: WARN, and the baseline did not run it' });
  });

  it('raises one for a problem of the run itself (a suite that did not load)', () => {
    const v = classifyMutant({ name: 'm', expects: ['a/one'] }, run([['a/one', 'FAIL']], ['unhandled error: boom']), baseline);
    expect(v.falseAlarms).toEqual([{ id: '(run)', message: 'unhandled error: boom' }]);
  });
});

describe('mergeRuns', () => {
  it('joins the per-area baseline runs, labelling their problems, and names an unfinished or missing one', () => {
    const merged = mergeRuns([
      ['a', run([['a/one', 'PASS']], ['boom'])],
      ['b', { problems: [], error: 'timed out after 600 s' }],
      ['c', undefined],
      ['d', run([['d/x', 'WARN']])],
    ]);
    expect(merged.report!.checks.map((c) => c.id)).toEqual(['a/one', 'd/x']);
    expect(merged.problems).toEqual(['a: boom']);
    expect(merged.error).toBe('b: timed out after 600 s; c: not run');
    const joined = judgeBaseline(merged);
    expect(joined.clean).toBe(false);
    expect(joined.outcomes.get('d/x')).toBe('WARN');
    expect(judgeBaseline(mergeRuns([['a', run([['a/one', 'PASS']])], ['d', run([['d/x', 'WARN']])]])).clean).toBe(true);
  });
});

describe('scoreMutation', () => {
  const caught = classifyMutant({ name: 'caught', expects: ['a/one'] }, run([['a/one', 'FAIL']]), baseline);
  const escaped = classifyMutant({ name: 'escaped', expects: ['a/one'] }, run([['a/one', 'PASS']]), baseline);
  const alarmed = classifyMutant({ name: 'alarmed', expects: ['a/one'] }, run([['a/one', 'FAIL'], ['a/two', 'FAIL']]), baseline);

  it('exits 0 only with a clean baseline, every mutant caught and no false alarm', () => {
    expect(scoreMutation(baseline, [caught])).toEqual({ caught: 1, total: 1, escaped: [], falseAlarms: [], baselineClean: true, exitCode: 0 });
  });

  it('exits 1 on an escape, and counts it out of the score', () => {
    expect(scoreMutation(baseline, [caught, escaped])).toMatchObject({ caught: 1, total: 2, escaped: ['escaped'], exitCode: 1 });
  });

  it('exits 1 on a false alarm even though the mutant was caught', () => {
    expect(scoreMutation(baseline, [caught, alarmed])).toMatchObject({ caught: 2, total: 2, falseAlarms: ['alarmed'], exitCode: 1 });
  });

  it('exits 1 when the baseline is not clean, or nothing was scored', () => {
    const dirty = judgeBaseline(run([['a/one', 'FAIL']]));
    expect(scoreMutation(dirty, [caught])).toMatchObject({ caught: 1, total: 1, baselineClean: false, exitCode: 1 });
    expect(scoreMutation(baseline, []).exitCode).toBe(1);
  });
});

describe('areasOf', () => {
  it('gives the suite areas of check ids and areas, once each, sorted', () => {
    expect(areasOf(['password/id-token-valid', 'jwks/token-verifies', 'password/no-store', 'discovery'])).toEqual(['discovery', 'jwks', 'password']);
  });
});

// The verdict of a mutation run, from report objects alone (no I/O, so it is unit-tested on small
// fixtures): is the baseline clean, was each mutant caught by exactly the checks it declares, and
// the score. A mutant is a provider with one deliberate defect; it is caught when every check id
// it declares reports the defect with evidence, and it raises a false alarm when any other check
// reports something the defect-free baseline did not.
import type { Level, Outcome } from '../../checks.ts';

/** The part of a report.json the classification reads. */
export interface ReportLike {
  checks: Array<{ id: string; outcome: Outcome; message: string; level?: Level; expected?: unknown; actual?: unknown; evidence?: { exchanges: readonly unknown[] } }>;
}

/** What one run (baseline or mutant) produced: a report, and the problems of the run itself. */
export interface RunOutput {
  report?: ReportLike;
  /** Problems of the run, not of a check: a suite file that did not load, an unhandled error. */
  problems: string[];
  /** The run did not finish: a crash, a timeout, a start command that never answered. */
  error?: string;
}

export interface Baseline {
  clean: boolean;
  /** Why it is not clean: each FAIL and ERROR, and each problem of the run. */
  problems: string[];
  /** Outcome per check id in the defect-free run. */
  outcomes: Map<string, Outcome>;
}

export interface ExpectedVerdict {
  id: string;
  /** MISSING: the check did not run (not selected, or unknown id). */
  outcome: Outcome | 'MISSING';
  baseline?: Outcome;
  caught: boolean;
  /** Why the check does not count as catching the defect. */
  reason?: string;
}

export interface FalseAlarm {
  /** A check id, or "(run)" for a problem of the run itself. */
  id: string;
  outcome?: Outcome;
  baseline?: Outcome;
  message: string;
}

export interface MutantVerdict {
  name: string;
  expects: string[];
  /** Checks that reported a defect: FAIL, or WARN where the baseline did not WARN. */
  reported: string[];
  caught: boolean;
  /** Why the mutant escaped (when caught is false). */
  reason?: string;
  expected: ExpectedVerdict[];
  falseAlarms: FalseAlarm[];
}

export interface MutationScore {
  caught: number;
  total: number;
  escaped: string[];
  /** Mutants with at least one false alarm. */
  falseAlarms: string[];
  baselineClean: boolean;
  /** 0 when the baseline is clean, every mutant is caught and none raised a false alarm; else 1. */
  exitCode: 0 | 1;
}

export const NO_EXPECTS_REASON = 'declares no expected checks';

/** The defect-free run must give 0 FAIL and 0 ERROR, and the run itself no problem. */
export function judgeBaseline(run: RunOutput): Baseline {
  const outcomes = new Map<string, Outcome>();
  const problems: string[] = [];
  if (run.error) problems.push(`the baseline run did not finish: ${run.error}`);
  for (const check of run.report?.checks ?? []) {
    outcomes.set(check.id, check.outcome);
    if (check.outcome === 'FAIL' || check.outcome === 'ERROR') problems.push(`${check.outcome} ${check.id}: ${firstLine(check.message)}`);
  }
  if (!run.error && (run.report?.checks.length ?? 0) === 0) problems.push('the baseline run reported no check');
  problems.push(...run.problems.map((p) => `run problem: ${p}`));
  return { clean: problems.length === 0, problems, outcomes };
}

/**
 * Whether a verdict reports a defect relative to the baseline. FAIL always does; WARN does when
 * the baseline ran the check and did not WARN (a SHOULD, or a MUST that can only be a warning,
 * e.g. https on a loopback target, WARNs in every run and shows nothing new). A WARN of a check
 * the baseline did not run cannot be told from that everyday kind, so it counts neither way.
 */
export function reportsDefect(outcome: Outcome | undefined, baseline: Outcome | undefined): boolean {
  return outcome === 'FAIL' || (outcome === 'WARN' && baseline !== undefined && baseline !== 'WARN');
}

/**
 * Joins the baseline's runs (one per suite area, so that they spread over the workers) into one
 * run output: every check, and each problem or unfinished run named by its label.
 */
export function mergeRuns(runs: ReadonlyArray<readonly [label: string, run: RunOutput | undefined]>): RunOutput {
  const checks: ReportLike['checks'] = [];
  const problems: string[] = [];
  const errors: string[] = [];
  for (const [label, run] of runs) {
    if (!run) {
      errors.push(`${label}: not run`);
      continue;
    }
    if (run.error) errors.push(`${label}: ${run.error}`);
    checks.push(...(run.report?.checks ?? []));
    problems.push(...run.problems.map((p) => `${label}: ${p}`));
  }
  return { report: { checks }, problems, ...(errors.length ? { error: errors.join('; ') } : {}) };
}

/** A FAIL or WARN must cite the exchanges it judged and say what was expected or found. */
export function hasEvidence(check: ReportLike['checks'][number]): boolean {
  return (check.evidence?.exchanges.length ?? 0) > 0 && ('expected' in check || 'actual' in check);
}

/** Expected ids that name no check of the catalogue: such a mutant is not run, and escapes. */
export function unknownExpects(expects: readonly string[], catalogue: ReadonlySet<string>): string[] {
  return expects.filter((id) => !catalogue.has(id));
}

export function classifyMutant(
  mutant: { name: string; expects: readonly string[] },
  run: RunOutput | undefined,
  baseline: Baseline,
  catalogue?: ReadonlySet<string>,
): MutantVerdict {
  const expects = [...mutant.expects];
  const verdict: MutantVerdict = { name: mutant.name, expects, reported: [], caught: false, expected: [], falseAlarms: [] };
  if (expects.length === 0) return { ...verdict, reason: NO_EXPECTS_REASON };
  const unknown = catalogue ? unknownExpects(expects, catalogue) : [];
  if (unknown.length > 0) return { ...verdict, reason: `expects check ids that are not in the catalogue: ${unknown.join(', ')}` };
  if (!run) return { ...verdict, reason: 'not run' };
  if (run.error) return { ...verdict, reason: `the run did not finish: ${run.error}` };

  const byId = new Map((run.report?.checks ?? []).map((c) => [c.id, c]));
  const expectedSet = new Set(expects);
  for (const id of expects) {
    const check = byId.get(id);
    const before = baseline.outcomes.get(id);
    if (!check) {
      verdict.expected.push({ id, outcome: 'MISSING', baseline: before, caught: false, reason: 'did not run' });
      continue;
    }
    const entry: ExpectedVerdict = { id, outcome: check.outcome, baseline: before, caught: false };
    if (!reportsDefect(check.outcome, before)) {
      entry.reason =
        check.outcome !== 'WARN' ? `${check.outcome}: ${firstLine(check.message)}` : before === undefined ? 'WARN, and the baseline did not run it' : 'WARN in the baseline too';
    } else if (!hasEvidence(check)) {
      entry.reason = `${check.outcome} without evidence (no exchanges, or no expected/actual)`;
    } else {
      entry.caught = true;
    }
    verdict.expected.push(entry);
  }

  for (const check of run.report?.checks ?? []) {
    const before = baseline.outcomes.get(check.id);
    if (reportsDefect(check.outcome, before)) verdict.reported.push(check.id);
    if (expectedSet.has(check.id)) continue;
    if (check.outcome === 'ERROR' || reportsDefect(check.outcome, before)) {
      verdict.falseAlarms.push({ id: check.id, outcome: check.outcome, baseline: before, message: firstLine(check.message) });
    }
  }
  for (const problem of run.problems) verdict.falseAlarms.push({ id: '(run)', message: problem });

  const missed = verdict.expected.filter((e) => !e.caught);
  verdict.caught = missed.length === 0;
  if (!verdict.caught) verdict.reason = missed.map((e) => `${e.id}: ${e.outcome === 'MISSING' ? e.reason : e.reason ?? e.outcome}`).join('; ');
  return verdict;
}

export function scoreMutation(baseline: Baseline, verdicts: readonly MutantVerdict[]): MutationScore {
  const escaped = verdicts.filter((v) => !v.caught).map((v) => v.name);
  const falseAlarms = verdicts.filter((v) => v.falseAlarms.length > 0).map((v) => v.name);
  const clean = baseline.clean && escaped.length === 0 && falseAlarms.length === 0 && verdicts.length > 0;
  return {
    caught: verdicts.length - escaped.length,
    total: verdicts.length,
    escaped,
    falseAlarms,
    baselineClean: baseline.clean,
    exitCode: clean ? 0 : 1,
  };
}

/** The suite areas a list of check ids (or areas) selects: the part of each id before '/'. */
export function areasOf(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.split('/')[0]!))].sort();
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

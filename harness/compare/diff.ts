// Classifies what changed between two runs (OLD, the baseline, and NEW), for `oidc-conformance
// diff` and a CI gate on regressions.
//
// "Failing" means what fails a run: FAIL or ERROR (with --strict also WARN, as `run --strict`).
// Every check id of either report lands in exactly one class:
//   newFailures  a REGRESSION: failing in NEW, and in OLD either not failing (PASS, WARN, SKIP)
//                or absent (a new check that fails). PASS->FAIL, PASS->ERROR, SKIP->FAIL,
//                WARN->ERROR, (absent)->FAIL ... (--strict: PASS->WARN, SKIP->WARN too)
//   fixed        failing in OLD, PASS (or WARN without --strict) in NEW
//   changed      in both, another outcome, and neither of the above: FAIL<->ERROR (still
//                failing), PASS<->WARN without --strict, WARN->PASS, PASS->SKIP, FAIL->SKIP (not
//                judged any more, so not "fixed")...
//   added        absent in OLD, present and not failing in NEW
//   removed      present in OLD, absent in NEW (whatever its outcome: a run with --only, or a
//                check taken out of the catalogue, is not a regression)
//   unchanged    the same outcome in both (counted; those failing in both are "still failing")
// `diff` exits 1 when newFailures is not empty, else 0.
import type { Outcome } from '../checks.ts';
import type { Report, ReportCheck } from '../report/types.ts';

export interface DiffEntry {
  id: string;
  title: string;
  area: string;
  level: ReportCheck['level'];
  /** Absent: the check is not in OLD. */
  before?: Outcome;
  /** Absent: the check is not in NEW. */
  after?: Outcome;
  /** NEW's message, or OLD's when the check was removed. */
  message: string;
}

export interface ReportDiff {
  strict: boolean;
  newFailures: DiffEntry[];
  fixed: DiffEntry[];
  changed: DiffEntry[];
  added: DiffEntry[];
  removed: DiffEntry[];
  unchanged: number;
  /** Unchanged and failing in both. */
  stillFailing: DiffEntry[];
}

export const DIFF_CLASSES = ['newFailures', 'fixed', 'changed', 'added', 'removed'] as const;

export function isFailing(outcome: Outcome, strict: boolean): boolean {
  return outcome === 'FAIL' || outcome === 'ERROR' || (strict && outcome === 'WARN');
}

export function diffReports(before: Report, after: Report, options: { strict?: boolean } = {}): ReportDiff {
  const strict = options.strict ?? false;
  const oldById = new Map(before.checks.map((c) => [c.id, c]));
  const newById = new Map(after.checks.map((c) => [c.id, c]));
  const diff: ReportDiff = { strict, newFailures: [], fixed: [], changed: [], added: [], removed: [], unchanged: 0, stillFailing: [] };
  const ids = [...new Set([...oldById.keys(), ...newById.keys()])].sort((a, b) => a.localeCompare(b));
  for (const id of ids) {
    const was = oldById.get(id);
    const now = newById.get(id);
    const shown = (now ?? was)!;
    const entry: DiffEntry = { id, title: shown.title, area: shown.area, level: shown.level, message: shown.message };
    if (was) entry.before = was.outcome;
    if (now) entry.after = now.outcome;
    if (!now) {
      diff.removed.push(entry);
    } else if (!was) {
      (isFailing(now.outcome, strict) ? diff.newFailures : diff.added).push(entry);
    } else if (was.outcome === now.outcome) {
      diff.unchanged++;
      if (isFailing(now.outcome, strict)) diff.stillFailing.push(entry);
    } else if (isFailing(now.outcome, strict) && !isFailing(was.outcome, strict)) {
      diff.newFailures.push(entry);
    } else if (isFailing(was.outcome, strict) && !isFailing(now.outcome, strict) && now.outcome !== 'SKIP') {
      diff.fixed.push(entry);
    } else {
      diff.changed.push(entry);
    }
  }
  return diff;
}

export function isRegression(diff: ReportDiff): boolean {
  return diff.newFailures.length > 0;
}

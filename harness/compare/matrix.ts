// The comparison matrix both views of `compare` render: one row per check any report holds, one
// column per report, grouped by area. A check a report does not hold is NOT_RUN ("—"): it is
// not the same as SKIP, which means the check ran and found the target does not offer what it
// needs. A row "differs" when its cells do not all hold the same outcome, NOT_RUN included.
import { LEVELS, OUTCOMES, type Level, type Outcome } from '../checks.ts';
import type { Report, ReportCheck } from '../report/types.ts';
import { type LoadedReport, labelReports, targetName } from './read-report.ts';

export const NOT_RUN = 'NOT_RUN';
export type CellOutcome = Outcome | typeof NOT_RUN;
export const CELL_OUTCOMES: readonly CellOutcome[] = [...OUTCOMES, NOT_RUN];
/** What a cell shows. */
export const CELL_TEXT: Record<CellOutcome, string> = { PASS: 'PASS', FAIL: 'FAIL', WARN: 'WARN', SKIP: 'SKIP', ERROR: 'ERROR', NOT_RUN: '—' };

export interface MatrixColumn {
  /** Unique among the columns (see labelReports). */
  label: string;
  name: string;
  path: string;
  report: Report;
}

export interface MatrixRow {
  id: string;
  title: string;
  area: string;
  level: Level;
  refs: string[];
  requirements: string[];
  /** One per column; undefined when that report does not hold the check. */
  cells: Array<ReportCheck | undefined>;
  outcomes: CellOutcome[];
  differs: boolean;
}

export type Counts = Record<CellOutcome, number> & { checks: number };
export type LevelTotals = Record<'all' | Level, Counts>;

export interface Matrix {
  columns: MatrixColumn[];
  /** Sorted by area, then id. */
  rows: MatrixRow[];
  areas: string[];
  /** Per column: counts over every row of the matrix (so NOT_RUN counts checks the others ran). */
  totals: LevelTotals[];
  differing: number;
}

function emptyCounts(): Counts {
  return { checks: 0, PASS: 0, FAIL: 0, WARN: 0, SKIP: 0, ERROR: 0, NOT_RUN: 0 };
}

export function buildMatrix(loaded: LoadedReport[]): Matrix {
  const labels = labelReports(loaded);
  const columns = loaded.map((l, i) => ({ label: labels[i]!, name: targetName(l.report), path: l.path, report: l.report }));
  const byId = columns.map((c) => new Map(c.report.checks.map((check) => [check.id, check])));
  const ids = [...new Set(columns.flatMap((c) => c.report.checks.map((check) => check.id)))];
  const rows = ids.map((id): MatrixRow => {
    const cells = byId.map((checks) => checks.get(id));
    // The definition as the first report that holds the check states it.
    const definition = cells.find((cell) => cell !== undefined)!;
    const outcomes = cells.map((cell): CellOutcome => cell?.outcome ?? NOT_RUN);
    return {
      id,
      title: definition.title,
      area: definition.area,
      level: definition.level,
      refs: definition.refs,
      requirements: definition.requirements,
      cells,
      outcomes,
      differs: new Set(outcomes).size > 1,
    };
  });
  rows.sort((a, b) => a.area.localeCompare(b.area) || a.id.localeCompare(b.id));
  const totals = columns.map((_, i) => {
    const levelTotals = { all: emptyCounts(), MUST: emptyCounts(), SHOULD: emptyCounts(), MAY: emptyCounts() } as LevelTotals;
    for (const row of rows) {
      for (const key of ['all', row.level] as const) {
        levelTotals[key].checks++;
        levelTotals[key][row.outcomes[i]!]++;
      }
    }
    return levelTotals;
  });
  return {
    columns,
    rows,
    areas: [...new Set(rows.map((r) => r.area))],
    totals,
    differing: rows.filter((r) => r.differs).length,
  };
}

export const TOTAL_KEYS: ReadonlyArray<'all' | Level> = ['all', ...LEVELS];

// Plain-text rendering of a coverage report, for `list --coverage`.
import type { CoverageReport } from './compute-coverage.ts';

export function formatCoverage(report: CoverageReport, options: { areas?: string[] } = {}): string {
  const areas = options.areas ? report.areas.filter((a) => options.areas?.includes(a.area)) : report.areas;
  const lines = ['area   covered/observable      %  section', ''];
  for (const area of areas) {
    lines.push(`${area.area.padEnd(6)} ${`${area.covered}/${area.observable}`.padStart(18)} ${area.percent.toFixed(1).padStart(6)}  ${area.section}`);
    if (area.uncovered.length > 0) lines.push(`       not covered: ${area.uncovered.join(', ')}`);
    if (area.partly > 0) lines.push(`       partly observable: ${area.partlyCovered}/${area.partly} covered${area.partlyUncovered.length > 0 ? ` (not: ${area.partlyUncovered.join(', ')})` : ''}`);
  }
  const observable = areas.reduce((n, a) => n + a.observable, 0);
  const covered = areas.reduce((n, a) => n + a.covered, 0);
  const percent = observable === 0 ? 100 : Math.round((covered / observable) * 1000) / 10;
  const partly = areas.reduce((n, a) => n + a.partly, 0);
  const partlyCovered = areas.reduce((n, a) => n + a.partlyCovered, 0);
  lines.push('', `total  ${`${covered}/${observable}`.padStart(18)} ${percent.toFixed(1).padStart(6)}  (observable: rows marked Yes; partly observable rows: ${partlyCovered}/${partly} covered)`);
  for (const { checkId, key } of report.unknownRequirements) {
    lines.push(`warning: check ${checkId} names ${key}, which is not a row of the requirements catalogue`);
  }
  return lines.join('\n');
}

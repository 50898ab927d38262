// The mutation result as people read it: a table per mutant (fault, expected ids with their
// outcome, reported ids, caught, false alarms), the details of each escape and false alarm, and
// the closing `mutation score: caught/total` line. Also rendered as Markdown (mutation.md).
import type { Baseline, MutantVerdict, MutationScore } from './classify.ts';

export interface MutationResult {
  schemaVersion: 1;
  source: string;
  startedAt: string;
  durationMs: number;
  jobs: number;
  baseline: { clean: boolean; problems: string[]; checks: number; report?: string; durationMs?: number };
  mutants: Array<MutantVerdict & { description?: string; clause?: string; report?: string; durationMs?: number }>;
  score: MutationScore;
}

export function baselineSummary(baseline: Baseline, report?: string, durationMs?: number): MutationResult['baseline'] {
  return { clean: baseline.clean, problems: baseline.problems, checks: baseline.outcomes.size, ...(report ? { report } : {}), ...(durationMs === undefined ? {} : { durationMs }) };
}

function expectedCell(m: MutantVerdict): string[] {
  if (m.expects.length === 0) return ['(none)'];
  return m.expects.map((id) => {
    const e = m.expected.find((x) => x.id === id);
    return e ? `${id} ${e.outcome}` : id;
  });
}

function caughtCell(m: MutantVerdict): string {
  return m.caught ? 'yes' : 'NO';
}

function alarmCell(m: MutantVerdict): string[] {
  return m.falseAlarms.length === 0 ? ['-'] : m.falseAlarms.map((a) => (a.outcome ? `${a.id} ${a.outcome}` : a.id));
}

/** A plain-text table whose cells may span several lines. */
function textTable(header: string[], rows: string[][][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.flatMap((r) => r[i]!.map((line) => line.length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of rows) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let k = 0; k < height; k++) out.push(line(row.map((cell) => cell[k] ?? '')));
  }
  return out.join('\n');
}

function detailLines(result: MutationResult): string[] {
  const lines: string[] = [];
  const { baseline, score } = result;
  lines.push(
    baseline.clean
      ? `baseline: clean (${baseline.checks} checks, no FAIL, no ERROR)`
      : `baseline: NOT CLEAN (${baseline.problems.length} problem${baseline.problems.length === 1 ? '' : 's'})`,
  );
  for (const problem of baseline.problems) lines.push(`  ${problem}`);
  const escaped = result.mutants.filter((m) => !m.caught);
  if (escaped.length > 0) {
    lines.push(`escaped (${escaped.length}):`);
    for (const m of escaped) lines.push(`  ${m.name}: ${m.reason ?? 'not caught'}`);
  }
  const alarmed = result.mutants.filter((m) => m.falseAlarms.length > 0);
  if (alarmed.length > 0) {
    lines.push(`false alarms (${alarmed.length} mutant${alarmed.length === 1 ? '' : 's'}):`);
    for (const m of alarmed) {
      for (const a of m.falseAlarms) {
        const was = a.baseline ? ` (baseline ${a.baseline})` : a.outcome ? ' (not in the baseline)' : '';
        lines.push(`  ${m.name}: ${a.id}${a.outcome ? ` ${a.outcome}` : ''}${was}: ${a.message}`);
      }
    }
  }
  lines.push(`wall time: ${(result.durationMs / 1000).toFixed(1)} s (${result.jobs} job${result.jobs === 1 ? '' : 's'})`);
  lines.push(`mutation score: ${score.caught}/${score.total}`);
  return lines;
}

export function formatMutationText(result: MutationResult, files: string[] = []): string {
  const rows = result.mutants.map((m) => [[m.name], expectedCell(m), m.reported.length ? m.reported : ['-'], [caughtCell(m)], alarmCell(m)]);
  const table = textTable(['fault', 'expected ids (outcome)', 'reported ids', 'caught', 'false alarms'], rows);
  const written = files.length ? [`written: ${files.join(', ')}`] : [];
  return [table, '', ...written, ...detailLines(result)].join('\n');
}

function mdCell(lines: string[]): string {
  return lines.map((l) => l.replaceAll('|', '\\|')).join('<br>');
}

export function formatMutationMarkdown(result: MutationResult): string {
  const { score } = result;
  const out = [
    '# Mutation score',
    '',
    `Source: ${result.source}. Started ${result.startedAt}, wall time ${(result.durationMs / 1000).toFixed(1)} s with ${result.jobs} job(s).`,
    '',
    `**mutation score: ${score.caught}/${score.total}**; baseline ${result.baseline.clean ? 'clean' : '**NOT clean**'}; ` +
      `${score.escaped.length} escaped; ${score.falseAlarms.length} with false alarms.`,
    '',
    '| fault | expected ids (outcome) | reported ids | caught | false alarms |',
    '|---|---|---|---|---|',
    ...result.mutants.map(
      (m) =>
        `| \`${m.name}\` | ${mdCell(expectedCell(m))} | ${mdCell(m.reported.length ? m.reported : ['-'])} | ${m.caught ? 'yes' : `**no**: ${mdCell([m.reason ?? ''])}`} | ${mdCell(alarmCell(m))} |`,
    ),
    '',
    '```',
    ...detailLines(result),
    '```',
    '',
  ];
  return out.join('\n');
}

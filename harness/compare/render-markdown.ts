// The Markdown view of the comparison matrix (for a PR comment, a job summary, a wiki): the
// targets, totals per target and level, the checks that differ, then every check by area. A cell
// links to the check on the HTML page; in the table of differing checks it also carries the
// message as the link title (a tooltip); outcomes other than PASS are listed with their message
// under each area's table.
// Messages come from the targets' responses: everything is escaped, nothing is passed through
// as Markdown or HTML.
import { CELL_TEXT, type Matrix, type MatrixRow, NOT_RUN, TOTAL_KEYS } from './matrix.ts';
import { shardLabel } from './read-report.ts';

const TITLE_MAX = 200;
const NOTE_MAX = 240;

/** Text safe inside a Markdown table cell: no markup, no HTML, no line break, no column break. */
export function mdText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]<>|~&]/g, '\\$&');
}

function linkTitle(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = flat.length > TITLE_MAX ? `${flat.slice(0, TITLE_MAX - 1)}…` : flat;
  return short.replace(/[\\"]/g, '\\$&').replace(/[<>&|]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function firstLine(text: string, max: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function anchorOf(id: string): string {
  return `c-${id}`;
}

function cell(row: MatrixRow, i: number, htmlFile: string, tooltips: boolean): string {
  const outcome = row.outcomes[i]!;
  if (outcome === NOT_RUN) return CELL_TEXT[NOT_RUN];
  const check = row.cells[i]!;
  const text = outcome === 'FAIL' || outcome === 'ERROR' ? `**${outcome}**` : outcome;
  // A PASS whose message is the check's title says nothing a tooltip should repeat.
  const silent = !tooltips || (outcome === 'PASS' && check.message === row.title);
  const title = silent ? '' : ` "${linkTitle(`${outcome}: ${check.message}`)}"`;
  return `[${text}](${htmlFile}#${anchorOf(row.id)}${title})`;
}

/** With tooltips: every cell's message as its link title (the differing checks). Without: the link only (the
 * full tables, whose non-PASS messages are listed under them), which keeps the page within what a PR comment holds. */
function matrixTable(matrix: Matrix, rows: MatrixRow[], htmlFile: string, tooltips: boolean): string[] {
  const head = ['check', 'level', ...matrix.columns.map((c) => mdText(c.label))];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i < 2 ? '---' : ':---:')).join('|')}|`,
    ...rows.map((row) => `| \`${row.id}\` | ${row.level} | ${row.cells.map((_, i) => cell(row, i, htmlFile, tooltips)).join(' | ')} |`),
  ];
}

export function renderMarkdown(matrix: Matrix, options: { htmlFile: string; generatedAt: Date }): string {
  const { columns, rows } = matrix;
  const lines = [
    `# oidc-conformance: ${columns.length} target${columns.length === 1 ? '' : 's'} compared`,
    '',
    `${rows.length} checks; ${matrix.differing} differ between targets. Generated ${options.generatedAt.toISOString()}; ` +
      `the HTML page (${options.htmlFile}) has the messages, evidence and filters.`,
    '',
    '| target | issuer | profile | started | checks | report |',
    '|---|---|---|---|---:|---|',
    ...columns.map((c) => {
      const { target } = c.report;
      const notes = [
        target.faults?.length ? `faults: ${target.faults.join(', ')}` : '',
        c.report.shard ? `shard ${shardLabel(c.report)}` : '',
        c.report.mergedFrom ? `merged from ${c.report.mergedFrom.length}` : '',
      ].filter(Boolean);
      const profile = target.profile === null ? 'embedded reference provider' : target.profile;
      return `| ${mdText(c.label)}${notes.length ? ` (${mdText(notes.join('; '))})` : ''} | ${mdText(target.issuer)} | ${mdText(profile)} | ${mdText(c.report.startedAt)} | ${c.report.summary.total} | ${mdText(c.path)} |`;
    }),
    '',
    '## Totals',
    '',
    '"—": checks another report ran and this one did not.',
    '',
    '| target | level | checks | PASS | FAIL | WARN | SKIP | ERROR | — |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  columns.forEach((c, i) => {
    for (const key of TOTAL_KEYS) {
      const t = matrix.totals[i]![key];
      if (key !== 'all' && t.checks === 0) continue;
      lines.push(`| ${mdText(c.label)} | ${key} | ${t.checks} | ${t.PASS} | ${t.FAIL} | ${t.WARN} | ${t.SKIP} | ${t.ERROR} | ${t.NOT_RUN} |`);
    }
  });
  lines.push('', `## Checks that differ between targets (${matrix.differing})`, '');
  const differing = rows.filter((r) => r.differs);
  if (differing.length === 0) lines.push('None: every check has the same outcome in every report.');
  else lines.push(...matrixTable(matrix, differing, options.htmlFile, true));
  lines.push('', '## Every check, by area');
  for (const area of matrix.areas) {
    const areaRows = rows.filter((r) => r.area === area);
    lines.push('', `### ${mdText(area)} (${areaRows.length})`, '', ...matrixTable(matrix, areaRows, options.htmlFile, false));
    const notes = areaRows.flatMap((row) =>
      row.cells.flatMap((check, i) =>
        check && check.outcome !== 'PASS'
          ? [`- \`${row.id}\` · ${mdText(columns[i]!.label)} · ${check.outcome}: ${mdText(firstLine(check.message, NOTE_MAX))}`]
          : [],
      ),
    );
    if (notes.length > 0) lines.push('', ...notes);
  }
  lines.push('');
  return lines.join('\n');
}

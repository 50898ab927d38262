// `oidc-conformance compare REPORT... [--out DIR]`: the checks x targets matrix of several runs
// (each a report.json or the run's report directory), as compare.html (self-contained, with
// filters) and compare.md. A view, not a gate: exit 0 once written, 2 on bad input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildMatrix } from './matrix.ts';
import { ReportInputError, readReportArg, shownPath } from './read-report.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';

export const COMPARE_HTML = 'compare.html';
export const COMPARE_MARKDOWN = 'compare.md';

export interface CompareOutput {
  html: string;
  markdown: string;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Writes compare.html and compare.md for the given report paths into `outDir`. */
export function writeComparison(reportArgs: string[], outDir: string, now = new Date()): CompareOutput & { matrix: ReturnType<typeof buildMatrix> } {
  const loaded = reportArgs.map(readReportArg);
  const matrix = buildMatrix(loaded);
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, COMPARE_HTML);
  const markdown = join(outDir, COMPARE_MARKDOWN);
  writeFileSync(html, renderHtml(matrix, { generatedAt: now }), 'utf8');
  writeFileSync(markdown, renderMarkdown(matrix, { htmlFile: COMPARE_HTML, generatedAt: now }), 'utf8');
  return { html, markdown, matrix };
}

export async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length < 2) {
    console.error('oidc-conformance compare: give at least two reports (report.json files or report directories): compare A B [C...] [--out DIR]');
    return 2;
  }
  const outDir = resolve(values.out ?? join('reports', `compare-${timestamp()}`));
  let result: ReturnType<typeof writeComparison>;
  try {
    result = writeComparison(positionals, outDir);
  } catch (error) {
    if (error instanceof ReportInputError) {
      console.error(`oidc-conformance compare: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const { matrix } = result;
  const width = Math.max(...matrix.columns.map((c) => c.label.length));
  console.log(`${matrix.rows.length} checks, ${matrix.differing} differ between targets`);
  matrix.columns.forEach((column, i) => {
    const t = matrix.totals[i]!.all;
    console.log(`  ${column.label.padEnd(width)}  pass ${t.PASS}  fail ${t.FAIL}  warn ${t.WARN}  skip ${t.SKIP}  error ${t.ERROR}  not run ${t.NOT_RUN}`);
  });
  console.log(`html:     ${shownPath(result.html)}  (self-contained, opens from file://)`);
  console.log(`markdown: ${shownPath(result.markdown)}`);
  return 0;
}

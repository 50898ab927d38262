// Opens a compare.html in headless Chromium and checks that the matrix the reader sees is the one
// the reports hold: a column per report (in order), a row per check of any report, and in each
// cell that report's outcome ("—" where it lacks the check). CI runs it on the page it builds for
// the reference provider and node-oidc-provider:
//   node bin/run-ts.js harness/compare/verify-page.ts COMPARE.html REPORT REPORT...
// exit 0 and one summary line when the page is right, 1 with the differences otherwise.
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/launch.ts';
import { CELL_TEXT, buildMatrix } from './matrix.ts';
import { readReportArg } from './read-report.ts';

export interface PageVerdict {
  problems: string[];
  rows: number;
  columns: string[];
}

const MAX_SHOWN = 20;

/** What the page shows against what the reports hold; no problems means the page is right. */
export async function verifyComparePage(htmlPath: string, reportArgs: string[]): Promise<PageVerdict> {
  const matrix = buildMatrix(reportArgs.map(readReportArg));
  const expected = new Map(matrix.rows.map((row) => [row.id, row.outcomes.map((o) => CELL_TEXT[o])]));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(pathToFileURL(htmlPath).href);
    const columns = await page.$$eval('table.matrix thead th.target', (ths) => ths.map((th) => th.textContent ?? ''));
    const shown = await page.$$eval('tr.check', (rows) => rows.map((r) => [r.id.slice(2), [...r.querySelectorAll('td.cell')].map((td) => td.textContent ?? '')] as [string, string[]]));
    const counter = await page.textContent('#f-count');
    const problems = [...errors];
    const labels = matrix.columns.map((c) => c.label);
    if (JSON.stringify(columns) !== JSON.stringify(labels)) problems.push(`target columns ${JSON.stringify(columns)}, expected ${JSON.stringify(labels)}`);
    const seen = new Set<string>();
    for (const [id, cells] of shown) {
      seen.add(id);
      const want = expected.get(id);
      if (!want) problems.push(`row ${id}: in no report`);
      else if (JSON.stringify(cells) !== JSON.stringify(want)) problems.push(`row ${id}: shows ${cells.join(' | ')}, the reports say ${want.join(' | ')}`);
    }
    for (const id of expected.keys()) if (!seen.has(id)) problems.push(`row ${id}: missing from the page`);
    if (shown.length !== seen.size) problems.push(`${shown.length - seen.size} duplicated rows`);
    const total = matrix.rows.length;
    if (counter !== `${total} of ${total} checks shown`) problems.push(`the filter counter says "${counter}", expected "${total} of ${total} checks shown"`);
    return { problems, rows: shown.length, columns };
  } finally {
    await browser.close();
  }
}

async function main(args: string[]): Promise<number> {
  const [html, ...reports] = args;
  if (!html || reports.length < 2) {
    console.error('usage: node bin/run-ts.js harness/compare/verify-page.ts COMPARE.html REPORT REPORT...');
    return 2;
  }
  const verdict = await verifyComparePage(html, reports);
  if (verdict.problems.length === 0) {
    console.log(`${html}: renders in Chromium; ${verdict.rows} checks x ${verdict.columns.length} targets (${verdict.columns.join(', ')}) match the reports`);
    return 0;
  }
  console.error(`${html}: ${verdict.problems.length} difference(s) between the page and the reports:`);
  for (const problem of verdict.problems.slice(0, MAX_SHOWN)) console.error(`  - ${problem}`);
  if (verdict.problems.length > MAX_SHOWN) console.error(`  ... and ${verdict.problems.length - MAX_SHOWN} more`);
  return 1;
}

if (process.argv[1]?.endsWith('verify-page.ts')) process.exitCode = await main(process.argv.slice(2));

// `oidc-conformance merge DIR... [--out DIR] [--strict] [--no-allure]`: joins the report
// directories of several runs of one target (typically the shards of `run --shard i/n`) into one:
// report.json (merge-reports.ts says what is refused), junit.xml rendered from it, and, from the
// inputs' allure-results/, one allure-results/ and the single-file allure-report/index.html.
// Exit codes as `run`: 0 with no FAIL and no ERROR (--strict: and no WARN) in the merged report,
// 1 otherwise (or when the Allure report could not be generated), 2 on bad input or a refusal.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeReports } from '../report/write-report.ts';
import type { Report } from '../report/types.ts';
import { generateAllureHtml } from '../run/allure-report.ts';
import { type LoadedReport, ReportInputError, readReportArg, shownPath, targetName } from '../compare/read-report.ts';
import { mergeAllureResults } from './merge-allure.ts';
import { MergeError, mergeReports } from './merge-reports.ts';

export interface MergeResult {
  report: Report;
  outDir: string;
  exitCode: number;
  problems: string[];
  notes: string[];
  allureReport?: string;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** The run's report directory an argument names (the directory, or the report.json in it). */
function inputDir(arg: string): string {
  const path = resolve(arg);
  return existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
}

export async function mergeRuns(args: string[], options: { outDir: string; strict: boolean; allure: boolean }): Promise<MergeResult> {
  const outDir = resolve(options.outDir);
  const same = args.filter((arg) => inputDir(arg) === outDir);
  if (same.length > 0) throw new MergeError(`--out ${shownPath(outDir)} is one of the inputs (${same.join(', ')}): merge into a new directory`);
  const loaded: LoadedReport[] = args.map(readReportArg);
  const report = mergeReports(loaded);
  mkdirSync(outDir, { recursive: true });
  await writeReports(outDir, report);

  const problems: string[] = [];
  const notes: string[] = [];
  let allureReport: string | undefined;
  if (options.allure) {
    const resultsDir = join(outDir, 'allure-results');
    let merged: ReturnType<typeof mergeAllureResults> | undefined;
    try {
      merged = mergeAllureResults(loaded.map((l) => l.dir), resultsDir);
    } catch (failure) {
      problems.push(`the Allure results could not be merged: ${(failure as Error).message}`);
    }
    if (merged && merged.merged.length === 0) {
      // Nothing of an earlier merge into the same directory may pass for this one's.
      rmSync(resultsDir, { recursive: true, force: true });
      rmSync(join(outDir, 'allure-report'), { recursive: true, force: true });
      notes.push('no input has allure-results/ (they ran with --no-allure): no Allure report');
    } else if (merged) {
      if (merged.missing.length > 0) {
        notes.push(`${merged.missing.map(shownPath).join(', ')} ${merged.missing.length === 1 ? 'has' : 'have'} no allure-results/: the Allure report holds ${merged.results} of ${report.summary.total} checks`);
      }
      try {
        const name = `oidc-conformance: ${targetName(report)} (${report.target.issuer})`;
        allureReport = (await generateAllureHtml(resultsDir, join(outDir, 'allure-report'), name)).path;
      } catch (failure) {
        problems.push(`the Allure HTML report could not be generated: ${(failure as Error).message}`);
      }
    }
  }
  const { fail, error, warn } = report.summary;
  const exitCode = fail > 0 || error > 0 || (options.strict && warn > 0) || problems.length > 0 ? 1 : 0;
  return { report, outDir, exitCode, problems, notes, allureReport };
}

export function formatMergeSummary(result: MergeResult, inputs: number): string {
  const { report } = result;
  const { summary } = report;
  const shards = (report.mergedFrom ?? []).filter((s) => s.shard).map((s) => `${s.shard!.index}/${s.shard!.count}`);
  const lines = [
    `merged ${inputs} report${inputs === 1 ? '' : 's'}${shards.length ? ` (shards ${shards.join(', ')})` : ''} of ${targetName(report)} (${report.target.issuer})`,
    `checks: ${summary.total}  pass ${summary.pass}  fail ${summary.fail}  warn ${summary.warn}  skip ${summary.skip}  error ${summary.error}`,
  ];
  const bad = report.checks.filter((c) => c.outcome === 'FAIL' || c.outcome === 'ERROR');
  if (bad.length > 0) {
    lines.push('failures:');
    for (const c of bad) lines.push(`  ${c.outcome} ${c.id} [${c.level} ${c.refs.join(' ')}]: ${c.message}`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  for (const problem of result.problems) lines.push(`problem: ${problem}`);
  const dir = shownPath(result.outDir);
  lines.push(`report: ${join(dir, 'report.json')}`, `junit:  ${join(dir, 'junit.xml')}`);
  if (result.allureReport) lines.push(`allure: ${shownPath(result.allureReport)}  (single-file HTML, opens from file://)`);
  return lines.join('\n');
}

export async function mergeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, strict: { type: 'boolean' }, 'no-allure': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) {
    console.error('oidc-conformance merge: give the report directories to join (e.g. the shards of run --shard i/n): merge DIR... [--out DIR]');
    return 2;
  }
  try {
    const result = await mergeRuns(positionals, {
      outDir: values.out ?? join('reports', `merged-${timestamp()}`),
      strict: values.strict ?? false,
      allure: !(values['no-allure'] ?? false),
    });
    console.log(formatMergeSummary(result, positionals.length));
    return result.exitCode;
  } catch (error) {
    if (error instanceof ReportInputError || error instanceof MergeError) {
      console.error(`oidc-conformance merge: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

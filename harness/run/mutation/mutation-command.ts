// `oidc-conformance mutation`: proves the verdicts. Runs the provider with no defect (the
// baseline: 0 FAIL, 0 ERROR) and once per deliberate defect (a mutant) with only the suites that
// defect concerns, in parallel worker processes; then says per mutant whether exactly the checks
// it declares caught it, and prints `mutation score: caught/total`. Mutants come from the
// reference provider's fault catalogue (reference-provider/faults.ts), or from a vendor's
// mutants file (mutants-file.ts) describing their own provider's fault switches.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS } from '../../../reference-provider/index.ts';
import { loadCatalogue } from '../../catalogue.ts';
import { type LoadedReport, readReportArg } from '../../compare/read-report.ts';
import type { Report } from '../../report/types.ts';
import { PACKAGE_ROOT, UsageError, selectsBrowserSuites } from '../run-command.ts';
import { type RunOutput, areasOf, classifyMutant, judgeBaseline, mergeRuns, scoreMutation, unknownExpects } from './classify.ts';
import { type MutationResult, baselineSummary, formatMutationMarkdown, formatMutationText } from './format.ts';
import { loadMutantsFile } from './mutants-file.ts';
import { type JobResult, type PoolJob, runPool } from './pool.ts';
import type { Mutant, MutantTarget, MutationPlan } from './types.ts';

export const DEFAULT_MUTATION_DIR = 'reports/mutation';
const BASELINE_ID = 'baseline';

export interface MutationOptions {
  faults: string[];
  mutantsFile?: string;
  jobs?: number;
  reportDir: string;
  timeoutMs: number;
  json: boolean;
  /** Every suite for every mutant (not only its expected checks' areas): finds checks a defect trips elsewhere. */
  allAreas: boolean;
  /** Only the expected checks for every mutant: faster, but no other check can raise a false alarm. */
  onlyExpected: boolean;
  /**
   * The areas of each mutant, but in browser areas only its expected checks: every check of its
   * HTTP areas can still raise a false alarm, at a fraction of the browser areas' cost (CI's mode).
   */
  browserExpectedOnly: boolean;
  /** A run's report (directory or report.json) to use as the baseline instead of running one. */
  baselineReport?: string;
}

export function parseMutationArgs(args: string[]): MutationOptions {
  const { values } = parseArgs({
    args,
    options: {
      fault: { type: 'string', multiple: true },
      mutants: { type: 'string' },
      jobs: { type: 'string' },
      'report-dir': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      'all-areas': { type: 'boolean' },
      'only-expected': { type: 'boolean' },
      'browser-expected-only': { type: 'boolean' },
      baseline: { type: 'string' },
    },
    strict: true,
  });
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)) throw new UsageError(`--jobs takes an integer from 1 to 64, not "${values.jobs}"`);
  const modes = (['all-areas', 'only-expected', 'browser-expected-only'] as const).filter((mode) => values[mode]);
  if (modes.length > 1) throw new UsageError(`${modes.map((m) => `--${m}`).join(' and ')} exclude each other`);
  const timeout = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout takes seconds (> 0), not "${values.timeout}"`);
  return {
    faults: (values.fault ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
    mutantsFile: values.mutants,
    jobs,
    reportDir: resolve(values['report-dir'] ?? DEFAULT_MUTATION_DIR),
    timeoutMs: Math.round(timeout * 1000),
    json: values.json ?? false,
    allAreas: values['all-areas'] ?? false,
    onlyExpected: values['only-expected'] ?? false,
    browserExpectedOnly: values['browser-expected-only'] ?? false,
    ...(values.baseline === undefined ? {} : { baselineReport: values.baseline }),
  };
}

/** The reference provider's fault catalogue as mutants of the embedded provider. */
export function referencePlan(): MutationPlan {
  const mutants: Mutant[] = FAULTS.map((fault) => ({
    name: fault.name,
    description: fault.description,
    clause: fault.clause,
    expects: [...(fault.expects ?? [])],
    only: areasOf(fault.expects ?? []),
    target: { kind: 'embedded', faults: [fault.name] },
  }));
  return { source: 'reference-provider (reference-provider/faults.ts)', baseline: { target: { kind: 'embedded', faults: [] } }, mutants };
}

/** Keeps the mutants named by --fault, refusing unknown names. */
export function selectMutants(plan: MutationPlan, names: string[]): Mutant[] {
  const known = new Set(plan.mutants.map((m) => m.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new UsageError(`unknown fault${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')} (${plan.source}; \`oidc-conformance serve --list-faults\` lists the reference provider's)`);
  return names.length === 0 ? plan.mutants : plan.mutants.filter((m) => names.includes(m.name));
}

/**
 * The baseline's runs: per suite area, the `--only` items the mutants select there (the whole
 * area when any mutant runs all of it).
 */
export function baselineSelection(only: readonly string[]): Map<string, string[]> {
  const parts = new Map<string, Set<string>>();
  for (const item of only) {
    const area = item.split('/')[0]!;
    if (!parts.has(area)) parts.set(area, new Set());
    parts.get(area)!.add(item);
  }
  return new Map([...parts].map(([area, items]) => [area, items.has(area) ? [area] : [...items].sort()]));
}

/**
 * --browser-expected-only: a mutant's `--only` items with each browser area replaced by the
 * mutant's expected checks in that area (HTTP areas and single check ids stay as they are).
 */
export function browserExpectedOnly(mutant: Pick<Mutant, 'only' | 'expects'>): string[] {
  const items = mutant.only.length > 0 ? mutant.only : areasOf(mutant.expects);
  return [...new Set(items.flatMap((item) => (item.includes('/') || !selectsBrowserSuites([item]) ? [item] : mutant.expects.filter((id) => id.startsWith(`${item}/`)))))];
}

/** Whether a report's target is the plan's baseline target: the same provider, with no fault on. */
function sameBaselineTarget(target: Report['target'], baseline: MutantTarget): boolean {
  if (baseline.kind === 'embedded') return target.profile === null && (target.faults ?? []).length === 0 && baseline.faults.length === 0;
  return target.profile !== null && resolve(target.profile) === resolve(baseline.profile);
}

/**
 * --baseline: a finished run of the baseline target (the main job's, say) instead of a baseline
 * run of its own. It must be of that target with no fault on, and hold every check the mutants
 * will run; a shard of a run does not do.
 */
export function reportAsBaseline(path: string, plan: MutationPlan, selected: readonly string[], catalogue: readonly string[]): { output: RunOutput; shown: string } {
  let loaded: LoadedReport;
  try {
    loaded = readReportArg(path);
  } catch (error) {
    throw new UsageError(`--baseline ${(error as Error).message}`);
  }
  const { report } = loaded;
  if (!sameBaselineTarget(report.target, plan.baseline.target)) {
    const wanted = plan.baseline.target.kind === 'embedded' ? 'the embedded reference provider with no fault' : `the profile ${plan.baseline.target.profile}`;
    const found = report.target.profile === null ? `the embedded reference provider${report.target.faults?.length ? ` with the faults ${report.target.faults.join(', ')}` : ''}` : `the profile ${report.target.profile}`;
    throw new UsageError(`--baseline ${loaded.path}: a run of ${found}, not of the baseline (${wanted})`);
  }
  const ran = new Set(report.checks.map((c) => c.id));
  const needed = catalogue.filter((id) => selected.length === 0 || selected.some((item) => id === item || id.startsWith(`${item}/`)));
  const missing = needed.filter((id) => !ran.has(id));
  if (missing.length > 0) {
    throw new UsageError(`--baseline ${loaded.path}: ${missing.length} check${missing.length === 1 ? '' : 's'} the mutants run ${missing.length === 1 ? 'is' : 'are'} not in it (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}); give a run of the whole suite`);
  }
  return { output: { report, problems: [] }, shown: loaded.path };
}

/** A path relative to the working directory when it lies below it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

function readRun(result: JobResult | undefined, reportDir: string): RunOutput | undefined {
  if (!result) return undefined;
  if (result.error) return { problems: result.problems, error: result.error };
  try {
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
    return { report, problems: result.problems };
  } catch (error) {
    return { problems: result.problems, error: `no readable report.json in ${reportDir}: ${(error as Error).message}` };
  }
}

export async function runMutation(options: MutationOptions, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<MutationResult> {
  const started = new Date();
  const plan = options.mutantsFile ? loadMutantsFile(options.mutantsFile) : referencePlan();
  const mutants = selectMutants(plan, options.faults);
  // A mutant whose expects is empty or names a check that does not exist is not run: it escapes.
  const catalogue = new Set((await loadCatalogue(PACKAGE_ROOT)).map((c) => c.id));
  const runnable = mutants
    .filter((m) => m.expects.length > 0 && unknownExpects(m.expects, catalogue).length === 0)
    .map((m) => {
      if (options.allAreas) return { ...m, only: [] };
      if (options.onlyExpected) return { ...m, only: [...m.expects] };
      if (options.browserExpectedOnly) return { ...m, only: browserExpectedOnly(m) };
      return m;
    });
  const jobs = options.jobs ?? plan.defaultJobs ?? availableParallelism();

  rmSync(join(options.reportDir, 'runs'), { recursive: true, force: true });
  const mutantDir = (name: string) => join(options.reportDir, 'runs', 'mutants', name);
  // The baseline is one run per suite area, so that it spreads over the workers like the
  // mutants do; each runs what any mutant runs in its area.
  const selected = options.allAreas ? [...new Set([...catalogue].map((id) => id.split('/')[0]!))] : runnable.flatMap((m) => m.only);
  const given = options.baselineReport === undefined ? undefined : reportAsBaseline(options.baselineReport, plan, selected, [...catalogue]);
  const baselineParts = given ? new Map<string, string[]>() : baselineSelection(selected);
  const baselineJob = (area: string) => `${BASELINE_ID}:${area}`;
  const baselineDir = (area: string) => join(options.reportDir, 'runs', BASELINE_ID, area);
  // Longest first, so that the short runs fill the gaps at the end: the baseline (every verdict
  // is judged against it), then the mutants that drive a browser, then by number of areas.
  const cost = (only: string[]) => [areasOf(only).filter((area) => selectsBrowserSuites([area])).length, areasOf(only).length];
  const byCost = <T>(key: (item: T) => string[]) => (a: T, b: T) => {
    const [ca, cb] = [cost(key(a)), cost(key(b))];
    return cb[0]! - ca[0]! || cb[1]! - ca[1]!;
  };
  const poolJobs: PoolJob[] = [
    ...[...baselineParts]
      .sort(byCost(([, only]) => only))
      .map(([area, only]) => ({ job: { id: baselineJob(area), only, reportDir: baselineDir(area), target: plan.baseline.target }, timeoutMs: options.timeoutMs })),
    ...[...runnable]
      .sort(byCost((m) => m.only))
      .map((m) => ({ job: { id: m.name, only: m.only, reportDir: mutantDir(m.name), target: m.target }, timeoutMs: options.timeoutMs })),
  ];
  const baselineSource = given ? `baseline from ${given.shown}` : `baseline (${baselineParts.size} area run${baselineParts.size === 1 ? '' : 's'})`;
  log(`mutation: ${plan.source}: ${baselineSource} + ${runnable.length} mutant run${runnable.length === 1 ? '' : 's'} on ${jobs} worker${jobs === 1 ? '' : 's'}`);
  let done = 0;
  const results = await runPool(poolJobs, jobs, (r) => {
    done += 1;
    log(`  [${done}/${poolJobs.length}] ${r.id} (${(r.durationMs / 1000).toFixed(1)} s)${r.error ? `: ${r.error.split('\n')[0]}` : ''}`);
  });

  const baselineRuns = [...baselineParts.keys()].sort().map((area) => [area, readRun(results.get(baselineJob(area)), baselineDir(area))] as const);
  const baseline = judgeBaseline(given ? given.output : baselineParts.size === 0 ? { problems: [], error: 'no mutant to run' } : mergeRuns(baselineRuns));
  const baselineMs = given ? undefined : [...baselineParts.keys()].reduce((sum, area) => sum + (results.get(baselineJob(area))?.durationMs ?? 0), 0);
  const verdicts = mutants.map((m) => {
    const result = results.get(m.name);
    const verdict = classifyMutant(m, readRun(result, mutantDir(m.name)), baseline, catalogue);
    return {
      ...verdict,
      ...(m.description ? { description: m.description } : {}),
      ...(m.clause ? { clause: m.clause } : {}),
      ...(result ? { report: shown(join(mutantDir(m.name), 'report.json')), durationMs: result.durationMs } : {}),
    };
  });
  return {
    schemaVersion: 1,
    source: plan.source,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    jobs,
    baseline: baselineSummary(baseline, given ? given.shown : shown(join(options.reportDir, 'runs', BASELINE_ID)), baselineMs),
    mutants: verdicts,
    score: scoreMutation(baseline, verdicts),
  };
}

export function writeMutationResult(result: MutationResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'mutation.json');
  const md = join(dir, 'mutation.md');
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(md, formatMutationMarkdown(result));
  return [json, md];
}

export async function mutationCommand(args: string[]): Promise<number> {
  const options = parseMutationArgs(args);
  const result = await runMutation(options);
  const files = writeMutationResult(result, options.reportDir).map(shown);
  if (options.json) console.log(JSON.stringify(result, null, 2));
  else console.log(`\n${formatMutationText(result, files)}`);
  return result.score.exitCode;
}

// Reading the report.json files that `compare`, `diff` and `merge` take: a path to the file or to
// the run's report directory. Anything that is not a report this version can read (no file, not
// JSON, another schemaVersion, a report that breaks its schema) is a ReportInputError with the
// path and the reason, which the commands print and turn into exit code 2.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { REPORT_SCHEMA_VERSION, type Report } from '../report/types.ts';
import { validateReport } from '../report/validate-report.ts';

export class ReportInputError extends Error {}

export interface LoadedReport {
  /** The report.json file as the user can find it (relative to the working directory when inside it). */
  path: string;
  /** The directory holding it (the run's report directory). */
  dir: string;
  report: Report;
}

const MAX_ERRORS_SHOWN = 8;

export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/** Reads and validates one report: `arg` is a report.json file or a directory holding one. */
export function readReportArg(arg: string): LoadedReport {
  const given = resolve(arg);
  if (!existsSync(given)) throw new ReportInputError(`${arg}: no such file or directory`);
  const file = statSync(given).isDirectory() ? join(given, 'report.json') : given;
  const shown = shownPath(file);
  if (!existsSync(file)) throw new ReportInputError(`${arg}: a directory with no report.json in it`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReportInputError(`${shown}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('schemaVersion' in value) || !('checks' in value)) {
    throw new ReportInputError(`${shown}: not an oidc-conformance report.json (it has no schemaVersion and checks)`);
  }
  const version = (value as { schemaVersion: unknown }).schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new ReportInputError(
      `${shown}: report schemaVersion ${JSON.stringify(version)}; this oidc-conformance reads schemaVersion ${REPORT_SCHEMA_VERSION} ` +
        '(the report was written by a different version: rerun it, or use the matching oidc-conformance)',
    );
  }
  const validation = validateReport(value);
  if (!validation.valid) {
    const shownErrors = validation.errors.slice(0, MAX_ERRORS_SHOWN).map((e) => `  - ${e}`);
    const more = validation.errors.length > MAX_ERRORS_SHOWN ? [`  ... and ${validation.errors.length - MAX_ERRORS_SHOWN} more`] : [];
    throw new ReportInputError(`${shown}: not a valid report.json (harness/report/report.schema.json):\n${[...shownErrors, ...more].join('\n')}`);
  }
  return { path: shown, dir: dirname(file), report: value as Report };
}

/** The target's name: the profile's `name` the run recorded, else the profile file's name, else the embedded provider. */
export function targetName(report: Report): string {
  if (report.target.name) return report.target.name;
  if (report.target.profile) return basename(report.target.profile).replace(/\.json$/i, '');
  return 'reference-provider';
}

/** "1/2" for a shard, "" otherwise. */
export function shardLabel(report: Report): string {
  return report.shard ? `${report.shard.index}/${report.shard.count}` : '';
}

/**
 * Column labels for several reports: each report's target name, and when two share a name, the
 * first thing that tells them apart within that group: their faults, their report directory's
 * name, their issuer, their shard, their start time; else a number (#1, #2).
 */
export function labelReports(loaded: LoadedReport[]): string[] {
  const names = loaded.map((l) => targetName(l.report));
  const labels = [...names];
  const distinguishers: Array<(l: LoadedReport) => string> = [
    (l) => (l.report.target.faults?.length ? `fault ${l.report.target.faults.join('+')}` : 'no fault'),
    (l) => basename(l.dir),
    (l) => l.report.target.issuer,
    (l) => (l.report.shard ? `shard ${shardLabel(l.report)}` : 'all shards'),
    (l) => l.report.startedAt,
  ];
  for (const name of new Set(names)) {
    const group = names.flatMap((n, i) => (n === name ? [i] : []));
    if (group.length < 2) continue;
    const by = distinguishers.find((describe) => new Set(group.map((i) => describe(loaded[i]!))).size === group.length);
    group.forEach((i, k) => (labels[i] = by ? `${name} (${by(loaded[i]!)})` : `${name} #${k + 1}`));
  }
  return labels;
}

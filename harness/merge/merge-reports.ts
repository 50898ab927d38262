// Joins the report.json of several runs of ONE target (the shards of `run --shard i/n`, or runs
// of different --only selections) into one report. Refused, with the reason:
//   - reports of different targets: another profile name, another issuer (for a profile target;
//     the embedded reference provider listens on a new port every run, so there the issuer is
//     not compared, but its faults are), embedded provider mixed with a profile;
//   - shards that do not add up: sharded and unsharded reports mixed, different n, a shard twice,
//     a shard missing (a merged report must not silently lack part of the run);
//   - one check id with different outcomes in two reports (the same outcome twice is one check);
//   - reports that state different tool versions.
// The merged report has no `shard`; `mergedFrom` lists the runs it joins (flattened when an input
// is itself merged); summary is recomputed; startedAt is the earliest start and durationMs runs
// from it to the latest end.
import { summarise } from '../report/build-report.ts';
import { REPORT_SCHEMA_VERSION, type Report, type ReportCheck, type ReportSource } from '../report/types.ts';
import { type LoadedReport, shardLabel, targetName } from '../compare/read-report.ts';

export class MergeError extends Error {}

const CONFLICTS_SHOWN = 10;

function targetKey(report: Report): string {
  const { target } = report;
  return target.profile === null
    ? `embedded ${targetName(report)} faults:${(target.faults ?? []).join('+')}`
    : `profile ${targetName(report)} ${target.issuer}`;
}

function describeTarget(loaded: LoadedReport): string {
  const { report } = loaded;
  const { target } = report;
  const kind = target.profile === null
    ? `the embedded reference provider${target.faults?.length ? ` with faults ${target.faults.join(', ')}` : ''}`
    : `profile ${target.profile}`;
  return `${loaded.path}: ${targetName(report)} at ${target.issuer} (${kind})`;
}

function checkShards(inputs: LoadedReport[]): void {
  const sharded = inputs.filter((l) => l.report.shard);
  if (sharded.length === 0) return;
  if (sharded.length !== inputs.length) {
    const whole = inputs.filter((l) => !l.report.shard).map((l) => l.path);
    throw new MergeError(`cannot merge shards with whole runs: ${whole.join(', ')} ${whole.length === 1 ? 'is not a shard' : 'are not shards'} (no "shard" in report.json), ${sharded.map((l) => `${l.path} is shard ${shardLabel(l.report)}`).join(', ')}`);
  }
  const counts = new Set(sharded.map((l) => l.report.shard!.count));
  if (counts.size > 1) {
    throw new MergeError(`cannot merge shards of differently split runs: ${sharded.map((l) => `${l.path} is shard ${shardLabel(l.report)}`).join(', ')}`);
  }
  const count = [...counts][0]!;
  const byIndex = new Map<number, string[]>();
  for (const l of sharded) byIndex.set(l.report.shard!.index, [...(byIndex.get(l.report.shard!.index) ?? []), l.path]);
  const twice = [...byIndex].filter(([, paths]) => paths.length > 1);
  if (twice.length > 0) {
    throw new MergeError(`a shard given twice: ${twice.map(([index, paths]) => `shard ${index}/${count} in ${paths.join(' and ')}`).join('; ')}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new MergeError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merge of a sharded run needs all ${count} shards (given: ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`).join(', ')})`);
  }
}

function sources(report: Report): ReportSource[] {
  if (report.mergedFrom) return report.mergedFrom;
  const source: ReportSource = { issuer: report.target.issuer, startedAt: report.startedAt, durationMs: report.durationMs, total: report.summary.total };
  if (report.shard) source.shard = { ...report.shard };
  return [source];
}

export function mergeReports(given: LoadedReport[]): Report {
  if (given.length === 0) throw new MergeError('nothing to merge: give the report directories of the runs (or shards) to join');
  const keys = new Set(given.map((l) => targetKey(l.report)));
  if (keys.size > 1) {
    throw new MergeError(`cannot merge reports of different targets:\n${given.map((l) => `  ${describeTarget(l)}`).join('\n')}`);
  }
  const versions = new Set(given.map((l) => (l.report.tool ? `${l.report.tool.name} ${l.report.tool.version}` : '(unstated)')));
  if (versions.size > 1) {
    throw new MergeError(`cannot merge reports written by different versions of the tool:\n${given.map((l) => `  ${l.path}: ${l.report.tool ? `${l.report.tool.name} ${l.report.tool.version}` : '(no tool version)'}`).join('\n')}`);
  }
  checkShards(given);
  // Shards in shard order; other runs in the order given.
  const inputs = [...given].sort((a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0));

  const checks = new Map<string, { check: ReportCheck; from: string }>();
  const conflicts = new Map<string, string[]>();
  for (const { report, path } of inputs) {
    for (const check of report.checks) {
      const seen = checks.get(check.id);
      if (!seen) {
        checks.set(check.id, { check, from: path });
      } else if (seen.check.outcome !== check.outcome) {
        const list = conflicts.get(check.id) ?? [`${seen.check.outcome} in ${seen.from}`];
        list.push(`${check.outcome} in ${path}`);
        conflicts.set(check.id, list);
      }
    }
  }
  if (conflicts.size > 0) {
    const shown = [...conflicts].slice(0, CONFLICTS_SHOWN).map(([id, where]) => `  ${id}: ${where.join(', ')}`);
    if (conflicts.size > CONFLICTS_SHOWN) shown.push(`  ... and ${conflicts.size - CONFLICTS_SHOWN} more`);
    throw new MergeError(`cannot merge: ${conflicts.size} check${conflicts.size === 1 ? ' has' : 's have'} different outcomes in different reports:\n${shown.join('\n')}`);
  }

  const first = inputs[0]!.report;
  const starts = inputs.map((l) => Date.parse(l.report.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...inputs.map((l, i) => starts[i]! + l.report.durationMs));
  const merged = [...checks.values()].map((c) => c.check).sort((a, b) => a.id.localeCompare(b.id));
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...(first.tool ? { tool: first.tool } : {}),
    target: { ...first.target },
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    mergedFrom: inputs.flatMap((l) => sources(l.report)),
    summary: summarise(merged.map((c) => c.outcome)),
    checks: merged,
  };
  return report;
}

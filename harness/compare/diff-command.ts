// `oidc-conformance diff OLD NEW [--json] [--strict]`: what changed from a baseline run to a new
// one (diff.ts defines each class), printed for a reader or as JSON. Exit 1 on a regression (a
// check failing in NEW that did not fail, or did not exist, in OLD), 0 otherwise, 2 on bad usage
// or a file that is not a report this version reads.
import { parseArgs } from 'node:util';
import { type DiffEntry, type ReportDiff, diffReports, isRegression } from './diff.ts';
import { type LoadedReport, ReportInputError, readReportArg, shardLabel, targetName } from './read-report.ts';

const MESSAGE_MAX = 160;

function outcomeOf(outcome: string | undefined, absent: string): string {
  return outcome ?? absent;
}

function line(entry: DiffEntry): string {
  const change = `${outcomeOf(entry.before, '(new)')} → ${outcomeOf(entry.after, '(removed)')}`;
  const message = entry.message.split('\n')[0] ?? '';
  const short = message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX - 1)}…` : message;
  return `  ${change.padEnd(20)} ${entry.id} [${entry.level}]${short ? `  ${short}` : ''}`;
}

function describe(role: string, loaded: LoadedReport): string {
  const { report } = loaded;
  const s = report.summary;
  const extra = [report.target.faults?.length ? `faults ${report.target.faults.join(',')}` : '', report.shard ? `shard ${shardLabel(report)}` : ''].filter(Boolean);
  return `${role}: ${loaded.path}  ${targetName(report)} ${report.target.issuer}${extra.length ? ` (${extra.join(', ')})` : ''}  ${report.startedAt}  ` +
    `${s.total} checks: pass ${s.pass} fail ${s.fail} warn ${s.warn} skip ${s.skip} error ${s.error}`;
}

/** Two reports of different targets can be diffed (provider A against provider B), but the reader is told. */
function differentTargets(a: LoadedReport, b: LoadedReport): boolean {
  const ta = a.report.target;
  const tb = b.report.target;
  if (targetName(a.report) !== targetName(b.report) || (ta.profile === null) !== (tb.profile === null)) return true;
  if ((ta.faults ?? []).join() !== (tb.faults ?? []).join()) return true;
  // The embedded provider listens on a new port every run: its issuer says nothing.
  return ta.profile !== null && ta.issuer !== tb.issuer;
}

export function formatDiff(diff: ReportDiff, before: LoadedReport, after: LoadedReport): string {
  const lines = [describe('old', before), describe('new', after)];
  if (differentTargets(before, after)) lines.push(`note: OLD and NEW are runs of different targets (${targetName(before.report)} → ${targetName(after.report)})`);
  const failing = diff.strict ? 'FAIL, ERROR or WARN (--strict)' : 'FAIL or ERROR';
  const sections: Array<[string, DiffEntry[]]> = [
    [`new failures (regressions: ${failing} in NEW, not failing or absent in OLD)`, diff.newFailures],
    ['fixed', diff.fixed],
    ['changed', diff.changed],
    ['added', diff.added],
    ['removed', diff.removed],
  ];
  for (const [title, entries] of sections) {
    lines.push('', `${title}: ${entries.length}`);
    lines.push(...entries.map(line));
  }
  lines.push('', `unchanged: ${diff.unchanged}${diff.stillFailing.length ? ` (${diff.stillFailing.length} still failing: ${diff.stillFailing.map((e) => e.id).join(', ')})` : ''}`);
  lines.push(
    isRegression(diff)
      ? `REGRESSION: ${diff.newFailures.length} check${diff.newFailures.length === 1 ? '' : 's'} failing in NEW that did not fail in OLD`
      : 'no regression',
  );
  return lines.join('\n');
}

export function diffJson(diff: ReportDiff, before: LoadedReport, after: LoadedReport): object {
  const side = (l: LoadedReport) => ({
    path: l.path,
    name: targetName(l.report),
    target: l.report.target,
    startedAt: l.report.startedAt,
    ...(l.report.shard ? { shard: l.report.shard } : {}),
    summary: l.report.summary,
  });
  return { old: side(before), new: side(after), regression: isRegression(diff), ...diff, stillFailing: diff.stillFailing.map((e) => e.id) };
}

export async function diffCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, strict: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2) {
    console.error(`oidc-conformance diff: give exactly two reports, OLD then NEW (report.json files or report directories), not ${positionals.length}`);
    return 2;
  }
  let before: LoadedReport;
  let after: LoadedReport;
  try {
    before = readReportArg(positionals[0]!);
    after = readReportArg(positionals[1]!);
  } catch (error) {
    if (error instanceof ReportInputError) {
      console.error(`oidc-conformance diff: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const diff = diffReports(before.report, after.report, { strict: values.strict ?? false });
  console.log(values.json ? JSON.stringify(diffJson(diff, before, after), null, 2) : formatDiff(diff, before, after));
  return isRegression(diff) ? 1 : 0;
}

// Assembles report.json from judged checks and the recorded exchanges they cite.
import type { CheckDefinition, CheckResult, Outcome } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import { REPORT_SCHEMA_VERSION, type Report, type ReportCheck, type ReportShard, type ReportSummary } from './types.ts';

export interface JudgedCheck {
  definition: CheckDefinition;
  result: CheckResult;
  durationMs?: number;
}

export interface ReportInput {
  target: Report['target'];
  startedAt: Date | string;
  durationMs: number;
  /** `run --shard i/n`: recorded so that a shard's report says which part of a run it is. */
  shard?: ReportShard;
  checks: JudgedCheck[];
  /** Recorded (redacted) exchanges of every HTTP client used in the run. */
  exchanges: Exchange[];
  tool?: Report['tool'];
  /** Masks secrets in messages and expected/actual values (pass the HTTP client's redact). */
  redact?: <T>(value: T) => T;
}

export function buildReport(input: ReportInput): Report {
  const byId = new Map(input.exchanges.map((exchange) => [exchange.id, exchange]));
  const redact = input.redact ?? (<T>(value: T): T => value);
  const checks = input.checks
    .map((judged) => toReportCheck(judged, byId, redact))
    .sort((a, b) => a.id.localeCompare(b.id));
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    target: input.target,
    startedAt: typeof input.startedAt === 'string' ? input.startedAt : input.startedAt.toISOString(),
    durationMs: input.durationMs,
    ...(input.shard ? { shard: { ...input.shard } } : {}),
    summary: summarise(checks.map((c) => c.outcome)),
    checks,
  };
  if (input.tool) report.tool = input.tool;
  return report;
}

export function summarise(outcomes: Outcome[]): ReportSummary {
  const summary: ReportSummary = { total: outcomes.length, pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const outcome of outcomes) summary[outcome.toLowerCase() as Lowercase<Outcome>]++;
  return summary;
}

function toReportCheck(judged: JudgedCheck, byId: Map<string, Exchange>, redact: <T>(value: T) => T): ReportCheck {
  const { definition, result } = judged;
  const check: ReportCheck = {
    id: definition.id,
    title: definition.title,
    area: definition.area,
    level: definition.level,
    refs: [...definition.refs],
    requirements: [...definition.requirements],
    outcome: result.outcome,
    message: redact(result.message),
    evidence: { exchanges: [] },
  };
  if ('expected' in result) check.expected = redact(result.expected);
  if ('actual' in result) check.actual = redact(result.actual);
  if (result.deviation !== undefined) check.deviation = result.deviation;
  if (judged.durationMs !== undefined) check.durationMs = judged.durationMs;
  if (Object.keys(result.evidence).length > 0) check.evidence.notes = redact(result.evidence);

  const missing: string[] = [];
  for (const id of new Set(result.exchanges)) {
    const exchange = byId.get(id);
    if (exchange) check.evidence.exchanges.push(exchange);
    else missing.push(id);
  }
  if (missing.length > 0) {
    // A verdict whose evidence cannot be shown is not trustworthy: the harness broke.
    check.outcome = 'ERROR';
    check.message = `harness error: evidence ${missing.join(', ')} was not recorded (verdict was ${result.outcome}: ${check.message})`;
  }
  return check;
}

// The report.json shape; report.schema.json is its published contract and a test keeps the two
// in step (a written report must validate).
import type { Level, Outcome } from '../checks.ts';
import type { Exchange } from '../http/types.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportSummary {
  total: number;
  pass: number;
  fail: number;
  warn: number;
  skip: number;
  error: number;
}

export interface ReportCheck {
  id: string;
  title: string;
  area: string;
  level: Level;
  refs: string[];
  requirements: string[];
  outcome: Outcome;
  message: string;
  expected?: unknown;
  actual?: unknown;
  deviation?: string;
  durationMs?: number;
  evidence: { exchanges: Exchange[]; notes?: Record<string, unknown> };
}

/** `run --shard i/n`: this report holds the checks of shard `index` of `count` (1-based). */
export interface ReportShard {
  index: number;
  count: number;
}

/** One report a merged report was joined from (`oidc-conformance merge`). */
export interface ReportSource {
  issuer: string;
  startedAt: string;
  durationMs: number;
  total: number;
  shard?: ReportShard;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool?: { name: string; version: string };
  target: {
    issuer: string;
    profile: string | null;
    /** The profile's `name` (`reference-provider` for the embedded one): the column title in `compare`. */
    name?: string;
    /** Faults switched on in the embedded reference provider (`run --provider-fault`); absent when none. */
    faults?: string[];
  };
  startedAt: string;
  durationMs: number;
  shard?: ReportShard;
  mergedFrom?: ReportSource[];
  summary: ReportSummary;
  checks: ReportCheck[];
}

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

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool?: { name: string; version: string };
  target: { issuer: string; profile: string | null };
  startedAt: string;
  durationMs: number;
  summary: ReportSummary;
  checks: ReportCheck[];
}

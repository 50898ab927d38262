// The check model. A check is a stable id with its spec references and a level; a judge
// function throws to say what went wrong, and judgeCheck turns that into an outcome. The level
// lives on the definition, not in the judge, so the same judging code can be a FAIL under a
// MUST and a WARN under a SHOULD (the OpenID Foundation suite's split between condition and
// severity).
import { HttpError } from './http/http-error.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';
export type Outcome = 'PASS' | 'FAIL' | 'WARN' | 'SKIP' | 'ERROR';
export const OUTCOMES: readonly Outcome[] = ['PASS', 'FAIL', 'WARN', 'SKIP', 'ERROR'];
export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];

export interface CheckDefinition {
  /** Published and never renamed: "<area>/<kebab-name>", e.g. "discovery/issuer-matches". */
  id: string;
  title: string;
  /** The suite area it belongs to ("discovery", "client-credentials", ...). */
  area: string;
  /** Spec clauses in the OpenID Foundation form: "OIDCD-4.3", "RFC6749-5.2". */
  refs: string[];
  /** Row keys of REQUIREMENTS.md this check covers ("DSC-07"). */
  requirements: string[];
  level: Level;
}

export interface CheckResult {
  outcome: Outcome;
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** Ids of the exchanges the verdict judged (evidence the report prints). */
  exchanges: string[];
  /** Other things the judge looked at, by name (decoded JWT claims, a computed hash...). */
  evidence: Record<string, unknown>;
  /** The profile declared this behaviour an expected deviation, with this reason. */
  deviation?: string;
}

export interface FailureDetails {
  /**
   * The breach is reported as WARN whatever the level: e.g. plain http on a loopback issuer breaks
   * an https MUST, but is the normal state of a local test target.
   */
  warnOnly?: boolean;
  expected?: unknown;
  actual?: unknown;
  exchanges?: string[];
  evidence?: Record<string, unknown>;
}

/** Thrown by a judge: the target does not do what the check requires. */
export class CheckFailure extends Error {
  readonly expected: unknown;
  readonly actual: unknown;
  readonly exchanges: string[];
  readonly evidence: Record<string, unknown>;
  readonly hasExpected: boolean;
  readonly warnOnly: boolean;

  constructor(message: string, details: FailureDetails = {}) {
    super(message);
    this.name = 'CheckFailure';
    this.warnOnly = details.warnOnly ?? false;
    // "expected: undefined" is a real statement ("no refresh_token"), so keep whether it was said.
    this.hasExpected = 'expected' in details;
    this.expected = details.expected;
    this.actual = details.actual;
    this.exchanges = details.exchanges ?? [];
    this.evidence = details.evidence ?? {};
  }
}

/** Thrown by a judge: the check does not apply to this target (the reason is reported). */
export class CheckSkip extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckSkip';
  }
}

/** What a passing judge may return so a PASS also names its evidence. */
export interface PassDetails {
  message?: string;
  exchanges?: string[];
  evidence?: Record<string, unknown>;
  /**
   * Attach the screenshots the browser took of the cited exchanges even on PASS: for verdicts
   * judged from what the browser shows (an error page instead of a redirect).
   */
  screenshots?: boolean;
}

export function failCheck(message: string, details: FailureDetails = {}): never {
  throw new CheckFailure(message, details);
}

export function skipCheck(reason: string): never {
  throw new CheckSkip(reason);
}

export function assertCheck(condition: unknown, message: string, details: FailureDetails = {}): asserts condition {
  if (!condition) throw new CheckFailure(message, details);
}

/** Strict equality on JSON-like values (order of object members ignored). */
export function assertEqualValue(actual: unknown, expected: unknown, message: string, exchanges: string[] = []): void {
  if (!isDeepEqual(actual, expected)) throw new CheckFailure(message, { expected, actual, exchanges });
}

/** A broken MUST is a provider failure; a broken SHOULD or MAY is only worth a warning. */
export function outcomeForBrokenLevel(level: Level): 'FAIL' | 'WARN' {
  return level === 'MUST' ? 'FAIL' : 'WARN';
}

export interface JudgeOptions {
  /** Reason from the profile's expected deviations for this check id. */
  deviation?: string;
}

/**
 * Runs one judge and maps what happened to an outcome: returned → PASS, CheckFailure → FAIL or
 * WARN by level, CheckSkip → SKIP, HttpError → ERROR citing the exchange, anything else →
 * ERROR (a harness bug, never blamed on the provider).
 */
export async function judgeCheck(
  definition: CheckDefinition,
  judge: () => PassDetails | void | Promise<PassDetails | void>,
  options: JudgeOptions = {},
): Promise<CheckResult> {
  const result = await runJudge(definition, judge);
  if (options.deviation === undefined) return result;
  if (result.outcome === 'FAIL' || result.outcome === 'WARN') {
    // Declared and explained by the profile: reported, but not as a provider failure.
    return { ...result, outcome: 'WARN', deviation: options.deviation, message: `expected deviation (${options.deviation}): ${result.message}` };
  }
  if (result.outcome === 'PASS') {
    return { ...result, deviation: options.deviation, message: `${result.message} (a deviation is declared but was not observed; the profile entry may be stale)` };
  }
  return { ...result, deviation: options.deviation };
}

async function runJudge(
  definition: CheckDefinition,
  judge: () => PassDetails | void | Promise<PassDetails | void>,
): Promise<CheckResult> {
  try {
    const passed = (await judge()) ?? {};
    return { outcome: 'PASS', message: passed.message ?? definition.title, exchanges: passed.exchanges ?? [], evidence: passed.evidence ?? {} };
  } catch (error) {
    return describeThrown(definition, error);
  }
}

/** The outcome for something a judge or step threw; exported for runners that catch themselves. */
export function describeThrown(definition: CheckDefinition, error: unknown): CheckResult {
  if (error instanceof CheckFailure) {
    const result: CheckResult = {
      outcome: error.warnOnly ? 'WARN' : outcomeForBrokenLevel(definition.level),
      message: error.message,
      exchanges: error.exchanges,
      evidence: error.evidence,
    };
    if (error.hasExpected) result.expected = error.expected;
    if (error.hasExpected || error.actual !== undefined) result.actual = error.actual;
    return result;
  }
  if (error instanceof CheckSkip) {
    return { outcome: 'SKIP', message: error.reason, exchanges: [], evidence: {} };
  }
  if (error instanceof Error && error.name === 'TargetUnavailable') {
    return { outcome: 'ERROR', message: `target unavailable: ${error.message}`, exchanges: [], evidence: {} };
  }
  if (error instanceof HttpError) {
    return { outcome: 'ERROR', message: `target unreachable or broken: ${error.message}`, exchanges: [error.exchange.id], evidence: { errorCode: error.code } };
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { outcome: 'ERROR', message: `harness error: ${text}`, exchanges: [], evidence: {} };
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => Object.hasOwn(b, k) && isDeepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---- registry: the catalogue (`list`) and the coverage are generated from it ----

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const AREA_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// "OIDCC-3.1.3.7", "RFC6749-5.2", "OAuth2-FP-5", "RFC6749-A.5"
const REF_PATTERN = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z]+)*-(?:\d+|[A-Z])(?:\.\d+)*$/;
const REQUIREMENT_PATTERN = /^[A-Z]+-\d{2,}$/;

export interface CheckRegistry {
  /** Validates and registers a definition; returns it so suites can `export const x = define(...)`. */
  define(definition: CheckDefinition): CheckDefinition;
  get(id: string): CheckDefinition | undefined;
  /** Every registered check, sorted by id. */
  list(): CheckDefinition[];
}

export function createCheckRegistry(): CheckRegistry {
  const byId = new Map<string, CheckDefinition>();
  return {
    define(definition) {
      const problems = validateDefinition(definition);
      if (problems.length > 0) throw new Error(`invalid check definition "${definition.id}": ${problems.join('; ')}`);
      const existing = byId.get(definition.id);
      if (existing) {
        // A module evaluated twice registers the same thing twice; only a real clash is an error.
        if (JSON.stringify(existing) === JSON.stringify(definition)) return existing;
        throw new Error(`duplicate check id "${definition.id}" (ids are unique and never reused)`);
      }
      const frozen = Object.freeze({ ...definition, refs: [...definition.refs], requirements: [...definition.requirements] });
      byId.set(definition.id, frozen);
      return frozen;
    },
    get: (id) => byId.get(id),
    list: () => [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export function validateDefinition(definition: CheckDefinition): string[] {
  const problems: string[] = [];
  if (!ID_PATTERN.test(definition.id)) problems.push('id must look like "area/kebab-name"');
  if (!AREA_PATTERN.test(definition.area)) problems.push(`area "${definition.area}" must be kebab-case`);
  if (definition.title.trim() === '') problems.push('title is empty');
  if (!LEVELS.includes(definition.level)) problems.push(`level "${String(definition.level)}" is not MUST, SHOULD or MAY`);
  if (definition.refs.length === 0) problems.push('at least one spec reference is required');
  for (const ref of definition.refs) if (!REF_PATTERN.test(ref)) problems.push(`ref "${ref}" is not in the form OIDCC-3.1.3.7 / RFC6749-5.2`);
  for (const key of definition.requirements) if (!REQUIREMENT_PATTERN.test(key)) problems.push(`requirement "${key}" is not a row key like DSC-07`);
  if (new Set(definition.requirements).size !== definition.requirements.length) problems.push('requirements repeat a row');
  return problems;
}

/** The process-wide registry suites define their checks in. */
export const checkRegistry: CheckRegistry = createCheckRegistry();

export function defineCheck(definition: CheckDefinition): CheckDefinition {
  return checkRegistry.define(definition);
}

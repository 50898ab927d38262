// What each check contributes to the Allure results (allure-vitest collects them from the test
// that calls these, through allure-js-commons): labels from its definition, links to the spec
// clauses, the recorded exchanges as JSON attachments and the verdict. Everything attached here
// is a redacted copy: the HTML report is meant to be shared. Outside an allure-vitest run the
// allure-js-commons calls do nothing, so suites behave the same without it.
import * as allure from 'allure-js-commons';
import type { CheckDefinition, CheckResult, Level } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import { specUrl } from '../spec-links.ts';

const SEVERITY: Record<Level, string> = { MUST: 'critical', SHOULD: 'normal', MAY: 'minor' };

export interface CheckLabelsOptions {
  /** The target's profile name: the parent suite, so reports of several targets stay apart. */
  targetName: string;
}

/** Labels and links from the definition: sent first, so even a check that crashes carries them. */
export async function labelCheck(definition: CheckDefinition, options: CheckLabelsOptions): Promise<void> {
  await allure.displayName(`${definition.id} · ${definition.title}`);
  await allure.testCaseId(definition.id);
  await allure.labels(
    { name: 'ALLURE_ID', value: definition.id },
    { name: 'parentSuite', value: options.targetName },
    { name: 'suite', value: definition.area },
    { name: 'feature', value: definition.area },
    { name: 'severity', value: SEVERITY[definition.level] },
    { name: 'level', value: definition.level },
    { name: 'tag', value: definition.level },
    ...definition.refs.map((ref) => ({ name: 'ref', value: ref })),
    ...definition.requirements.map((key) => ({ name: 'requirement', value: key })),
    ...definition.requirements.map((key) => ({ name: 'tag', value: key })),
  );
  const links = definition.refs.flatMap((ref) => {
    const url = specUrl(ref);
    return url ? [{ url, name: ref, type: 'link' }] : [];
  });
  if (links.length > 0) await allure.links(...links);
}

/**
 * Labels known once judged. Allure has no "warning" status, so a WARN stays "passed" (CI gates
 * on FAIL and ERROR only) and is tagged WARN to be found by the tag filter.
 */
export async function labelVerdict(result: CheckResult): Promise<void> {
  const tags: string[] = [result.outcome];
  if (result.deviation !== undefined) tags.push('expected-deviation');
  await allure.labels({ name: 'outcome', value: result.outcome }, ...tags.map((value) => ({ name: 'tag', value })));
}

/** "discovery#1 GET http://op/.well-known/openid-configuration → 200" */
export function exchangeTitle(exchange: Exchange): string {
  const outcome = exchange.error ? exchange.error.code : String(exchange.response?.status ?? '?');
  const label = exchange.label ? ` (${exchange.label})` : '';
  return `${exchange.id} ${exchange.request.method} ${exchange.request.url} → ${outcome}${label}`;
}

/** Attaches a recorded (redacted) exchange as JSON to the current step or test. */
export async function attachExchange(exchange: Exchange): Promise<void> {
  await allure.attachment(exchangeTitle(exchange), `${JSON.stringify(exchange, null, 2)}\n`, {
    contentType: 'application/json',
    fileExtension: '.json',
  });
}

/** The verdict as report.json shows it (already redacted by the caller). */
export function verdictDocument(definition: CheckDefinition, result: CheckResult): Record<string, unknown> {
  const verdict: Record<string, unknown> = { id: definition.id, outcome: result.outcome, level: definition.level, message: result.message };
  // JSON cannot hold undefined, and "expected: absent" (no refresh_token) is a real statement.
  if ('expected' in result) verdict.expected = result.expected === undefined ? '(absent)' : result.expected;
  if ('actual' in result) verdict.actual = result.actual === undefined ? '(absent)' : result.actual;
  if (result.deviation !== undefined) verdict.deviation = result.deviation;
  verdict.exchanges = result.exchanges;
  if (Object.keys(result.evidence).length > 0) verdict.notes = result.evidence;
  return verdict;
}

export async function attachVerdict(definition: CheckDefinition, result: CheckResult): Promise<void> {
  await allure.attachment(`verdict: ${result.outcome}`, `${JSON.stringify(verdictDocument(definition, result), null, 2)}\n`, {
    contentType: 'application/json',
    fileExtension: '.json',
  });
}

function codeBlock(value: unknown): string {
  const text = value === undefined ? '(absent)' : (JSON.stringify(value, null, 2) ?? String(value));
  return `\`\`\`json\n${text.replaceAll('```', '`\u200b``')}\n\`\`\``;
}

/** The description of a check's Allure page: what it requires, and what the verdict says. */
export function describeCheck(definition: CheckDefinition, result: CheckResult): string {
  const refs = definition.refs.map((ref) => {
    const url = specUrl(ref);
    return url ? `[${ref}](${url})` : ref;
  });
  const lines = [
    `**${definition.title}**`,
    '',
    `${definition.level} · ${refs.join(', ')}${definition.requirements.length ? ` · covers ${definition.requirements.join(', ')}` : ''}`,
    '',
    `**${result.outcome}**: ${result.message}`,
  ];
  if (result.deviation !== undefined) lines.push('', `Expected deviation declared by the profile: ${result.deviation}`);
  if ('expected' in result) lines.push('', 'Expected:', '', codeBlock(result.expected));
  if ('expected' in result || 'actual' in result) lines.push('', 'Actual:', '', codeBlock(result.actual));
  if (result.exchanges.length > 0) lines.push('', `Evidence: ${result.exchanges.join(', ')} (attached as JSON in the steps)`);
  return lines.join('\n');
}

export { allure };

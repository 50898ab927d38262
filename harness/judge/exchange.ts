// Judging recorded exchanges: small named assertions that fail with {expected, actual} and cite
// the exchange, so every verdict points at the evidence.
import { CheckFailure, type FailureDetails } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import { validatePayload, type SchemaName } from '../schemas/validate-payload.ts';

export function headerOf(exchange: Exchange, name: string): string | undefined {
  const value = exchange.response?.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function fail(exchange: Exchange, message: string, details: FailureDetails = {}): never {
  throw new CheckFailure(message, { ...details, exchanges: [exchange.id, ...(details.exchanges ?? [])] });
}

export function expectStatus(exchange: Exchange, expected: number | number[], what = 'status'): void {
  const allowed = Array.isArray(expected) ? expected : [expected];
  const actual = exchange.response?.status;
  if (actual === undefined || !allowed.includes(actual)) {
    fail(exchange, `${what}: expected HTTP ${allowed.join(' or ')}, got ${actual ?? 'no response'}`, { expected: allowed.length === 1 ? allowed[0] : allowed, actual });
  }
}

/** The response body as a JSON object, or a failure saying what came instead. */
export function jsonObject(exchange: Exchange): Record<string, unknown> {
  const response = exchange.response;
  if (!response) fail(exchange, 'no response');
  const json = response.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const contentType = headerOf(exchange, 'content-type') ?? 'none';
    fail(exchange, `expected a JSON object (content-type ${contentType})${response.jsonError ? `: ${response.jsonError}` : ''}`, {
      expected: 'a JSON object with a JSON content type',
      actual: response.body.slice(0, 200),
    });
  }
  return json as Record<string, unknown>;
}

export function expectJsonContentType(exchange: Exchange): void {
  const contentType = headerOf(exchange, 'content-type') ?? '';
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
    fail(exchange, 'content-type is not application/json', { expected: 'application/json', actual: contentType || '(none)' });
  }
}

export function expectSchema(exchange: Exchange, schema: SchemaName, value: unknown = jsonObject(exchange)): void {
  const result = validatePayload(schema, value);
  if (!result.valid) fail(exchange, `the ${schema} does not match its schema: ${result.errors.join('; ')}`, { expected: `a valid ${schema}`, actual: result.errors });
}

/** RFC 6749 5.2 error: the status, the JSON body and its `error` code. */
export function expectOAuthError(exchange: Exchange, expected: { status: number | number[]; error: string | string[] }): Record<string, unknown> {
  const codes = Array.isArray(expected.error) ? expected.error : [expected.error];
  const body = exchange.response?.json as Record<string, unknown> | undefined;
  const actualError = typeof body === 'object' && body !== null ? body.error : undefined;
  if (!codes.includes(String(actualError))) {
    fail(exchange, `expected error ${codes.join(' or ')}, got ${actualError === undefined ? `HTTP ${exchange.response?.status ?? 'nothing'} without an error code` : String(actualError)}`, {
      expected: { status: expected.status, error: codes.length === 1 ? codes[0] : codes },
      actual: { status: exchange.response?.status, error: actualError },
    });
  }
  expectStatus(exchange, expected.status, `status of the ${String(actualError)} error`);
  return body as Record<string, unknown>;
}

/** Loopback hosts: a local test target served over plain http. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

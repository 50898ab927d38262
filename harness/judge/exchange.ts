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

/** Whether the request authenticated with HTTP Basic (the live or the recorded copy). */
export function usedBasicAuth(exchange: Exchange): boolean {
  if (exchange.request.basicAuthUsername !== undefined) return true;
  const authorization = Object.entries(exchange.request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return authorization !== undefined && /^basic\s/i.test(authorization);
}

/** RFC 6749 5.1 (TOK-23): a response carrying tokens or credentials has Cache-Control: no-store. */
export function expectNoStore(exchange: Exchange): void {
  const cacheControl = headerOf(exchange, 'cache-control') ?? '';
  const directives = cacheControl.split(',').map((d) => d.trim().toLowerCase());
  if (!directives.includes('no-store')) {
    fail(exchange, 'Cache-Control: no-store is missing from a response that carries tokens', { expected: 'Cache-Control: no-store', actual: cacheControl || '(no Cache-Control)' });
  }
}

/** A token endpoint success (RFC 6749 5.1): HTTP 200 and a JSON object that fits the schema. */
export function expectTokenSuccess(exchange: Exchange, schema: SchemaName = 'token-response'): Record<string, unknown> {
  const status = exchange.response?.status;
  if (status !== 200) {
    const body = exchange.response?.json as Record<string, unknown> | undefined;
    const error = typeof body === 'object' && body !== null && typeof body.error === 'string' ? ` (${body.error})` : '';
    fail(exchange, `the token request was not granted: HTTP ${status ?? 'no response'}${error}`, { expected: 200, actual: { status, error: body?.error } });
  }
  expectJsonContentType(exchange);
  const body = jsonObject(exchange);
  expectSchema(exchange, schema, body);
  return body;
}

/** A token endpoint error (RFC 6749 5.2): the status and code, a JSON content type, a body that fits the error schema. */
export function expectTokenError(exchange: Exchange, expected: { status: number | number[]; error: string | string[] }): Record<string, unknown> {
  const body = expectOAuthError(exchange, expected);
  expectJsonContentType(exchange);
  expectSchema(exchange, 'error-response', body);
  return body;
}

/**
 * invalid_client (RFC 6749 5.2): after HTTP Basic, 401 with a WWW-Authenticate challenge naming
 * Basic (TOK-08); otherwise 400 or 401 (TOK-09).
 */
export function expectInvalidClient(exchange: Exchange): Record<string, unknown> {
  const basic = usedBasicAuth(exchange);
  const body = expectTokenError(exchange, { status: basic ? 401 : [400, 401], error: 'invalid_client' });
  if (basic) {
    const challenge = headerOf(exchange, 'www-authenticate') ?? '';
    if (!/(^|,)\s*basic(\s|,|$)/i.test(challenge)) {
      fail(exchange, 'a failed HTTP Basic authentication is answered without a WWW-Authenticate: Basic challenge', { expected: 'WWW-Authenticate: Basic ...', actual: challenge || '(none)' });
    }
  }
  return body;
}

/** RFC 6749 5.1 also asks for Pragma: no-cache; RFC 9111 deprecates Pragma, so its absence is only a warning. */
export function expectPragmaNoCache(exchange: Exchange): void {
  const pragma = headerOf(exchange, 'pragma') ?? '';
  if (!/(^|,)\s*no-cache\s*(,|$)/i.test(pragma)) {
    fail(exchange, 'Pragma: no-cache is missing beside Cache-Control: no-store', { expected: 'Pragma: no-cache', actual: pragma || '(no Pragma)', warnOnly: true });
  }
}

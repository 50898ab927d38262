// Judges of introspection answers (RFC 7662): pure functions of the introspection exchanges and of
// the token response that issued the token.
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectJsonContentType, expectOAuthError, expectSchema, expectStatus, jsonObject } from '../../harness/judge/exchange.ts';

/** RFC 7662 2.2: 200, application/json, and "active" the JSON boolean true. */
export function judgeActive(exchange: Exchange, what = 'an issued access token'): Record<string, unknown> {
  expectStatus(exchange, 200, `introspection of ${what}`);
  expectJsonContentType(exchange);
  const body = jsonObject(exchange);
  if (typeof body.active !== 'boolean') {
    failCheck(`"active" is not a JSON boolean (RFC 7662 2.2: REQUIRED boolean)`, { expected: true, actual: body.active, exchanges: [exchange.id] });
  }
  if (body.active !== true) {
    failCheck(`${what}, unexpired and not revoked, is described as inactive`, { expected: { active: true }, actual: body, exchanges: [exchange.id] });
  }
  return body;
}

export function judgeMemberTypes(exchanges: Exchange[]): void {
  for (const exchange of exchanges) expectSchema(exchange, 'introspection-response', jsonObject(exchange));
}

export interface Issued {
  /** The token response (RFC 6749 5.1) of the token introspected. */
  exchange: Exchange;
  /** The scope the token request asked for: the granted scope when the response leaves scope out (RFC 6749 5.1). */
  requestedScope: string;
  clientId: string;
}

const scopeSet = (scope: string) => [...new Set(scope.split(' ').filter(Boolean))].sort();

/**
 * exp, scope, client_id (and token_type) of an active token agree with the token response. exp is
 * compared with iat + expires_in when iat is given (both from the server's clock), else with the
 * time of the token request, allowing for clock skew.
 */
export function judgeConsistent(introspection: Exchange, issued: Issued, skewSeconds = 300): string {
  const body = jsonObject(introspection);
  if (body.active !== true) throw new CheckSkip(`the token is not described as active (${introspection.id}; see introspection/active-token)`);
  const response = jsonObject(issued.exchange);
  const exchanges = [issued.exchange.id, introspection.id];
  const compared: string[] = [];

  const expiresIn = response.expires_in;
  if (typeof body.exp === 'number' && typeof expiresIn === 'number') {
    if (typeof body.iat === 'number') {
      if (Math.abs(body.exp - body.iat - expiresIn) > 10) {
        failCheck('exp - iat differs from the expires_in the token response gave', { expected: `exp - iat = ${expiresIn} (±10 s)`, actual: { exp: body.exp, iat: body.iat, difference: body.exp - body.iat }, exchanges });
      }
    } else {
      const expected = Math.floor(Date.parse(issued.exchange.startedAt) / 1000) + expiresIn;
      if (Math.abs(body.exp - expected) > skewSeconds) {
        failCheck('exp differs from the time of issue plus expires_in', { expected: `about ${expected} (±${skewSeconds} s)`, actual: body.exp, exchanges });
      }
    }
    compared.push('exp');
  }

  if (typeof body.scope === 'string') {
    const granted = typeof response.scope === 'string' ? response.scope : issued.requestedScope;
    if (JSON.stringify(scopeSet(body.scope)) !== JSON.stringify(scopeSet(granted))) {
      failCheck('scope differs from the scope granted with the token', { expected: granted, actual: body.scope, exchanges });
    }
    compared.push('scope');
  }

  if (body.client_id !== undefined) {
    if (body.client_id !== issued.clientId) {
      failCheck('client_id is not the client the token was issued to', { expected: issued.clientId, actual: body.client_id, exchanges });
    }
    compared.push('client_id');
  }

  if (typeof body.token_type === 'string' && typeof response.token_type === 'string') {
    if (body.token_type.toLowerCase() !== response.token_type.toLowerCase()) {
      failCheck('token_type differs from the token response', { expected: response.token_type, actual: body.token_type, exchanges });
    }
    compared.push('token_type');
  }
  return compared.length > 0 ? `${compared.join(', ')} agree with the token response` : 'no exp, scope, client_id or token_type to compare';
}

/**
 * RFC 7662 2.2 and 2.3: a properly authorised query about an inactive, unknown or revoked token is
 * answered 200 with "active": false (MUST); anything more about the token SHOULD NOT be said.
 */
export function judgeInactive(exchange: Exchange, what: string): void {
  expectStatus(exchange, 200, `introspection of ${what}`);
  const body = jsonObject(exchange);
  if (body.active !== false) {
    failCheck(body.active === true ? `${what} is described as active` : `"active" is ${JSON.stringify(body.active)}, not the boolean false`, {
      expected: { active: false },
      actual: body,
      exchanges: [exchange.id],
    });
  }
  const extra = Object.keys(body).filter((k) => k !== 'active');
  if (extra.length > 0) {
    throw new CheckFailure(`the answer about ${what} reveals more than "active": ${extra.join(', ')} (RFC 7662 2.2: SHOULD NOT)`, {
      expected: { active: false },
      actual: body,
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
}

/**
 * RFC 7662 2.1 (MUST require authorization) and 2.3 (401): a caller without credentials learns
 * nothing. Another 4xx is a refusal too, so it is only a warning.
 */
export function judgeUnauthenticatedRefused(exchange: Exchange): void {
  const status = exchange.response?.status;
  const body = exchange.response?.json as Record<string, unknown> | undefined;
  if (status === undefined || status < 400 || status >= 500) {
    failCheck(`introspection answered a caller without credentials with HTTP ${status ?? 'nothing'}`, { expected: 401, actual: { status, body: exchange.response?.body.slice(0, 200) }, exchanges: [exchange.id] });
  }
  if (typeof body === 'object' && body !== null && 'active' in body) {
    failCheck('the refusal still says whether the token is active', { expected: 'no token information', actual: body, exchanges: [exchange.id] });
  }
  if (status !== 401) {
    throw new CheckFailure(`a caller without credentials is refused with HTTP ${status} rather than 401 (RFC 7662 2.3)`, { expected: 401, actual: status, exchanges: [exchange.id], warnOnly: true });
  }
}

/** RFC 7662 2.3: invalid client credentials get 401 as described in RFC 6749 5.2 (invalid_client). */
export function judgeBadCredentials(exchange: Exchange): void {
  if (exchange.response?.status === 200) {
    failCheck('introspection answered a caller with a wrong client secret (HTTP 200)', { expected: '401 invalid_client', actual: exchange.response.json ?? 200, exchanges: [exchange.id] });
  }
  expectOAuthError(exchange, { status: 401, error: 'invalid_client' });
}

/**
 * INT-10 (RFC 7662 4: the server MAY refuse GET, so that tokens stay out of server logs): what an
 * authenticated GET got, against the declared policy; a 5xx is a broken endpoint whatever the policy.
 */
export function judgeGetPolicy(exchange: Exchange, declared: 'refused' | 'answered' | undefined): string {
  const status = exchange.response?.status;
  const exchanges = [exchange.id];
  if (status === undefined || status >= 500) {
    failCheck(`a GET to the introspection endpoint was answered with HTTP ${status ?? 'nothing'}`, { expected: 'a refusal (4xx) or an introspection response', actual: status, exchanges });
  }
  const json = exchange.response?.json as Record<string, unknown> | undefined;
  const answered = status === 200 && typeof json?.active === 'boolean';
  if (status === 200 && !answered) {
    failCheck('a GET to the introspection endpoint got HTTP 200 without an introspection response', { expected: 'a 4xx refusal or {"active": ...}', actual: exchange.response?.body.slice(0, 200), exchanges });
  }
  const observed = answered ? 'answered' : 'refused';
  const how = answered ? 'answers GET like POST' : `refuses GET (HTTP ${status})`;
  if (declared === undefined) return `introspection ${how} (recorded: the profile declares no policy, policies.introspection_get)`;
  if (declared !== observed) {
    failCheck(`introspection ${how}, but the profile declares that it ${declared === 'refused' ? 'refuses' : 'answers'} GET`, { expected: declared, actual: { status, body: json }, exchanges });
  }
  return `introspection ${how}, as declared`;
}

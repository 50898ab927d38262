// Judges of password grant exchanges: pure functions of what was recorded (and of the JWK Set),
// so each can be proven on a good and a bad sample without a provider.
import { failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectInvalidClient, expectNoStore, expectPragmaNoCache, expectTokenError, expectTokenSuccess, jsonObject } from '../../harness/judge/exchange.ts';
import { type Claims, type IdTokenExpectations, decodeIdToken, validateIdToken } from '../../harness/tokens/id-token.ts';

export type RefreshRule = 'offline_access' | 'always' | 'never';

/** RFC 9700 2.4: the grant must not be used, so a probe with the test user's credentials gets no tokens. */
export function judgeGrantNotOffered(exchange: Exchange, advertised: boolean): void {
  const body = exchange.response?.json as Record<string, unknown> | undefined;
  if (exchange.response?.status === 200 && typeof body?.access_token === 'string') {
    const where = advertised ? 'it is offered (grant_types_supported or the profile)' : 'it is not advertised, yet answered';
    failCheck(`the password grant issues tokens: ${where}; RFC 9700 2.4 says it MUST NOT be used`, { expected: 'unsupported_grant_type or unauthorized_client', actual: { status: 200, access_token: 'issued' }, exchanges: [exchange.id] });
  }
}

export function judgeTokenResponse(exchange: Exchange): Record<string, unknown> {
  return expectTokenSuccess(exchange, 'token-response');
}

/** Cache-Control: no-store on every response that carries tokens; Pragma: no-cache missing is a warning. */
export function judgeNoStore(exchanges: Exchange[]): void {
  for (const exchange of exchanges) expectNoStore(exchange);
  for (const exchange of exchanges) expectPragmaNoCache(exchange);
}

/**
 * The ID token of a token response, validated: signature through the JWK Set (or the client
 * secret for HS*), iss, aud, azp, exp, iat, sub, and at_hash when present (OIDC Core 3.1.3.6
 * makes it optional at the token endpoint; when there, it must match the access token).
 */
export async function judgeIdToken(exchange: Exchange, expect: Omit<IdTokenExpectations, 'exchanges' | 'accessToken' | 'code' | 'nonce'>, extraExchanges: string[] = []): Promise<Claims> {
  const body = jsonObject(exchange);
  const exchanges = [exchange.id, ...extraExchanges];
  const { claims } = decodeIdToken(body.id_token, exchanges);
  const full: IdTokenExpectations = { ...expect, exchanges };
  if (claims.at_hash !== undefined && typeof body.access_token === 'string') full.accessToken = body.access_token;
  return validateIdToken(body.id_token, full);
}

/** OIDC Core 2: sub is never reassigned, so two grants for one user carry the same one. */
export function judgeSubStable(first: unknown, second: unknown, exchanges: string[]): void {
  if (typeof first !== 'string' || first !== second) {
    failCheck('two grants for the same user carry different subs', { expected: first, actual: second, exchanges });
  }
}

/** Whether the documented rule grants a refresh token, with and without offline_access. */
export function refreshExpected(rule: RefreshRule, offlineAccess: boolean): boolean {
  if (rule === 'always') return true;
  if (rule === 'never') return false;
  return offlineAccess;
}

/** The documented refresh token rule: judged on a grant without and one with offline_access. */
export function judgeRefreshRule(rule: RefreshRule, without: Exchange, withOffline: Exchange): void {
  for (const [exchange, offline] of [[without, false], [withOffline, true]] as const) {
    const body = expectTokenSuccess(exchange, 'token-response');
    const expected = refreshExpected(rule, offline);
    const issued = body.refresh_token !== undefined;
    if (issued !== expected) {
      const request = offline ? 'with offline_access' : 'without offline_access';
      failCheck(`${issued ? 'a refresh token was issued' : 'no refresh token was issued'} ${request}, against the documented rule "${rule}"`, {
        expected: expected ? 'a refresh_token' : 'no refresh_token',
        actual: issued ? 'a refresh_token' : 'no refresh_token',
        exchanges: [exchange.id],
      });
    }
  }
}

/** Wrong password or unknown user: invalid_grant (RFC 6749 5.2), HTTP 400. */
export function judgeInvalidGrant(exchange: Exchange): void {
  expectTokenError(exchange, { status: 400, error: 'invalid_grant' });
}

/** A required parameter missing: invalid_request (RFC 6749 5.2), HTTP 400. */
export function judgeInvalidRequest(exchange: Exchange): void {
  expectTokenError(exchange, { status: 400, error: 'invalid_request' });
}

/** A confidential client that did not authenticate (or failed to): invalid_client with the RFC 6749 5.2 status rules. */
export function judgeInvalidClient(exchange: Exchange): void {
  expectInvalidClient(exchange);
}

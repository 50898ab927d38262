// Judges of client credentials exchanges: pure functions of what was recorded (and of the
// decoded access token), so each can be proven on a good and a bad sample without a provider.
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectInvalidClient, expectNoStore, expectPragmaNoCache, expectTokenError, expectTokenSuccess, jsonObject } from '../../harness/judge/exchange.ts';
import { type Claims, type DecodedJwt, type JwtAccessTokenExpectations, decodeJwtAccessToken, validateJwtAccessToken } from '../../harness/tokens/access-token.ts';

export type TokenBody = Record<string, unknown>;

/** HTTP 200, JSON, and the RFC 6749 5.1 token response schema. */
export function judgeTokenResponse(exchange: Exchange): TokenBody {
  return expectTokenSuccess(exchange, 'token-response');
}

export function judgeBearer(exchange: Exchange): void {
  const body = jsonObject(exchange);
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    failCheck('token_type is not Bearer', { expected: 'Bearer (any case)', actual: body.token_type, exchanges: [exchange.id] });
  }
}

/** A JSON number of seconds when present (MUST); absent is only a warning (RECOMMENDED). */
export function judgeExpiresIn(exchange: Exchange): void {
  const body = jsonObject(exchange);
  const value = body.expires_in;
  if (value === undefined) {
    throw new CheckFailure('expires_in is not given (RECOMMENDED: the client cannot tell when the token expires)', { expected: 'a number of seconds', actual: undefined, exchanges: [exchange.id], warnOnly: true });
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    failCheck('expires_in is not a JSON number', { expected: 'a JSON number such as 3600', actual: value, exchanges: [exchange.id] });
  }
  if (value <= 0) failCheck('expires_in is not positive', { expected: '> 0', actual: value, exchanges: [exchange.id] });
}

/** Cache-Control: no-store (MUST); Pragma: no-cache missing is only a warning (RFC 9111 deprecates Pragma). */
export function judgeNoStore(exchange: Exchange): void {
  expectNoStore(exchange);
  expectPragmaNoCache(exchange);
}

/** RFC 9068 2.1, 2.2 and 4: signature through the JWK Set and kid, the REQUIRED claims, iss and client_id. */
export async function judgeJwtAccessToken(token: unknown, expect: JwtAccessTokenExpectations): Promise<DecodedJwt> {
  if (typeof token !== 'string') failCheck('no access token', { expected: 'an access_token string', actual: token, exchanges: expect.exchanges });
  return validateJwtAccessToken(token, expect);
}

/** RFC 9068 2.2: with no resource owner, sub SHOULD identify the client application. */
export function judgeAccessTokenSub(claims: Claims, clientId: string, exchanges: string[]): void {
  if (claims.sub !== clientId) {
    failCheck('sub of the JWT access token is not the client_id', { expected: clientId, actual: claims.sub, exchanges });
  }
}

/** RFC 9068 2.1: typ is at+jwt (the application/ prefix RECOMMENDED to be left out, but valid). */
export function judgeAccessTokenTyp(header: Claims, exchanges: string[]): void {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : header.typ;
  if (typ !== 'at+jwt' && typ !== 'application/at+jwt') {
    failCheck('typ of the JWT access token is not at+jwt', { expected: 'at+jwt', actual: header.typ, exchanges });
  }
}

function scopesOf(value: unknown): string[] | undefined {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : undefined;
}

/**
 * The held scopes were requested: the grant succeeds (MUST), and a scope member that leaves some
 * out is only a warning (the server may narrow, RFC 6749 3.3, but the profile says they are held).
 */
export function judgeHeldScopeGranted(exchange: Exchange, requested: string[]): void {
  const body = expectTokenSuccess(exchange, 'token-response');
  const granted = scopesOf(body.scope) ?? requested; // RFC 6749 5.1: scope is omitted when identical to the request
  const missing = requested.filter((s) => !granted.includes(s));
  if (missing.length > 0) {
    throw new CheckFailure(`the grant leaves out held scopes: ${missing.join(' ')}`, { expected: requested.join(' '), actual: body.scope, exchanges: [exchange.id], warnOnly: true });
  }
}

/**
 * An unheld scope was requested: either invalid_scope (400), or a grant whose scope member is
 * present and does not include it (and whose JWT access token, if any, does not carry it either).
 */
export function judgeUnheldScopeRefused(exchange: Exchange, unheld: string): void {
  if (exchange.response?.status !== 200) {
    expectTokenError(exchange, { status: 400, error: 'invalid_scope' });
    return;
  }
  const body = jsonObject(exchange);
  const granted = scopesOf(body.scope);
  if (granted === undefined) {
    failCheck('a scope the client does not hold was granted: the response has no scope member, so the requested scope stands (RFC 6749 5.1)', { expected: `invalid_scope, or a scope member without ${unheld}`, actual: { status: 200, scope: body.scope }, exchanges: [exchange.id] });
  }
  if (granted.includes(unheld)) {
    failCheck(`a scope the client does not hold was granted: ${unheld}`, { expected: `invalid_scope, or a scope member without ${unheld}`, actual: body.scope, exchanges: [exchange.id] });
  }
  const jwt = decodeJwtAccessToken(body.access_token);
  const tokenScopes = jwt ? (scopesOf(jwt.claims.scope) ?? (Array.isArray(jwt.claims.scp) ? jwt.claims.scp.map(String) : [])) : [];
  if (tokenScopes.includes(unheld)) {
    failCheck(`the JWT access token carries a scope the client does not hold: ${unheld}`, { expected: `no ${unheld}`, actual: jwt?.claims.scope ?? jwt?.claims.scp, exchanges: [exchange.id] });
  }
}

/** Wrong secret, unknown client, no authentication: invalid_client with the status rules of RFC 6749 5.2. */
export function judgeInvalidClient(exchange: Exchange): void {
  expectInvalidClient(exchange);
}

/** A public client asking for client credentials: unauthorized_client (400) or invalid_client. */
export function judgePublicClientRefused(exchange: Exchange): void {
  const body = exchange.response?.json as TokenBody | undefined;
  if (body?.error === 'invalid_client') {
    expectInvalidClient(exchange);
    return;
  }
  expectTokenError(exchange, { status: 400, error: ['unauthorized_client', 'invalid_client'] });
}

export function judgeNoRefreshToken(exchange: Exchange): void {
  const body = jsonObject(exchange);
  if (body.refresh_token !== undefined) {
    failCheck('the client credentials grant returned a refresh token (RFC 6749 4.4.3: SHOULD NOT)', { expected: 'no refresh_token', actual: 'a refresh_token', exchanges: [exchange.id] });
  }
}

export function judgeNoIdToken(exchange: Exchange): void {
  const body = jsonObject(exchange);
  if (body.id_token !== undefined) {
    failCheck('the client credentials grant returned an ID token, though no end-user is involved', { expected: 'no id_token', actual: 'an id_token', exchanges: [exchange.id] });
  }
}

// ---- RFC 9068 authorization and audience claims, and exp against expires_in -------------------

const scopeSet = (scopes: string[]) => [...new Set(scopes)].sort();

/**
 * JAT-08 (RFC 9068 2.2.3): a scope was requested, so the token SHOULD carry "scope" (RFC 8693 4.2:
 * a space-separated string), and it names the scopes granted (the token response's scope, or the
 * request's when the response leaves it out, RFC 6749 5.1), no more and no fewer.
 */
export function judgeAccessTokenScope(claims: Claims, requested: string[], response: TokenBody, exchanges: string[]): string {
  const granted = scopesOf(response.scope) ?? requested;
  if (claims.scope === undefined) {
    failCheck(`the JWT access token has no scope claim though scope ${JSON.stringify(requested.join(' '))} was requested${claims.scp !== undefined ? ' (it carries a non-standard scp instead)' : ''}`, {
      expected: `scope: "${granted.join(' ')}"`,
      actual: claims.scp !== undefined ? { scp: claims.scp } : undefined,
      exchanges,
    });
  }
  const carried = scopesOf(claims.scope);
  if (carried === undefined || carried.length === 0) {
    failCheck('the scope claim of the JWT access token is not a space-separated string of scopes (RFC 8693 4.2)', { expected: 'a string such as "a b"', actual: claims.scope, exchanges });
  }
  if (JSON.stringify(scopeSet(carried)) !== JSON.stringify(scopeSet(granted))) {
    failCheck('the scope claim of the JWT access token differs from the scope granted', { expected: granted.join(' '), actual: claims.scope, exchanges });
  }
  return `scope claim "${String(claims.scope)}" as granted`;
}

function audiencesOf(aud: unknown): string[] | undefined {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud as string[];
  return undefined;
}

/** JAT-09 (RFC 9068 3): without resource, aud MUST hold a default resource indicator (non-empty strings). */
export function judgeDefaultAudience(claims: Claims, exchanges: string[]): string {
  const audiences = audiencesOf(claims.aud);
  if (!audiences || audiences.length === 0 || audiences.some((a) => a.trim() === '')) {
    failCheck('a JWT access token issued without a resource parameter names no default resource in aud', { expected: 'aud: a default resource indicator', actual: claims.aud, exchanges });
  }
  return `default audience ${JSON.stringify(claims.aud)}`;
}

/**
 * JAT-09 (RFC 9068 3): with resource, aud SHOULD equal it. A refusal or another aud is a warning:
 * the profile says the client may ask for that resource.
 */
export function judgeResourceAudience(exchange: Exchange, resource: string): string {
  const body = jsonObject(exchange);
  if (exchange.response?.status !== 200) {
    throw new CheckFailure(`a client credentials request with resource=${resource} was refused (HTTP ${exchange.response?.status ?? 'none'}${typeof body.error === 'string' ? ` ${body.error}` : ''})`, {
      expected: `a token whose aud is ${resource}`,
      actual: body,
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
  const jwt = decodeJwtAccessToken(body.access_token);
  if (!jwt) return `the token issued for resource=${resource} is opaque, so its audience cannot be read`;
  const audiences = audiencesOf(jwt.claims.aud) ?? [];
  if (!(audiences.length === 1 && audiences[0] === resource)) {
    throw new CheckFailure(`the JWT access token issued for resource=${resource} has aud ${JSON.stringify(jwt.claims.aud)}`, { expected: resource, actual: jwt.claims.aud, exchanges: [exchange.id], warnOnly: true });
  }
  return `aud is the requested resource ${resource}`;
}

/** JAT-12 (RFC 9700 2.3): aud restricts the token: no wildcard, and not merely the client itself. */
export function judgeAudienceRestricted(claims: Claims, clientId: string, exchanges: string[]): string {
  const audiences = audiencesOf(claims.aud) ?? [];
  const wildcard = audiences.filter((a) => a === '*' || a.includes('*'));
  if (wildcard.length > 0) {
    failCheck(`aud of the JWT access token is a wildcard (${wildcard.join(', ')}): the token is not restricted to a resource`, { expected: 'specific resource identifiers', actual: claims.aud, exchanges });
  }
  if (audiences.length === 0 || audiences.every((a) => a === clientId)) {
    failCheck('aud of the JWT access token names only the client itself, not the resources it may call', { expected: 'the resource(s) the token is for', actual: claims.aud, exchanges });
  }
  return `aud ${JSON.stringify(claims.aud)}`;
}

/** JAT-13: exp agrees with expires_in: exp - iat within 10 s when iat is given, else the time of the request within `skew`. */
export function judgeAccessTokenExpiry(claims: Claims, exchange: Exchange, skewSeconds = 300): string {
  const body = jsonObject(exchange);
  const expiresIn = body.expires_in;
  if (typeof expiresIn !== 'number') throw new CheckSkip(`the token response gives no numeric expires_in to compare exp with (${exchange.id})`);
  const exchanges = [exchange.id];
  if (typeof claims.exp !== 'number') failCheck('exp of the JWT access token is not a number', { expected: 'seconds since the epoch', actual: claims.exp, exchanges });
  if (typeof claims.iat === 'number') {
    const lifetime = claims.exp - claims.iat;
    if (Math.abs(lifetime - expiresIn) > 10) {
      failCheck(`exp - iat of the JWT access token (${lifetime} s) differs from expires_in (${expiresIn} s)`, { expected: `exp - iat = ${expiresIn} (±10 s)`, actual: { exp: claims.exp, iat: claims.iat, lifetime }, exchanges });
    }
    return `exp - iat = ${lifetime} s, expires_in ${expiresIn} s`;
  }
  const issued = Math.floor(Date.parse(exchange.startedAt) / 1000);
  if (Math.abs(claims.exp - (issued + expiresIn)) > skewSeconds) {
    failCheck('exp of the JWT access token differs from the time of issue plus expires_in', { expected: `about ${issued + expiresIn} (±${skewSeconds} s)`, actual: claims.exp, exchanges });
  }
  return `exp ${claims.exp} agrees with expires_in ${expiresIn} s`;
}

// Judges of refresh exchanges: pure functions of what was recorded (the grant that issued the
// refresh token, the refresh requests and their answers, decoded ID tokens), so each one can be
// proven on a good and a bad sample without a provider. Tokens never go into a message or an
// expected/actual value: the recorded exchanges carry them, redacted.
import { CheckFailure, type PassDetails, failCheck, skipCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectInvalidClient, expectNoStore, expectOAuthError, expectTokenError, expectTokenSuccess, headerOf } from '../../harness/judge/exchange.ts';
import { type Claims, type IdTokenExpectations, decodeIdToken, validateIdToken } from '../../harness/tokens/id-token.ts';
import { decodeJwtAccessToken } from '../../harness/tokens/access-token.ts';

export interface RefreshPolicy {
  rotation: 'always' | 'never';
  reuseRevokesFamily: boolean;
}

/** A refresh request that should have been refused, with what made it wrong ("no credentials"). */
export interface Attempt {
  what: string;
  exchange: Exchange;
}

/** Seconds of clock difference tolerated between the harness and the target. */
export const SKEW = 300;

function body(exchange: Exchange | undefined): Record<string, unknown> | undefined {
  const json = exchange?.response?.json;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

function member(exchange: Exchange | undefined, name: string): string | undefined {
  const value = body(exchange)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The target answered with tokens (whatever the status said). */
export function issuedTokens(exchange: Exchange | undefined): boolean {
  return member(exchange, 'access_token') !== undefined;
}

function succeeded(exchange: Exchange | undefined): boolean {
  return exchange?.response?.status === 200 && issuedTokens(exchange);
}

function requireRefreshed(exchange: Exchange | undefined, what = 'the refresh'): asserts exchange is Exchange {
  if (!succeeded(exchange)) {
    skipCheck(`${what}${exchange ? ` (${exchange.id})` : ''} did not succeed, so there is nothing to judge here (see refresh-token/refresh-works)`);
  }
}

export function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

/**
 * The scope a token response granted: its `scope` member, or when that is left out the scope the
 * request asked for (RFC 6749 5.1: scope is OPTIONAL only when identical to the requested one).
 */
export function grantedScope(exchange: Exchange, requested: string[]): string[] {
  const scope = member(exchange, 'scope');
  return scope === undefined ? requested : splitScope(scope);
}

/**
 * A scope set for comparison. offline_access is left out: it asks for the refresh token itself
 * (OIDC Core 11) and is no access-token scope, so providers differ on echoing it after a refresh.
 */
function comparable(scopes: string[]): string[] {
  return [...new Set(scopes)].filter((s) => s !== 'offline_access').sort();
}

function sameScope(a: string[], b: string[]): boolean {
  return comparable(a).join(' ') === comparable(b).join(' ');
}

// ---- the refresh itself -----------------------------------------------------------------------

/** refresh-works: the grant issued a refresh token under the documented rule, and it refreshes. */
export function judgeRefreshWorks(grant: Exchange, refresh: Exchange | undefined, rule: string): PassDetails {
  if (member(grant, 'refresh_token') === undefined) {
    failCheck(`the grant returned no refresh token although the documented rule (${rule}) issues one`, {
      expected: 'a refresh_token in the token response',
      actual: { status: grant.response?.status, error: body(grant)?.error, members: Object.keys(body(grant) ?? {}) },
      exchanges: [grant.id],
    });
  }
  if (!refresh) throw new Error('the refresh request was not sent');
  expectTokenSuccess(refresh);
  const before = member(grant, 'token_type');
  const after = member(refresh, 'token_type');
  // token_type values are case-insensitive (RFC 6749 5.1, 7.1).
  if (before !== undefined && after?.toLowerCase() !== before.toLowerCase()) {
    failCheck('the refreshed token_type differs from the one the grant issued', { expected: before, actual: after, exchanges: [grant.id, refresh.id] });
  }
  return { exchanges: [grant.id, refresh.id], message: `refreshed (${refresh.id}): token_type ${String(after)}` };
}

function directives(value: string | undefined): string[] {
  return (value ?? '').split(',').map((d) => d.trim().toLowerCase());
}

/** no-store: RFC 6749 5.1 requires Cache-Control: no-store and Pragma: no-cache on token responses. */
export function judgeNoStore(refresh: Exchange): PassDetails {
  requireRefreshed(refresh);
  expectNoStore(refresh);
  const pragma = headerOf(refresh, 'pragma');
  if (!directives(pragma).includes('no-cache')) {
    // RFC 6749 5.1 demands it too, but RFC 9111 deprecates Pragma: only worth a warning.
    throw new CheckFailure('no Pragma: no-cache (RFC 6749 5.1; RFC 9111 deprecates Pragma)', { expected: 'Pragma: no-cache', actual: pragma ?? '(none)', exchanges: [refresh.id], warnOnly: true });
  }
  return { exchanges: [refresh.id] };
}

// ---- scope --------------------------------------------------------------------------------------

/** scope-kept: a refresh without `scope` is treated as asking for the original scope (RFC 6749 6). */
export function judgeScopeKept(grant: Exchange, requestedAtGrant: string[], refresh: Exchange): PassDetails {
  requireRefreshed(refresh);
  const original = grantedScope(grant, requestedAtGrant);
  const refreshed = grantedScope(refresh, original);
  if (!sameScope(original, refreshed)) {
    failCheck('a refresh without scope changed the granted scope', { expected: original.join(' '), actual: refreshed.join(' '), exchanges: [grant.id, refresh.id] });
  }
  return { exchanges: [grant.id, refresh.id], message: `the original scope "${original.join(' ')}" is kept` };
}

/** scope-not-widened: asking for `extra` on top of the original scope must not grant it. */
export function judgeScopeNotWidened(requested: string[], extra: string, exchange: Exchange): PassDetails {
  if (issuedTokens(exchange)) {
    const granted = grantedScope(exchange, requested);
    if (granted.includes(extra)) {
      failCheck(`the refresh widened the scope to include "${extra}"${member(exchange, 'scope') === undefined ? ' (no scope member: the requested scope was granted, RFC 6749 5.1)' : ''}`, {
        expected: 'invalid_scope',
        actual: { status: exchange.response?.status, scope: granted.join(' ') },
        exchanges: [exchange.id],
      });
    }
    throw new CheckFailure(`the wider request was answered with tokens for the original scope instead of invalid_scope`, {
      expected: 'invalid_scope',
      actual: { status: exchange.response?.status, scope: granted.join(' ') },
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
  const error = body(exchange)?.error;
  if (error !== 'invalid_scope') {
    throw new CheckFailure(`the wider scope was refused, but with ${error === undefined ? `HTTP ${exchange.response?.status ?? 'nothing'} and no error code` : String(error)} instead of invalid_scope`, {
      expected: 'invalid_scope',
      actual: { status: exchange.response?.status, error },
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
  return { exchanges: [exchange.id], message: `asking for "${extra}" as well gave invalid_scope` };
}

/** scope-narrowed: a subset of the original scope is granted as asked (RFC 6749 6, 3.3). */
export function judgeScopeNarrowed(requested: string[], exchange: Exchange): PassDetails {
  if (!issuedTokens(exchange)) {
    const error = body(exchange)?.error;
    failCheck(`the refresh with a narrower scope was refused: HTTP ${exchange.response?.status ?? 'nothing'}${error === undefined ? '' : ` ${String(error)}`}`, {
      expected: `tokens for "${requested.join(' ')}"`,
      actual: { status: exchange.response?.status, error },
      exchanges: [exchange.id],
    });
  }
  const granted = grantedScope(exchange, requested);
  if (!sameScope(granted, requested)) {
    failCheck('the narrower scope was not granted as asked', { expected: requested.join(' '), actual: granted.join(' '), exchanges: [exchange.id] });
  }
  return { exchanges: [exchange.id], message: `"${requested.join(' ')}" granted` };
}

/**
 * successor-scope: after a narrowed refresh, the new refresh token keeps the scope of the one
 * presented (RFC 6749 6); `followUp` refreshed it without `scope`.
 */
export function judgeSuccessorScope(original: string[], narrowed: Exchange, followUp: Exchange | undefined): PassDetails {
  requireRefreshed(narrowed, 'the narrowed refresh');
  if (member(narrowed, 'refresh_token') === undefined || !followUp) {
    skipCheck(`the narrowed refresh (${narrowed.id}) issued no new refresh token (RFC 6749 6 binds the scope of new refresh tokens only)`);
  }
  if (!succeeded(followUp)) {
    failCheck('the new refresh token from the narrowed refresh does not refresh', {
      expected: 'HTTP 200 with tokens',
      actual: { status: followUp.response?.status, error: body(followUp)?.error },
      exchanges: [narrowed.id, followUp.id],
    });
  }
  const granted = grantedScope(followUp, original);
  if (!sameScope(granted, original)) {
    failCheck('the new refresh token carries the narrowed scope instead of the scope of the token presented', {
      expected: original.join(' '),
      actual: granted.join(' '),
      exchanges: [narrowed.id, followUp.id],
    });
  }
  return { exchanges: [narrowed.id, followUp.id], message: `the successor refreshes to the original "${original.join(' ')}"` };
}

// ---- rotation and reuse -------------------------------------------------------------------------

function rotationWarnOnly(publicClient: boolean): boolean {
  // RFC 9700 4.14.2: rotation (or sender-constraining) is a MUST for public clients; for a
  // confidential client RFC 6749 6 leaves it optional, so only the documented policy is broken.
  return !publicClient;
}

/** rotation: policy "always" means a new refresh token that differs from the one presented. */
export function judgeRotation(presented: string, refresh: Exchange, policy: RefreshPolicy, publicClient: boolean): PassDetails {
  requireRefreshed(refresh);
  const next = member(refresh, 'refresh_token');
  if (policy.rotation === 'never') {
    const message = next === undefined || next === presented
      ? 'no new refresh token, as the documented policy ("never") says'
      : 'a new refresh token was issued although the documented policy is "never" (recorded: clients must keep the newest one)';
    return { exchanges: [refresh.id], message };
  }
  if (next === undefined || next === presented) {
    throw new CheckFailure(next === undefined ? 'no new refresh token although the documented policy is rotation "always"' : 'the same refresh token came back although the documented policy is rotation "always"', {
      expected: 'a new refresh_token, different from the one presented',
      actual: next === undefined ? 'no refresh_token' : 'the presented refresh token',
      exchanges: [refresh.id],
      warnOnly: rotationWarnOnly(publicClient),
    });
  }
  return { exchanges: [refresh.id], message: 'a new, different refresh token was issued' };
}

/** SKIP unless the policy rotates and `first` did rotate (so there is a retired token to replay). */
export function requireRotated(presented: string, first: Exchange, policy: RefreshPolicy): void {
  if (policy.rotation === 'never') skipCheck('the documented policy is no rotation ("never"), so no refresh token is retired');
  requireRefreshed(first, 'the first refresh');
  const next = member(first, 'refresh_token');
  if (next === undefined || next === presented) skipCheck(`the first refresh (${first.id}) did not rotate the refresh token (see refresh-token/rotation)`);
}

/** reuse-refused: the refresh token retired by `first` is refused when `replay` presents it again. */
export function judgeReuseRefused(presented: string, first: Exchange, replay: Exchange, policy: RefreshPolicy, publicClient: boolean): PassDetails {
  requireRotated(presented, first, policy);
  if (issuedTokens(replay)) {
    throw new CheckFailure('the rotated-out refresh token was accepted again', {
      expected: 'invalid_grant',
      actual: { status: replay.response?.status, issued: Object.keys(body(replay) ?? {}) },
      exchanges: [first.id, replay.id],
      warnOnly: rotationWarnOnly(publicClient),
    });
  }
  expectOAuthError(replay, { status: 400, error: 'invalid_grant' });
  return { exchanges: [first.id, replay.id], message: 'the rotated-out refresh token is refused with invalid_grant' };
}

/**
 * reuse-revokes-family: after the replay of a retired refresh token, its active successor
 * (issued by `first`) is refused too, as `successor` shows.
 */
export function judgeFamilyRevoked(presented: string, first: Exchange, replay: Exchange, successor: Exchange | undefined, policy: RefreshPolicy, publicClient: boolean): PassDetails {
  requireRotated(presented, first, policy);
  if (issuedTokens(replay)) skipCheck(`the replay (${replay.id}) was accepted, so no reuse was detected (see refresh-token/reuse-refused)`);
  if (!successor) skipCheck('the successor was not tried');
  const exchanges = [first.id, replay.id, successor.id];
  const judged = policy.reuseRevokesFamily || publicClient;
  if (issuedTokens(successor)) {
    if (!judged) return { exchanges, message: 'the successor still refreshes after the reuse, as the documented policy (reuse_revokes_family false) says' };
    throw new CheckFailure('the active successor still refreshes after its predecessor was presented again', {
      expected: 'invalid_grant',
      actual: { status: successor.response?.status, issued: Object.keys(body(successor) ?? {}) },
      exchanges,
      warnOnly: rotationWarnOnly(publicClient),
    });
  }
  expectOAuthError(successor, { status: 400, error: 'invalid_grant' });
  return { exchanges, message: `the successor is revoked after the reuse${judged ? '' : ' (more than the documented policy promises)'}` };
}

// ---- refusals -----------------------------------------------------------------------------------

/** client-bound: another client presenting the refresh token gets invalid_grant. */
export function judgeClientBound(exchange: Exchange): PassDetails {
  if (issuedTokens(exchange)) {
    failCheck('another client was issued tokens for this refresh token', { expected: 'invalid_grant', actual: { status: exchange.response?.status }, exchanges: [exchange.id] });
  }
  expectOAuthError(exchange, { status: 400, error: 'invalid_grant' });
  return { exchanges: [exchange.id], message: 'the second client gets invalid_grant' };
}

/** client-auth-required: every attempt without valid client credentials gets invalid_client. */
export function judgeClientAuthRequired(attempts: Attempt[]): PassDetails {
  for (const { what, exchange } of attempts) {
    if (issuedTokens(exchange)) {
      failCheck(`refreshed with ${what}`, { expected: 'invalid_client', actual: { status: exchange.response?.status }, exchanges: [exchange.id] });
    }
    try {
      expectInvalidClient(exchange);
    } catch (error) {
      if (error instanceof CheckFailure) error.message = `${what}: ${error.message}`;
      throw error;
    }
  }
  return { exchanges: attempts.map((a) => a.exchange.id), message: `invalid_client for ${attempts.map((a) => a.what).join(', ')}` };
}

/** invalid-token-refused: made-up or altered refresh tokens get invalid_grant. */
export function judgeInvalidTokenRefused(attempts: Attempt[]): PassDetails {
  for (const { what, exchange } of attempts) {
    if (issuedTokens(exchange)) {
      failCheck(`${what} was accepted`, { expected: 'invalid_grant', actual: { status: exchange.response?.status }, exchanges: [exchange.id] });
    }
    try {
      expectOAuthError(exchange, { status: 400, error: 'invalid_grant' });
    } catch (error) {
      if (error instanceof CheckFailure) error.message = `${what}: ${error.message}`;
      throw error;
    }
  }
  return { exchanges: attempts.map((a) => a.exchange.id), message: `invalid_grant for ${attempts.map((a) => a.what).join(', ')}` };
}

/** error-format: each refused refresh answers in the RFC 6749 5.2 format. */
export function judgeErrorFormat(exchanges: Exchange[]): PassDetails {
  const errors = exchanges.filter((e) => !issuedTokens(e) && e.response !== undefined);
  if (errors.length === 0) skipCheck('no refresh request was refused, so there is no error to judge');
  for (const exchange of errors) {
    const error = body(exchange)?.error;
    // RFC 6749 5.2: 400 unless specified otherwise; invalid_client MAY be 401 (the
    // client-auth-required check holds the MUST of 401 after HTTP Basic).
    expectTokenError(exchange, { status: error === 'invalid_client' ? [400, 401] : 400, error: typeof error === 'string' ? error : '(an error code)' });
  }
  return { exchanges: errors.map((e) => e.id), message: `${errors.length} refresh errors in the RFC 6749 5.2 format` };
}

// ---- the refreshed ID token ---------------------------------------------------------------------

export interface IdTokenPair {
  original: Claims;
  refreshed: Claims;
  grant: Exchange;
  refresh: Exchange;
  exchanges: string[];
}

/** Both ID tokens decoded (not verified); SKIP when the refresh carries none, as OIDC Core 12.2 allows. */
export function idTokenPair(grant: Exchange, refresh: Exchange): IdTokenPair {
  requireRefreshed(refresh);
  const exchanges = [grant.id, refresh.id];
  const refreshedToken = member(refresh, 'id_token');
  if (refreshedToken === undefined) skipCheck(`the refresh response (${refresh.id}) carries no ID token (OIDC Core 12.2 allows that)`);
  const originalToken = member(grant, 'id_token');
  if (originalToken === undefined) skipCheck(`the original grant (${grant.id}) returned no ID token to compare with`);
  return { original: decodeIdToken(originalToken, [grant.id]).claims, refreshed: decodeIdToken(refreshedToken, [refresh.id]).claims, grant, refresh, exchanges };
}

/** id-token-valid: the refreshed ID token passes every ID token rule; at_hash is judged when present. */
export async function judgeRefreshedIdTokenValid(refresh: Exchange, expect: Omit<IdTokenExpectations, 'exchanges' | 'accessToken' | 'nonce' | 'code'>): Promise<PassDetails> {
  requireRefreshed(refresh);
  const token = member(refresh, 'id_token');
  if (token === undefined) skipCheck(`the refresh response (${refresh.id}) carries no ID token (OIDC Core 12.2 allows that)`);
  const { claims } = decodeIdToken(token, [refresh.id]);
  // at_hash is OPTIONAL at the token endpoint (OIDC Core 3.1.3.6): judged only when present.
  const accessToken = claims.at_hash === undefined ? undefined : member(refresh, 'access_token');
  await validateIdToken(token, { ...expect, accessToken, exchanges: [refresh.id] });
  return { exchanges: [refresh.id], evidence: { claims } };
}

function audiences(claims: Claims): string[] {
  return (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String).sort();
}

/** id-token-same-identity: iss, sub, aud and azp as in the original ID token (OIDC Core 12.2). */
export function judgeSameIdentity(pair: IdTokenPair): PassDetails {
  const { original, refreshed, exchanges } = pair;
  for (const claim of ['iss', 'sub', 'azp'] as const) {
    if (refreshed[claim] !== original[claim]) {
      failCheck(`the refreshed ID token's ${claim} differs from the original`, { expected: original[claim] ?? '(absent)', actual: refreshed[claim] ?? '(absent)', exchanges });
    }
  }
  if (audiences(original).join(' ') !== audiences(refreshed).join(' ')) {
    failCheck("the refreshed ID token's aud differs from the original", { expected: original.aud, actual: refreshed.aud, exchanges });
  }
  return { exchanges, evidence: { iss: refreshed.iss, sub: refreshed.sub, aud: refreshed.aud } };
}

/**
 * id-token-new-iat: iat is the time of the new issuance. When at least a second passed between the
 * original response and the refresh request, iat must have moved on; it must not predate the
 * refresh request by more than the clock skew.
 */
export function judgeNewIat(pair: IdTokenPair): PassDetails {
  const { original, refreshed, grant, refresh, exchanges } = pair;
  const iat = refreshed.iat;
  if (typeof iat !== 'number') failCheck('the refreshed ID token has no numeric iat', { expected: 'seconds since the epoch', actual: iat, exchanges });
  const sentAt = Date.parse(refresh.startedAt) / 1000;
  if (iat < sentAt - SKEW) {
    failCheck('the refreshed ID token was issued before the refresh request', { expected: `iat >= ${Math.floor(sentAt)} (minus ${SKEW} s skew)`, actual: iat, exchanges });
  }
  if (typeof original.iat === 'number') {
    const elapsedMs = Date.parse(refresh.startedAt) - (Date.parse(grant.startedAt) + grant.durationMs);
    if (elapsedMs >= 1000 ? iat <= original.iat : iat < original.iat) {
      failCheck('the refreshed ID token keeps the iat of the original one', {
        expected: `iat > ${original.iat} (the refresh was sent ${(elapsedMs / 1000).toFixed(1)} s after the original response)`,
        actual: iat,
        exchanges,
      });
    }
  }
  return { exchanges, evidence: { originalIat: original.iat, iat } };
}

/** id-token-auth-time: auth_time, when present, is the original authentication time. */
export function judgeAuthTime(pair: IdTokenPair): PassDetails {
  const { original, refreshed, exchanges } = pair;
  if (refreshed.auth_time === undefined) return { exchanges, message: 'the refreshed ID token has no auth_time' };
  if (original.auth_time !== undefined) {
    if (refreshed.auth_time !== original.auth_time) {
      failCheck('the refreshed ID token has another auth_time than the original authentication', { expected: original.auth_time, actual: refreshed.auth_time, exchanges });
    }
  } else if (typeof refreshed.auth_time !== 'number' || typeof original.iat !== 'number' || refreshed.auth_time > original.iat) {
    // No original auth_time to compare with: the authentication happened before the original ID token.
    failCheck('the refreshed ID token has an auth_time later than the original ID token', { expected: `<= ${String(original.iat)}`, actual: refreshed.auth_time, exchanges });
  }
  return { exchanges, evidence: { auth_time: refreshed.auth_time } };
}

/** id-token-nonce: no nonce (SHOULD NOT), or if there is one, the original's (MUST). */
export function judgeNonce(pair: IdTokenPair): PassDetails {
  const { original, refreshed, exchanges } = pair;
  if (refreshed.nonce === undefined) return { exchanges, message: 'the refreshed ID token carries no nonce' };
  if (refreshed.nonce !== original.nonce) {
    const message = original.nonce === undefined ? 'the refreshed ID token carries a nonce that the original did not' : 'the refreshed ID token carries another nonce than the original';
    failCheck(message, { expected: original.nonce ?? '(no nonce)', actual: refreshed.nonce, exchanges });
  }
  throw new CheckFailure('the refreshed ID token repeats the original nonce (OIDC Core 12.2: SHOULD NOT)', { expected: '(no nonce)', actual: refreshed.nonce, exchanges, warnOnly: true });
}

// ---- guessing ------------------------------------------------------------------------------------

/** A refresh token the target issued, and the exchange that carried it. */
export interface IssuedToken {
  token: string;
  exchange: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The most randomness an opaque token's characters can hold, in bits: its length times the bits of
 * the smallest usual alphabet it fits (a UUID holds 122). An upper bound, so a token below a limit
 * is below it for certain; a token above may still be predictable, which no sample can show.
 */
export function maxEntropyBits(token: string): number {
  if (UUID.test(token)) return 122;
  // Base64 padding carries no randomness.
  const text = /^[A-Za-z0-9+/]+=+$/.test(token) ? token.replace(/=+$/, '') : token;
  const alphabets: Array<[RegExp, number]> = [
    [/^[0-9]+$/, Math.log2(10)],
    [/^[0-9a-f]+$/, 4],
    [/^[0-9A-F]+$/, 4],
    [/^[A-Za-z0-9]+$/, Math.log2(62)],
    [/^[A-Za-z0-9_-]+$/, 6],
    [/^[A-Za-z0-9+/]+$/, 6],
  ];
  const bits = alphabets.find(([pattern]) => pattern.test(text))?.[1] ?? Math.log2(95);
  return Math.floor(text.length * bits);
}

/** A compact JWS or JWE (a structured token), told by its decodable header. */
export function isJws(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 && parts.length !== 5) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** unguessable: RFC 6749 10.10 — guessing a token has a probability of at most 2^-128 (SHOULD 2^-160). */
export function judgeUnguessable(issued: IssuedToken[]): PassDetails {
  if (issued.length === 0) skipCheck('no refresh token was issued to look at');
  const exchanges = [...new Set(issued.map((i) => i.exchange))];
  const seen = new Map<string, string>();
  for (const { token, exchange } of issued) {
    const earlier = seen.get(token);
    if (earlier !== undefined) failCheck('the same refresh token was issued twice', { expected: 'a new value each time', actual: `the value of ${earlier} again`, exchanges: [earlier, exchange] });
    seen.set(token, exchange);
  }
  const opaque = issued.filter((i) => !isJws(i.token));
  if (opaque.length === 0) return { exchanges, message: `${issued.length} structured (JWT) refresh tokens: their signature, not their length, stops forgery (see refresh-token/invalid-token-refused)` };
  const weakest = opaque.map((i) => ({ ...i, bits: maxEntropyBits(i.token) })).sort((a, b) => a.bits - b.bits)[0]!;
  const details = { expected: 'at least 128 bits (160 recommended)', actual: `at most ${weakest.bits} bits (${weakest.token.length} characters)`, exchanges: [weakest.exchange] };
  if (weakest.bits < 128) failCheck(`a refresh token cannot hold 128 bits of randomness: at most ${weakest.bits} bits`, details);
  if (weakest.bits < 160) throw new CheckFailure(`a refresh token holds at most ${weakest.bits} bits of randomness, below the recommended 160`, { ...details, warnOnly: true });
  return { exchanges, message: `${issued.length} distinct refresh tokens, each able to hold at least ${weakest.bits} bits` };
}

// ---- JWT access tokens across a refresh (RFC 9068 2.2.1) ----------------------------------------

const AUTHENTICATION_CLAIMS = ['auth_time', 'acr', 'amr'] as const;

/**
 * JAT-07: auth_time, acr and amr MAY appear in JWT access tokens; when they do, every access token
 * derived from the same authorization (a refresh included) keeps their values.
 */
export function judgeAccessTokenAuthClaims(grant: Exchange, refresh: Exchange): PassDetails {
  requireRefreshed(refresh);
  const original = decodeJwtAccessToken(member(grant, 'access_token'));
  const refreshed = decodeJwtAccessToken(member(refresh, 'access_token'));
  if (!original || !refreshed) skipCheck(`the access tokens are not JWTs (${grant.id}, ${refresh.id}): RFC 9068 2.2.1 concerns JWT access tokens`);
  const exchanges = [grant.id, refresh.id];
  const present = AUTHENTICATION_CLAIMS.filter((name) => original.claims[name] !== undefined || refreshed.claims[name] !== undefined);
  const changed = present.filter((name) => JSON.stringify(original.claims[name]) !== JSON.stringify(refreshed.claims[name]));
  if (changed.length > 0) {
    failCheck(`the refreshed access token changes ${changed.join(', ')} of the authorization it derives from`, {
      expected: Object.fromEntries(changed.map((name) => [name, original.claims[name]])),
      actual: Object.fromEntries(changed.map((name) => [name, refreshed.claims[name]])),
      exchanges,
    });
  }
  return {
    exchanges,
    message: present.length > 0 ? `${present.join(', ')} kept across the refresh` : 'neither access token carries auth_time, acr or amr (OPTIONAL), so nothing can drift',
  };
}

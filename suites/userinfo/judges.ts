// Judges of UserInfo answers: pure functions of recorded exchanges (and the ID token's sub), so
// each one is proven on a good and a bad sample without a provider.
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectJsonContentType, expectSchema, expectStatus, headerOf, jsonObject } from '../../harness/judge/exchange.ts';
import { SCOPE_CLAIMS } from '../../harness/judge/scope-claims.ts';
import { type Challenge, challengesOf, paramValues, parseChallenges } from '../../harness/judge/www-authenticate.ts';

export type Claims = Record<string, unknown>;

/** HTTP 200 with a JSON object: the token was accepted and the claims came back. */
export function judgeAccepted(exchange: Exchange, how: string): Claims {
  const status = exchange.response?.status;
  if (status !== 200) {
    const challenge = headerOf(exchange, 'www-authenticate');
    failCheck(`${how} was not accepted: HTTP ${status ?? 'no response'}${challenge ? ` (WWW-Authenticate: ${challenge})` : ''}`, {
      expected: 200,
      actual: { status, wwwAuthenticate: challenge },
      exchanges: [exchange.id],
    });
  }
  return jsonObject(exchange);
}

export function judgeJsonResponse(exchange: Exchange): void {
  expectStatus(exchange, 200);
  expectJsonContentType(exchange);
  jsonObject(exchange);
}

/** sub is a non-empty string and, when the ID token's sub is known, the very same string. */
export function judgeSubMatches(exchange: Exchange, idTokenSub: string | undefined, idTokenExchange?: string): void {
  const claims = jsonObject(exchange);
  const exchanges = [exchange.id, ...(idTokenExchange ? [idTokenExchange] : [])];
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    failCheck('the UserInfo response has no sub', { expected: 'a non-empty sub string', actual: claims.sub, exchanges });
  }
  if (idTokenSub !== undefined && claims.sub !== idTokenSub) {
    failCheck('UserInfo sub differs from the ID token sub (an RP must discard this response)', { expected: idTokenSub, actual: claims.sub, exchanges });
  }
}

export function judgeClaimTypes(exchange: Exchange): void {
  expectSchema(exchange, 'userinfo', jsonObject(exchange));
}

/** Top-level claims and members of address that are null or "". */
export function judgeNoNullClaims(exchange: Exchange): void {
  const claims = jsonObject(exchange);
  const empty = (value: unknown) => value === null || value === '';
  const found = Object.entries(claims).filter(([, v]) => empty(v)).map(([k]) => k);
  const address = claims.address;
  if (typeof address === 'object' && address !== null && !Array.isArray(address)) {
    found.push(...Object.entries(address).filter(([, v]) => empty(v)).map(([k]) => `address.${k}`));
  }
  if (found.length > 0) {
    failCheck(`claims without a value are sent instead of left out: ${found.join(', ')}`, { expected: 'no null or "" values', actual: found, exchanges: [exchange.id] });
  }
}

function challengesIn(exchange: Exchange): Challenge[] {
  const header = headerOf(exchange, 'www-authenticate');
  if (header === undefined) return [];
  try {
    return parseChallenges(header);
  } catch (error) {
    failCheck(`WWW-Authenticate does not parse: ${(error as Error).message}`, { expected: 'RFC 7235 challenges', actual: header, exchanges: [exchange.id] });
  }
}

/** The Bearer challenge of a refusal (RFC 6750 3: MUST be present, with at least one auth-param). */
function bearerChallenge(exchange: Exchange): Challenge {
  const header = headerOf(exchange, 'www-authenticate');
  const bearer = challengesOf(challengesIn(exchange), 'Bearer')[0];
  if (!bearer) {
    failCheck('the refusal carries no WWW-Authenticate Bearer challenge', { expected: 'WWW-Authenticate: Bearer realm="..."', actual: header ?? '(none)', exchanges: [exchange.id] });
  }
  if (bearer.params.length === 0) {
    failCheck('the Bearer challenge has no auth-param (RFC 6750 3: one or more)', { expected: 'Bearer realm="..." or another auth-param', actual: header, exchanges: [exchange.id] });
  }
  return bearer;
}

/** RFC 6750 3 and 3.1 for a request that carried no token at all. */
export function judgeNoTokenChallenge(exchange: Exchange): void {
  const status = exchange.response?.status;
  if (status !== undefined && status >= 200 && status < 300) {
    failCheck(`a request without an access token was answered with HTTP ${status}`, { expected: 401, actual: status, exchanges: [exchange.id] });
  }
  expectStatus(exchange, 401, 'status for a request without a token');
  const bearer = bearerChallenge(exchange);
  const errors = paramValues(bearer, 'error');
  if (errors.length > 0) {
    throw new CheckFailure(`the challenge names error="${errors[0]}" although the request carried no token (RFC 6750 3.1: SHOULD NOT)`, {
      expected: 'no error attribute',
      actual: headerOf(exchange, 'www-authenticate'),
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
}

/**
 * A token that must not work: refusing it is the hard rule, and the refusal MUST carry a Bearer
 * challenge (RFC 6750 3); 401 and error="invalid_token" are SHOULDs (RFC 6750 3, 3.1), so missing
 * them is a warning.
 */
export function judgeTokenRefused(exchange: Exchange, what: string): void {
  const status = exchange.response?.status;
  if (status === undefined) failCheck('no response', { exchanges: [exchange.id] });
  if (status < 400) {
    failCheck(`${what} was not refused: HTTP ${status}`, { expected: '401 invalid_token', actual: status, exchanges: [exchange.id], evidence: { body: exchange.response?.body.slice(0, 200) } });
  }
  const bearer = bearerChallenge(exchange);
  const problems: string[] = [];
  if (status !== 401) problems.push(`HTTP ${status} instead of 401`);
  const errors = paramValues(bearer, 'error');
  if (errors[0] !== 'invalid_token') problems.push(errors.length === 0 ? 'no error attribute in the challenge' : `error="${errors[0]}" instead of invalid_token`);
  if (problems.length > 0) {
    throw new CheckFailure(`${what} was refused, but with ${problems.join(' and ')} (RFC 6750 3.1)`, {
      expected: { status: 401, error: 'invalid_token' },
      actual: { status, wwwAuthenticate: headerOf(exchange, 'www-authenticate') },
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
}

// RFC 6750 3: the characters each attribute's value may use.
const SCOPE_VALUE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;
const ERROR_VALUE = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
const ERROR_URI_VALUE = /^[\x21\x23-\x5B\x5D-\x7E]*$/;
const VALUE_RULES: Record<string, RegExp | undefined> = { realm: undefined, scope: SCOPE_VALUE, error: ERROR_VALUE, error_description: ERROR_VALUE, error_uri: ERROR_URI_VALUE };

/** Every Bearer challenge in these refusals: parses, no attribute twice, allowed characters. */
export function judgeChallengesWellFormed(exchanges: Exchange[]): string[] {
  const judged: string[] = [];
  for (const exchange of exchanges) {
    for (const challenge of challengesOf(challengesIn(exchange), 'Bearer')) {
      judged.push(exchange.id);
      for (const [name, rule] of Object.entries(VALUE_RULES)) {
        const values = paramValues(challenge, name);
        if (values.length > 1) {
          failCheck(`the Bearer challenge has "${name}" ${values.length} times (RFC 6750 3: at most once)`, { expected: `${name} at most once`, actual: headerOf(exchange, 'www-authenticate'), exchanges: [exchange.id] });
        }
        if (rule && values[0] !== undefined && !rule.test(values[0])) {
          failCheck(`the Bearer challenge's ${name} uses characters RFC 6750 3 does not allow`, { expected: `${name} matching ${rule.source}`, actual: values[0], exchanges: [exchange.id] });
        }
      }
    }
  }
  if (judged.length === 0) throw new CheckSkip('no refusal carried a Bearer challenge to judge (see userinfo/no-token-challenge)');
  return [...new Set(judged)];
}

/**
 * A token not issued for UserInfo: 403 insufficient_scope (RFC 6750 3.1 SHOULD), or 401 (the
 * policy table accepts either); answering with claims or another status is the breach.
 */
export function judgeInsufficientScope(exchange: Exchange): void {
  const status = exchange.response?.status;
  if (status !== 401 && status !== 403) {
    failCheck(`a token issued without openid was answered with HTTP ${status ?? 'nothing'}`, { expected: '403 insufficient_scope (or 401)', actual: { status, body: exchange.response?.body.slice(0, 200) }, exchanges: [exchange.id] });
  }
  const bearer = bearerChallenge(exchange);
  const error = paramValues(bearer, 'error')[0];
  if (status === 403 && error !== 'insufficient_scope') {
    failCheck(`HTTP 403 with error="${error ?? ''}" instead of insufficient_scope`, { expected: 'error="insufficient_scope"', actual: headerOf(exchange, 'www-authenticate'), exchanges: [exchange.id] });
  }
}

/**
 * The token with one character in its middle replaced by another of the same alphabet, so the
 * result is still well-formed (a JWT keeps its dots and base64url; the last character, which may
 * carry only padding bits, is never the one changed).
 */
export function tamper(token: string): string {
  const chars = [...token];
  for (let offset = 0; offset < chars.length; offset++) {
    const at = Math.floor(chars.length / 2) + offset;
    const c = chars[at];
    if (at >= chars.length - 1 || c === undefined) break;
    if (/[A-Za-z0-9]/.test(c)) {
      chars[at] = c === 'A' ? 'B' : 'A';
      return chars.join('');
    }
  }
  return `${token}x`;
}

/**
 * The default policy refuses a token in the URL query (RFC 6750 2.3 lets servers accept it; RFC 9700
 * 4.3.2 forbids clients to send it); an accepting server should at least mark the answer private.
 */
export function judgeQueryTokenRefused(exchange: Exchange): void {
  const status = exchange.response?.status;
  if (status !== undefined && status >= 400 && status < 500) return;
  const cacheControl = headerOf(exchange, 'cache-control') ?? '';
  const isPrivate = cacheControl.split(',').some((d) => d.trim().toLowerCase() === 'private');
  const accepted = status !== undefined && status >= 200 && status < 300;
  failCheck(
    accepted
      ? `an access token in the URL query was accepted (policy: reject)${isPrivate ? '' : ', and the answer lacks Cache-Control: private (RFC 6750 2.3)'}`
      : `an access token in the URL query was answered with HTTP ${status ?? 'nothing'} rather than a 4xx refusal`,
    { expected: 'a 4xx refusal', actual: { status, cacheControl: cacheControl || '(none)' }, exchanges: [exchange.id] },
  );
}

// ---- signed userinfo responses (UI-10) ------------------------------------------------------------

export interface SignedUserinfoExpectations {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The client's registered userinfo_signed_response_alg. */
  alg: string;
  jwks: { keys: JWK[] };
  /** The JWK Set's exchange, cited with the response. */
  jwksExchange?: string;
}

function mediaTypeOf(exchange: Exchange): string | undefined {
  return headerOf(exchange, 'content-type')?.split(';')[0]?.trim().toLowerCase();
}

async function verifyUserinfoJws(jws: string, header: Record<string, unknown>, expect: SignedUserinfoExpectations, exchanges: string[]): Promise<void> {
  const alg = String(header.alg);
  try {
    if (alg.startsWith('HS')) {
      if (expect.clientSecret === undefined) failCheck('the response is MACed but the client has no secret to verify it with', { expected: 'an asymmetric signature', actual: alg, exchanges });
      await compactVerify(jws, new TextEncoder().encode(expect.clientSecret));
      return;
    }
    const candidates = expect.jwks.keys.filter((k) => (header.kid === undefined || k.kid === header.kid) && (k.use === undefined || k.use === 'sig'));
    if (candidates.length === 0) failCheck('no key of the JWK Set matches the kid of the signed userinfo response', { expected: expect.jwks.keys.map((k) => k.kid), actual: header.kid, exchanges });
    const problems: string[] = [];
    for (const jwk of candidates) {
      try {
        await compactVerify(jws, await importJWK(jwk, alg));
        return;
      } catch (error) {
        problems.push(`${jwk.kid ?? '(no kid)'}: ${(error as Error).message}`);
      }
    }
    failCheck('the signature of the userinfo response does not verify with the JWK Set', { expected: 'a valid signature', actual: problems, exchanges });
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    failCheck(`the signature of the userinfo response does not verify: ${(error as Error).message}`, { expected: 'a valid signature', actual: alg, exchanges });
  }
}

/**
 * UI-10 (OIDC Core 5.3.2): a client registered for signed responses gets Content-Type
 * application/jwt, a JWS in the registered alg that verifies, whose claims hold iss (the issuer),
 * aud (the client_id, alone or among others) and sub.
 */
export async function judgeSignedUserinfo(exchange: Exchange, expect: SignedUserinfoExpectations): Promise<Claims> {
  const exchanges = [exchange.id, ...(expect.jwksExchange ? [expect.jwksExchange] : [])];
  expectStatus(exchange, 200, 'userinfo for a client registered for signed responses');
  if (mediaTypeOf(exchange) !== 'application/jwt') {
    failCheck('the signed userinfo response is not served as application/jwt', { expected: 'Content-Type: application/jwt', actual: headerOf(exchange, 'content-type') ?? '(none)', exchanges });
  }
  const jws = (exchange.response?.body ?? '').trim();
  let header: Record<string, unknown>;
  let claims: Claims;
  try {
    header = decodeProtectedHeader(jws) as Record<string, unknown>;
    claims = decodeJwt(jws) as Claims;
  } catch {
    failCheck('the userinfo response is not a compact JWS', { expected: 'header.payload.signature', actual: jws.slice(0, 80), exchanges });
  }
  if (jws.split('.').length !== 3) failCheck('the userinfo response is not a compact JWS (encrypted, or malformed)', { expected: 'a JWS', actual: `${jws.split('.').length} parts`, exchanges });
  if (header.alg !== expect.alg) failCheck(`the userinfo response is signed with ${String(header.alg)}, not the registered ${expect.alg}`, { expected: expect.alg, actual: header.alg, exchanges });
  await verifyUserinfoJws(jws, header, expect, exchanges);
  if (claims.iss !== expect.issuer) failCheck('iss of the signed userinfo response is not the issuer', { expected: expect.issuer, actual: claims.iss, exchanges });
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expect.clientId)) failCheck('aud of the signed userinfo response does not include the client_id', { expected: expect.clientId, actual: claims.aud, exchanges });
  if (typeof claims.sub !== 'string' || claims.sub === '') failCheck('the signed userinfo response has no sub', { expected: 'a sub string', actual: claims.sub, exchanges });
  return claims;
}

// ---- claims of the granted scopes (UI-15) ---------------------------------------------------------

/**
 * UI-15 (OIDC Core 5.4): with an access token issued, the claims of the granted scopes come from
 * userinfo. Expected: those of the user's claims (from the profile) that a granted scope asks for;
 * without the profile's list, at least one claim of a granted scope.
 */
export function judgeScopeClaims(exchange: Exchange, granted: string[], userClaims: string[] | undefined, cited: string[]): string {
  const claims = jsonObject(exchange);
  const exchanges = [...cited, exchange.id];
  const asked = granted.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []);
  if (asked.length === 0) throw new CheckSkip(`no profile, email, address or phone scope was granted (${granted.join(' ')})`);
  if (userClaims === undefined) {
    const returned = asked.filter((name) => claims[name] !== undefined);
    if (returned.length === 0) throw new CheckSkip(`userinfo returned no claim of the granted scopes (${granted.join(' ')}), and the profile does not list the user's claims (users[].claims) to tell whether it should`);
    return `userinfo returns ${returned.join(', ')} for the granted scopes (the profile lists no user claims to expect more)`;
  }
  const expected = asked.filter((name) => userClaims.includes(name));
  if (expected.length === 0) throw new CheckSkip(`the profile lists none of the claims the granted scopes ask for (${asked.join(', ')})`);
  const missing = expected.filter((name) => claims[name] === undefined);
  if (missing.length > 0) {
    failCheck(`userinfo leaves out claims of the granted scopes that the user has: ${missing.join(', ')}`, { expected, actual: Object.keys(claims), exchanges });
  }
  return `userinfo returns every claim of the granted scopes the user has: ${expected.join(', ')}`;
}

// ---- error codes and statuses (ERR-15) ------------------------------------------------------------

/** RFC 6750 3.1: the status each error code goes with. */
export const ERROR_STATUS: Record<string, number> = { invalid_request: 400, invalid_token: 401, insufficient_scope: 403 };

export interface ErrorProbe {
  what: string;
  exchange: Exchange;
  /** The error codes this provocation may get (their status follows from the code). */
  codes: string[];
}

/** ERR-15: each provocation is refused with a Bearer challenge naming an expected error, and the status that error goes with. */
export function judgeErrorStatusCodes(probes: ErrorProbe[]): string {
  const exchanges = probes.map((p) => p.exchange.id);
  const problems: string[] = [];
  const seen: string[] = [];
  for (const { what, exchange, codes } of probes) {
    const status = exchange.response?.status;
    const bearer = challengesOf(challengesIn(exchange), 'Bearer')[0];
    const error = bearer ? paramValues(bearer, 'error')[0] : undefined;
    if (!bearer || error === undefined) {
      problems.push(`${what} (${exchange.id}): HTTP ${status ?? 'none'} without a Bearer challenge naming an error`);
      continue;
    }
    if (!codes.includes(error)) problems.push(`${what} (${exchange.id}): error="${error}" instead of ${codes.join(' or ')}`);
    const wanted = ERROR_STATUS[error];
    if (wanted !== undefined && status !== wanted) problems.push(`${what} (${exchange.id}): error="${error}" with HTTP ${status ?? 'none'} instead of ${wanted}`);
    seen.push(`${error} ${status ?? 'none'}`);
  }
  if (problems.length > 0) {
    failCheck(`userinfo errors do not pair code and status as RFC 6750 3.1 says: ${problems.join('; ')}`, {
      expected: ERROR_STATUS,
      actual: probes.map((p) => ({ what: p.what, status: p.exchange.response?.status, wwwAuthenticate: headerOf(p.exchange, 'www-authenticate') })),
      exchanges,
    });
  }
  return `error codes and statuses pair as RFC 6750 3.1 says: ${seen.join(', ')}`;
}

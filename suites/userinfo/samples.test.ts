// Each userinfo judge on a good sample and a bad one.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { judgeCors, judgeHttpsUrl } from '../discovery/judges.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const CLAIMS = {
  sub: 'user-alice-0001',
  name: 'Alice Liddell',
  email: 'alice@example.com',
  email_verified: true,
  updated_at: 1700000000,
  address: { country: 'GB' },
};
const NO_TOKEN = { 'www-authenticate': 'Bearer realm="https://op.example.com"' };
const INVALID_TOKEN = { 'www-authenticate': 'Bearer realm="https://op.example.com", error="invalid_token", error_description="the token expired"' };

function exchange(status: number, body: unknown, headers: Record<string, string> = JSON_TYPE, id = '#1'): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    id,
    request: { method: 'GET', url: 'https://op.example.com/userinfo', headers: {} },
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

const ok = (body: unknown = CLAIMS, headers: Record<string, string> = JSON_TYPE) => exchange(200, body, headers);
const refusal = (status: number, challenge: Record<string, string> | undefined, id = '#1') =>
  exchange(status, { error: 'invalid_token' }, { ...JSON_TYPE, ...challenge }, id);

describe('userinfo samples', () => {
  passesOn(check.getBearerHeader, '200 with claims', () => judge.judgeAccepted(ok(), 'GET'));
  proves(check.getBearerHeader, 'a 401 for a valid token', () => judge.judgeAccepted(refusal(401, INVALID_TOKEN), 'GET'), /was not accepted: HTTP 401/);
  passesOn(check.postBearerHeader, '200 with claims', () => judge.judgeAccepted(ok(), 'POST'));
  proves(check.postBearerHeader, 'a 405 for POST', () => judge.judgeAccepted(exchange(405, { error: 'invalid_request' }), 'POST'));
  passesOn(check.postFormToken, '200 with claims', () => judge.judgeAccepted(ok(), 'POST form'));
  proves(check.postFormToken, 'a 401 for a token in the form body', () => judge.judgeAccepted(refusal(401, NO_TOKEN), 'POST form'));

  passesOn(check.jsonResponse, 'application/json', () => judge.judgeJsonResponse(ok()));
  proves(check.jsonResponse, 'text/plain', () => judge.judgeJsonResponse(ok(JSON.stringify(CLAIMS), { 'content-type': 'text/plain' })));

  passesOn(check.subMatchesIdToken, 'the same sub', () => judge.judgeSubMatches(ok(), CLAIMS.sub, '#0'));
  proves(check.subMatchesIdToken, 'another sub', () => judge.judgeSubMatches(ok(), 'user-bob-0002', '#0'), /differs from the ID token/);
  proves(check.subMatchesIdToken, 'no sub', () => judge.judgeSubMatches(ok({ name: 'Alice' }), undefined), /no sub/);

  passesOn(check.claimTypes, 'standard types', () => judge.judgeClaimTypes(ok()));
  proves(check.claimTypes, 'email_verified as a string', () => judge.judgeClaimTypes(ok({ ...CLAIMS, email_verified: 'true' })), /email_verified/);
  proves(check.claimTypes, 'a 300-character sub', () => judge.judgeClaimTypes(ok({ ...CLAIMS, sub: 'x'.repeat(300) })), /sub/);

  passesOn(check.noNullClaims, 'no empty values', () => judge.judgeNoNullClaims(ok()));
  proves(check.noNullClaims, 'a null picture', () => judge.judgeNoNullClaims(ok({ ...CLAIMS, picture: null })), /picture/);
  proves(check.noNullClaims, 'an empty address member', () => judge.judgeNoNullClaims(ok({ ...CLAIMS, address: { region: '' } })), /address\.region/);

  passesOn(check.noTokenChallenge, '401 Bearer realm', () => judge.judgeNoTokenChallenge(refusal(401, NO_TOKEN)));
  proves(check.noTokenChallenge, 'a 200 without a token', () => judge.judgeNoTokenChallenge(ok()), /answered with HTTP 200/);
  proves(check.noTokenChallenge, 'a 401 without WWW-Authenticate', () => judge.judgeNoTokenChallenge(refusal(401, undefined)), /no WWW-Authenticate Bearer/);
  proves(check.noTokenChallenge, 'a bare "Bearer" challenge', () => judge.judgeNoTokenChallenge(refusal(401, { 'www-authenticate': 'Bearer' })), /no auth-param/);
  proves(check.noTokenChallenge, 'an error code without a token (warning)', () => judge.judgeNoTokenChallenge(refusal(401, INVALID_TOKEN)), /SHOULD NOT/);

  passesOn(check.invalidTokenRefused, '401 invalid_token', () => judge.judgeTokenRefused(refusal(401, INVALID_TOKEN), 'a garbage token'));
  proves(check.invalidTokenRefused, 'a garbage token accepted', () => judge.judgeTokenRefused(ok(), 'a garbage token'), /not refused: HTTP 200/);
  proves(check.invalidTokenRefused, 'a refusal without a challenge', () => judge.judgeTokenRefused(exchange(401, { error: 'invalid_token' }), 'a garbage token'), /no WWW-Authenticate Bearer/);
  proves(check.invalidTokenRefused, 'a 400 without an error code (warning)', () => judge.judgeTokenRefused(refusal(400, NO_TOKEN), 'a garbage token'), /HTTP 400 instead of 401 and no error attribute/);
  passesOn(check.tamperedTokenRefused, '401 invalid_token', () => judge.judgeTokenRefused(refusal(401, INVALID_TOKEN), 'a tampered token'));
  proves(check.tamperedTokenRefused, 'a tampered token accepted', () => judge.judgeTokenRefused(ok(), 'a tampered token'));
  passesOn(check.revokedTokenRefused, '401 invalid_token', () => judge.judgeTokenRefused(refusal(401, INVALID_TOKEN), 'a revoked token'));
  proves(check.revokedTokenRefused, 'a revoked token accepted', () => judge.judgeTokenRefused(ok(), 'a revoked token'));
  passesOn(check.idTokenRefused, '401 invalid_token', () => judge.judgeTokenRefused(refusal(401, INVALID_TOKEN), 'the ID token'));
  proves(check.idTokenRefused, 'the ID token accepted', () => judge.judgeTokenRefused(ok(), 'the ID token'));

  passesOn(check.challengeWellFormed, 'two clean challenges', () => judge.judgeChallengesWellFormed([refusal(401, NO_TOKEN), refusal(401, INVALID_TOKEN, '#2')]));
  proves(check.challengeWellFormed, 'error given twice', () =>
    judge.judgeChallengesWellFormed([refusal(401, { 'www-authenticate': 'Bearer realm="op", error="invalid_token", error="invalid_request"' })]), /"error" 2 times/);
  proves(check.challengeWellFormed, 'a quote inside error_description', () =>
    judge.judgeChallengesWellFormed([refusal(401, { 'www-authenticate': 'Bearer error="invalid_token", error_description="bad \\"token\\""' })]), /error_description/);
  proves(check.challengeWellFormed, 'an unterminated quoted-string', () =>
    judge.judgeChallengesWellFormed([refusal(401, { 'www-authenticate': 'Bearer realm="op' })]), /does not parse/);

  passesOn(check.cors, 'ACAO *', () => judgeCors(ok(CLAIMS, { ...JSON_TYPE, 'access-control-allow-origin': '*' }), 'https://rp.example.org'));
  proves(check.cors, 'no ACAO', () => judgeCors(ok(), 'https://rp.example.org'));

  passesOn(check.insufficientScope, '403 insufficient_scope', () =>
    judge.judgeInsufficientScope(refusal(403, { 'www-authenticate': 'Bearer realm="op", error="insufficient_scope", scope="openid"' })));
  passesOn(check.insufficientScope, '401 invalid_token (policy)', () => judge.judgeInsufficientScope(refusal(401, INVALID_TOKEN)));
  proves(check.insufficientScope, 'a 200 for a client credentials token', () => judge.judgeInsufficientScope(ok({ sub: 'machine' })), /answered with HTTP 200/);
  proves(check.insufficientScope, 'a 403 with another error', () =>
    judge.judgeInsufficientScope(refusal(403, { 'www-authenticate': 'Bearer error="invalid_token"' })), /instead of insufficient_scope/);

  passesOn(check.tls, 'an https endpoint', () => judgeHttpsUrl('userinfo_endpoint', 'https://op.example.com/userinfo', ['#1'], true));
  proves(check.tls, 'plain http on a public host', () => judgeHttpsUrl('userinfo_endpoint', 'http://op.example.com/userinfo', ['#1'], true), /not https/);

  passesOn(check.queryTokenRefused, 'a 400 invalid_request', () => judge.judgeQueryTokenRefused(refusal(400, { 'www-authenticate': 'Bearer error="invalid_request"' })));
  proves(check.queryTokenRefused, 'a query token accepted without Cache-Control: private', () => judge.judgeQueryTokenRefused(ok()), /Cache-Control: private/);
  proves(check.queryTokenRefused, 'a query token accepted, privately', () => judge.judgeQueryTokenRefused(ok(CLAIMS, { ...JSON_TYPE, 'cache-control': 'private' })), /policy: reject\)$/);
});

describe('tamper', () => {
  it('changes exactly one character and keeps the token well-formed', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const changed = judge.tamper(jwt);
    expect(changed).not.toBe(jwt);
    expect(changed).toHaveLength(jwt.length);
    expect([...jwt].filter((c, i) => changed[i] !== c)).toHaveLength(1);
    expect(changed.split('.')).toHaveLength(3);
  });

  it('never relies on the last character', () => {
    expect(judge.tamper('ab')).not.toBe('ab');
    expect(judge.tamper('a.')).toBe('a.x');
  });
});

// ---- signed responses, scope claims, error statuses --------------------------------------------

const ISSUER = 'https://op.example.com';
const SIGNER = await generateKeyPair('RS256');
const SIGNER_JWK = { ...(await exportJWK(SIGNER.publicKey)), kid: 'u1', use: 'sig', alg: 'RS256' };
const SIGNED_EXPECT: judge.SignedUserinfoExpectations = { issuer: ISSUER, clientId: 'web-es256', alg: 'RS256', jwks: { keys: [SIGNER_JWK] } };
const jwtType = { 'content-type': 'application/jwt; charset=utf-8' };
const signed = async (claims: Record<string, unknown>, key: CryptoKey = SIGNER.privateKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'u1' }).sign(key);
const SIGNED_CLAIMS = { ...CLAIMS, iss: ISSUER, aud: 'web-es256' };

describe('userinfo samples: signed responses, scope claims, error statuses', () => {
  passesOn(check.signedResponse, 'an RS256 JWS with iss and aud', async () => judge.judgeSignedUserinfo(exchange(200, await signed(SIGNED_CLAIMS), jwtType), SIGNED_EXPECT));
  proves(check.signedResponse, 'a JWS without iss and aud', async () => judge.judgeSignedUserinfo(exchange(200, await signed(CLAIMS), jwtType), SIGNED_EXPECT), /iss of the signed userinfo response/);
  proves(check.signedResponse, 'aud another client', async () => judge.judgeSignedUserinfo(exchange(200, await signed({ ...SIGNED_CLAIMS, aud: 'other' }), jwtType), SIGNED_EXPECT), /aud/);
  proves(check.signedResponse, 'the JWS served as application/json', async () => judge.judgeSignedUserinfo(exchange(200, await signed(SIGNED_CLAIMS), { 'content-type': 'application/json' }), SIGNED_EXPECT), /application\/jwt/);
  proves(check.signedResponse, 'plain JSON claims', () => judge.judgeSignedUserinfo(ok(), SIGNED_EXPECT));
  proves(check.signedResponse, 'a signature by another key', async () => {
    const other = await generateKeyPair('RS256');
    return judge.judgeSignedUserinfo(exchange(200, await signed(SIGNED_CLAIMS, other.privateKey), jwtType), SIGNED_EXPECT);
  }, /does not verify/);

  const ALL = ['openid', 'profile', 'email'];
  passesOn(check.scopeClaims, 'name and email for profile and email', () => judge.judgeScopeClaims(ok(), ALL, ['name', 'email', 'email_verified'], ['#0']));
  passesOn(check.scopeClaims, 'no profile list, some scope claims returned', () => judge.judgeScopeClaims(ok(), ALL, undefined, ['#0']));
  proves(check.scopeClaims, 'only sub for openid email though the user has an email', () => judge.judgeScopeClaims(ok({ sub: CLAIMS.sub }), ['openid', 'email'], ['email', 'email_verified'], ['#0']), /leaves out .*email, email_verified/);
  proves(check.scopeClaims, 'the phone number missing', () => judge.judgeScopeClaims(ok(), ['openid', 'phone'], ['phone_number'], ['#0']), /phone_number/);

  const challenge = (error: string) => ({ ...JSON_TYPE, 'www-authenticate': `Bearer realm="op", error="${error}"` });
  const twoWays = (status: number, error: string) => ({ what: 'a token sent two ways', exchange: exchange(status, { error }, challenge(error), '#a'), codes: ['invalid_request'] });
  const invalid = (status: number, error = 'invalid_token') => ({ what: 'a token never issued', exchange: exchange(status, { error }, challenge(error), '#b'), codes: ['invalid_token'] });
  const scope = (status: number, error: string) => ({ what: 'a token without openid', exchange: exchange(status, { error }, challenge(error), '#c'), codes: ['insufficient_scope', 'invalid_token'] });
  passesOn(check.errorStatusCodes, '400, 401 and 403 with their codes', () => judge.judgeErrorStatusCodes([twoWays(400, 'invalid_request'), invalid(401), scope(403, 'insufficient_scope')]));
  passesOn(check.errorStatusCodes, 'a token without openid refused as invalid_token 401', () => judge.judgeErrorStatusCodes([twoWays(400, 'invalid_request'), invalid(401), scope(401, 'invalid_token')]));
  proves(check.errorStatusCodes, 'insufficient_scope with 401', () => judge.judgeErrorStatusCodes([twoWays(400, 'invalid_request'), invalid(401), scope(401, 'insufficient_scope')]), /insufficient_scope" with HTTP 401 instead of 403/);
  proves(check.errorStatusCodes, 'a token sent two ways answered 401 invalid_token', () => judge.judgeErrorStatusCodes([twoWays(401, 'invalid_token'), invalid(401)]), /instead of invalid_request/);
  proves(check.errorStatusCodes, 'an invalid token answered 400 without a challenge', () => judge.judgeErrorStatusCodes([{ what: 'a token never issued', exchange: exchange(400, { error: 'invalid_token' }), codes: ['invalid_token'] }]), /without a Bearer challenge/);
});

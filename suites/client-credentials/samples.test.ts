// Each client credentials check, proven on a bad sample (and passing on a good one).
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com/oidc';
const CLIENT = 'machine';
const ex = ['#1'];
const NO_STORE = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' };
const GOOD = { access_token: 'opaque-access-token-value', token_type: 'Bearer', expires_in: 3600, scope: 'reports:read reports:write' };

function exchange(status: number, body: unknown, headers: Record<string, string> = NO_STORE, basic = false): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const request: Exchange['request'] = { method: 'POST', url: `${ISSUER}/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' };
  if (basic) request.basicAuthUsername = CLIENT;
  return {
    id: '#1',
    request,
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

const error = (code: string, status = 400, headers: Record<string, string> = NO_STORE, basic = false) => exchange(status, { error: code, error_description: 'sample' }, headers, basic);
const BASIC_CHALLENGE = { ...NO_STORE, 'www-authenticate': 'Basic realm="op", charset="UTF-8"' };

// A signing key and a JWK Set for the JWT access token samples.
const { privateKey, publicKey } = await generateKeyPair('RS256');
const PUBLIC_JWK: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' };
const JWKS = { keys: [PUBLIC_JWK] };
const now = Math.floor(Date.now() / 1000);
const CLAIMS = { iss: ISSUER, sub: CLIENT, aud: ISSUER, client_id: CLIENT, scope: 'reports:read', jti: 'jti-1', iat: now, exp: now + 3600 };

async function accessToken(claims: Record<string, unknown> = CLAIMS, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1', typ: 'at+jwt' }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(privateKey);
}
const expectations = { issuer: ISSUER, clientId: CLIENT, jwks: JWKS, exchanges: ex };
const GOOD_JWT = await accessToken();

describe('client credentials samples', () => {
  passesOn(check.tokenResponse, 'a 200 JSON token response', () => judge.judgeTokenResponse(exchange(200, GOOD)));
  proves(check.tokenResponse, 'an invalid_client answer', () => judge.judgeTokenResponse(error('invalid_client', 401)), /not granted/);
  proves(check.tokenResponse, 'expires_in as a string', () => judge.judgeTokenResponse(exchange(200, { ...GOOD, expires_in: '3600' })), /expires_in/);
  proves(check.tokenResponse, 'no token_type', () => {
    const { token_type: _, ...bad } = GOOD;
    judge.judgeTokenResponse(exchange(200, bad));
  }, /token_type/);

  passesOn(check.bearerTokenType, 'token_type bearer in lower case', () => judge.judgeBearer(exchange(200, { ...GOOD, token_type: 'bearer' })));
  proves(check.bearerTokenType, 'token_type mac', () => judge.judgeBearer(exchange(200, { ...GOOD, token_type: 'mac' })));

  passesOn(check.expiresIn, 'expires_in 3600', () => judge.judgeExpiresIn(exchange(200, GOOD)));
  proves(check.expiresIn, 'expires_in "3600"', () => judge.judgeExpiresIn(exchange(200, { ...GOOD, expires_in: '3600' })), /not a JSON number/);
  proves(check.expiresIn, 'expires_in 0', () => judge.judgeExpiresIn(exchange(200, { ...GOOD, expires_in: 0 })));
  proves(check.expiresIn, 'no expires_in (a warning)', () => {
    const { expires_in: _, ...bad } = GOOD;
    judge.judgeExpiresIn(exchange(200, bad));
  }, /RECOMMENDED/);

  passesOn(check.noStore, 'no-store and no-cache', () => judge.judgeNoStore(exchange(200, GOOD)));
  proves(check.noStore, 'Cache-Control: max-age=60', () => judge.judgeNoStore(exchange(200, GOOD, { 'content-type': 'application/json', 'cache-control': 'max-age=60' })), /no-store/);
  proves(check.noStore, 'no Pragma (a warning)', () => judge.judgeNoStore(exchange(200, GOOD, { 'content-type': 'application/json', 'cache-control': 'no-cache, no-store' })), /Pragma/);

  passesOn(check.jwtAccessToken, 'an RFC 9068 token', () => judge.judgeJwtAccessToken(GOOD_JWT, expectations));
  proves(check.jwtAccessToken, 'alg none', () => {
    const [, payload] = GOOD_JWT.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    return judge.judgeJwtAccessToken(`${header}.${payload}.`, expectations);
  }, /alg none/);
  proves(check.jwtAccessToken, 'a signature that does not verify', () => judge.judgeJwtAccessToken(`${GOOD_JWT.slice(0, -4)}AAAA`, expectations), /does not verify/);
  proves(check.jwtAccessToken, 'an unpublished kid', async () => judge.judgeJwtAccessToken(await accessToken(CLAIMS, { alg: 'RS256', kid: 'k2', typ: 'at+jwt' }), expectations), /kid/);
  proves(check.jwtAccessToken, 'another issuer', async () => judge.judgeJwtAccessToken(await accessToken({ ...CLAIMS, iss: 'https://other.example.com' }), expectations), /iss/);
  proves(check.jwtAccessToken, 'an expired token', async () => judge.judgeJwtAccessToken(await accessToken({ ...CLAIMS, exp: now - 3600 }), expectations), /expired/);
  proves(check.jwtAccessToken, 'another client_id', async () => judge.judgeJwtAccessToken(await accessToken({ ...CLAIMS, client_id: 'someone-else' }), expectations), /client_id/);
  proves(check.jwtAccessToken, 'no jti', async () => {
    const { jti: _, ...claims } = CLAIMS;
    return judge.judgeJwtAccessToken(await accessToken(claims), expectations);
  }, /jti/);
  proves(check.jwtAccessToken, 'an HS256 token (a warning: unverifiable)', async () => {
    const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'));
    return judge.judgeJwtAccessToken(token, expectations);
  }, /MACed/);

  passesOn(check.jwtAccessTokenSub, 'sub = client_id', () => judge.judgeAccessTokenSub(CLAIMS, CLIENT, ex));
  proves(check.jwtAccessTokenSub, 'a user sub', () => judge.judgeAccessTokenSub({ ...CLAIMS, sub: 'user-alice-0001' }, CLIENT, ex));

  passesOn(check.jwtAccessTokenTyp, 'typ application/at+jwt', () => judge.judgeAccessTokenTyp({ alg: 'RS256', typ: 'application/at+jwt' }, ex));
  proves(check.jwtAccessTokenTyp, 'typ JWT', () => judge.judgeAccessTokenTyp({ alg: 'RS256', typ: 'JWT' }, ex));

  passesOn(check.heldScopeGranted, 'the held scopes granted', () => judge.judgeHeldScopeGranted(exchange(200, GOOD), ['reports:read', 'reports:write']));
  passesOn(check.heldScopeGranted, 'no scope member (as requested)', () => {
    const { scope: _, ...body } = GOOD;
    judge.judgeHeldScopeGranted(exchange(200, body), ['reports:read']);
  });
  proves(check.heldScopeGranted, 'invalid_scope for a held scope', () => judge.judgeHeldScopeGranted(error('invalid_scope'), ['reports:read']), /not granted/);
  proves(check.heldScopeGranted, 'a narrowed grant (a warning)', () => judge.judgeHeldScopeGranted(exchange(200, { ...GOOD, scope: 'reports:read' }), ['reports:read', 'reports:write']), /leaves out/);

  passesOn(check.unheldScopeRefused, 'invalid_scope', () => judge.judgeUnheldScopeRefused(error('invalid_scope'), 'admin'));
  passesOn(check.unheldScopeRefused, 'a narrowed grant that says so', () => judge.judgeUnheldScopeRefused(exchange(200, GOOD), 'admin'));
  proves(check.unheldScopeRefused, 'the unheld scope granted', () => judge.judgeUnheldScopeRefused(exchange(200, { ...GOOD, scope: 'reports:read admin' }), 'admin'), /does not hold/);
  proves(check.unheldScopeRefused, 'a grant without a scope member', () => {
    const { scope: _, ...body } = GOOD;
    judge.judgeUnheldScopeRefused(exchange(200, body), 'admin');
  }, /no scope member/);
  proves(check.unheldScopeRefused, 'the unheld scope in the JWT access token', async () => {
    const token = await accessToken({ ...CLAIMS, scope: 'reports:read admin' });
    judge.judgeUnheldScopeRefused(exchange(200, { ...GOOD, access_token: token, scope: 'reports:read' }), 'admin');
  }, /JWT access token/);
  proves(check.unheldScopeRefused, 'invalid_request instead of invalid_scope', () => judge.judgeUnheldScopeRefused(error('invalid_request'), 'admin'), /invalid_scope/);

  passesOn(check.wrongSecretRefused, 'invalid_client 400 after client_secret_post', () => judge.judgeInvalidClient(error('invalid_client', 400)));
  passesOn(check.wrongSecretRefused, 'invalid_client 401 with a challenge after Basic', () => judge.judgeInvalidClient(error('invalid_client', 401, BASIC_CHALLENGE, true)));
  proves(check.wrongSecretRefused, 'a token for a wrong secret', () => judge.judgeInvalidClient(exchange(200, GOOD)), /invalid_client/);
  proves(check.wrongSecretRefused, 'invalid_grant', () => judge.judgeInvalidClient(error('invalid_grant')), /invalid_client/);
  proves(check.wrongSecretRefused, 'an HTML error page', () => judge.judgeInvalidClient(exchange(401, '<html>denied</html>', { 'content-type': 'text/html' })));

  passesOn(check.basicFailure401, '401 with WWW-Authenticate: Basic', () => judge.judgeInvalidClient(error('invalid_client', 401, BASIC_CHALLENGE, true)));
  proves(check.basicFailure401, '400 after Basic', () => judge.judgeInvalidClient(error('invalid_client', 400, NO_STORE, true)), /expected HTTP 401/);
  proves(check.basicFailure401, '401 without a challenge', () => judge.judgeInvalidClient(error('invalid_client', 401, NO_STORE, true)), /WWW-Authenticate/);
  proves(check.basicFailure401, 'a Bearer challenge', () => judge.judgeInvalidClient(error('invalid_client', 401, { ...NO_STORE, 'www-authenticate': 'Bearer realm="op"' }, true)), /WWW-Authenticate/);

  passesOn(check.unknownClientRefused, 'invalid_client 401', () => judge.judgeInvalidClient(error('invalid_client', 401)));
  proves(check.unknownClientRefused, 'unauthorized_client', () => judge.judgeInvalidClient(error('unauthorized_client')), /invalid_client/);
  proves(check.unknownClientRefused, 'a quote in error_description', () => judge.judgeInvalidClient(exchange(401, { error: 'invalid_client', error_description: 'client "x" unknown' })), /error_description/);

  passesOn(check.missingCredentialsRefused, 'invalid_client 400', () => judge.judgeInvalidClient(error('invalid_client', 400)));
  proves(check.missingCredentialsRefused, 'a token without client authentication', () => judge.judgeInvalidClient(exchange(200, GOOD)));
  proves(check.missingCredentialsRefused, 'invalid_request', () => judge.judgeInvalidClient(error('invalid_request')), /invalid_client/);

  passesOn(check.publicClientRefused, 'unauthorized_client', () => judge.judgePublicClientRefused(error('unauthorized_client')));
  passesOn(check.publicClientRefused, 'invalid_client 401', () => judge.judgePublicClientRefused(error('invalid_client', 401)));
  proves(check.publicClientRefused, 'a token for a public client', () => judge.judgePublicClientRefused(exchange(200, GOOD)));
  proves(check.publicClientRefused, 'invalid_grant', () => judge.judgePublicClientRefused(error('invalid_grant')));

  passesOn(check.noRefreshToken, 'no refresh_token', () => judge.judgeNoRefreshToken(exchange(200, GOOD)));
  proves(check.noRefreshToken, 'a refresh_token', () => judge.judgeNoRefreshToken(exchange(200, { ...GOOD, refresh_token: 'rt' })));

  passesOn(check.noIdToken, 'no id_token', () => judge.judgeNoIdToken(exchange(200, GOOD)));
  proves(check.noIdToken, 'an id_token', () => judge.judgeNoIdToken(exchange(200, { ...GOOD, id_token: 'a.b.c' })));
});

describe('client credentials samples: RFC 9068 scope, audience, expiry', () => {
  const requested = ['reports:read', 'reports:write'];
  passesOn(check.jwtAccessTokenScope, 'the granted scopes in the scope claim', () => judge.judgeAccessTokenScope({ ...CLAIMS, scope: 'reports:write reports:read' }, requested, GOOD, ex));
  passesOn(check.jwtAccessTokenScope, 'a response without scope and the requested scopes in the token', () => {
    const { scope: _, ...noScope } = GOOD;
    return judge.judgeAccessTokenScope({ ...CLAIMS, scope: 'reports:read reports:write' }, requested, noScope, ex);
  });
  proves(check.jwtAccessTokenScope, 'no scope claim (scp instead)', () => {
    const { scope: _, ...claims } = CLAIMS;
    return judge.judgeAccessTokenScope({ ...claims, scp: requested }, requested, GOOD, ex);
  }, /no scope claim/);
  proves(check.jwtAccessTokenScope, 'a scope claim as an array', () => judge.judgeAccessTokenScope({ ...CLAIMS, scope: requested }, requested, GOOD, ex), /space-separated/);
  proves(check.jwtAccessTokenScope, 'a scope claim wider than the grant', () => judge.judgeAccessTokenScope({ ...CLAIMS, scope: 'reports:read reports:write admin' }, requested, GOOD, ex), /differs from the scope granted/);

  passesOn(check.jwtAccessTokenDefaultAudience, 'aud the API', () => judge.judgeDefaultAudience({ ...CLAIMS, aud: 'https://api.example.com' }, ex));
  proves(check.jwtAccessTokenDefaultAudience, 'no aud', () => {
    const { aud: _, ...claims } = CLAIMS;
    return judge.judgeDefaultAudience(claims, ex);
  }, /names no default resource/);
  proves(check.jwtAccessTokenDefaultAudience, 'an empty aud array', () => judge.judgeDefaultAudience({ ...CLAIMS, aud: [] }, ex));
  const RESOURCE = 'https://api.example.com/reports';
  passesOn(check.jwtAccessTokenDefaultAudience, 'aud equal to the resource asked for', async () =>
    judge.judgeResourceAudience(exchange(200, { ...GOOD, access_token: await accessToken({ ...CLAIMS, aud: RESOURCE }) }), RESOURCE));
  proves(check.jwtAccessTokenDefaultAudience, 'the default audience despite resource', async () =>
    judge.judgeResourceAudience(exchange(200, { ...GOOD, access_token: await accessToken({ ...CLAIMS, aud: ISSUER }) }), RESOURCE), /has aud/);
  proves(check.jwtAccessTokenDefaultAudience, 'the resource refused with invalid_target', () => judge.judgeResourceAudience(error('invalid_target'), RESOURCE), /refused/);

  passesOn(check.jwtAccessTokenAudienceRestricted, 'aud the issuer\'s API', () => judge.judgeAudienceRestricted(CLAIMS, CLIENT, ex));
  passesOn(check.jwtAccessTokenAudienceRestricted, 'aud the client and an API', () => judge.judgeAudienceRestricted({ ...CLAIMS, aud: [CLIENT, 'https://api.example.com'] }, CLIENT, ex));
  proves(check.jwtAccessTokenAudienceRestricted, 'aud "*"', () => judge.judgeAudienceRestricted({ ...CLAIMS, aud: '*' }, CLIENT, ex), /wildcard/);
  proves(check.jwtAccessTokenAudienceRestricted, 'aud the client_id alone', () => judge.judgeAudienceRestricted({ ...CLAIMS, aud: CLIENT }, CLIENT, ex), /only the client/);

  passesOn(check.jwtAccessTokenExpiry, 'exp - iat equal to expires_in', () => judge.judgeAccessTokenExpiry(CLAIMS, exchange(200, GOOD)));
  passesOn(check.jwtAccessTokenExpiry, 'no iat, exp at the time of issue plus expires_in', () => {
    const issued = Math.floor(Date.parse(new Date(0).toISOString()) / 1000);
    const { iat: _, ...claims } = CLAIMS;
    return judge.judgeAccessTokenExpiry({ ...claims, exp: issued + 3600 }, exchange(200, GOOD));
  });
  proves(check.jwtAccessTokenExpiry, 'a token living 24 hours for expires_in 3600', () => judge.judgeAccessTokenExpiry({ ...CLAIMS, exp: now + 86400 }, exchange(200, GOOD)), /differs from expires_in/);
  proves(check.jwtAccessTokenExpiry, 'exp in milliseconds with no iat', () => {
    const { iat: _, ...claims } = CLAIMS;
    return judge.judgeAccessTokenExpiry({ ...claims, exp: Date.now() + 3_600_000 }, exchange(200, GOOD));
  }, /time of issue plus expires_in/);
});

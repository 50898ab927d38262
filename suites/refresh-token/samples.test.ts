// Each refresh-token check, proven on a bad sample (and passing on a good one).
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { halfHash } from '../../harness/tokens/id-token.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com';
const CLIENT = 'web-basic';
const NOW = Math.floor(Date.now() / 1000);
const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' };
const ROTATE: judge.RefreshPolicy = { rotation: 'always', reuseRevokesFamily: true };

let counter = 0;
function exchange(status: number, body: unknown, options: { headers?: Record<string, string>; startedAt?: number; basic?: boolean } = {}): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const request: Exchange['request'] = { method: 'POST', url: `${ISSUER}/token`, headers: {} };
  if (options.basic) request.basicAuthUsername = CLIENT;
  return {
    id: `#${++counter}`,
    request,
    response: { status, headers: options.headers ?? JSON_HEADERS, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(options.startedAt ?? Date.now()).toISOString(),
    durationMs: 5,
  };
}

const ORIGINAL_SCOPE = ['openid', 'profile', 'offline_access'];

function tokens(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, scope: ORIGINAL_SCOPE.join(' '), refresh_token: 'rt-2', ...extra };
}

function error(code: string, status = 400, options: { basic?: boolean; challenge?: boolean } = {}): Exchange {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (options.challenge) headers['www-authenticate'] = 'Basic realm="op"';
  return exchange(status, { error: code, error_description: 'refused' }, { headers, basic: options.basic });
}

const GRANT = exchange(200, tokens({ refresh_token: 'rt-1' }));

// ---- ID tokens: decoded only by the pair judges, so unsecured JWTs do --------------------------

const ORIGINAL_CLAIMS = { iss: ISSUER, sub: 'user-1', aud: CLIENT, iat: NOW - 10, exp: NOW + 3600, auth_time: NOW - 10 };

function idToken(claims: Record<string, unknown>): string {
  return new UnsecuredJWT(claims).encode();
}

function pair(refreshed: Record<string, unknown>, original: Record<string, unknown> = ORIGINAL_CLAIMS): judge.IdTokenPair {
  const grant = exchange(200, tokens({ refresh_token: 'rt-1', id_token: idToken(original) }), { startedAt: Date.now() - 10_000 });
  const refresh = exchange(200, tokens({ id_token: idToken({ ...ORIGINAL_CLAIMS, iat: NOW, ...refreshed }) }));
  return judge.idTokenPair(grant, refresh);
}

// ---- a really signed ID token for id-token-valid ------------------------------------------------

const { privateKey, publicKey } = await generateKeyPair('RS256');
const JWKS = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' }] };

async function signed(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
}

const EXPECT = { issuer: ISSUER, clientId: CLIENT, jwks: JWKS, sub: 'user-1' };

describe('refresh-token samples', () => {
  // refresh works
  passesOn(check.refreshWorks, 'a 200 token response', () => judge.judgeRefreshWorks(GRANT, exchange(200, tokens()), 'offline_access'));
  passesOn(check.refreshWorks, 'token_type in another case', () => judge.judgeRefreshWorks(GRANT, exchange(200, tokens({ token_type: 'bearer' })), 'offline_access'));
  proves(check.refreshWorks, 'a grant without a refresh token', () => {
    const { refresh_token: _, ...without } = tokens();
    judge.judgeRefreshWorks(exchange(200, without), undefined, 'offline_access');
  }, /no refresh token/);
  proves(check.refreshWorks, 'an invalid_grant answer', () => judge.judgeRefreshWorks(GRANT, error('invalid_grant'), 'offline_access'), /HTTP 400/);
  proves(check.refreshWorks, 'expires_in as a string', () => judge.judgeRefreshWorks(GRANT, exchange(200, tokens({ expires_in: '3600' })), 'offline_access'), /schema/);
  proves(check.refreshWorks, 'another token_type', () => judge.judgeRefreshWorks(GRANT, exchange(200, tokens({ token_type: 'mac' })), 'offline_access'), /token_type/);

  // no-store
  passesOn(check.noStore, 'no-store and no-cache', () => judge.judgeNoStore(exchange(200, tokens())));
  proves(check.noStore, 'no Cache-Control', () => judge.judgeNoStore(exchange(200, tokens(), { headers: { 'content-type': 'application/json', pragma: 'no-cache' } })), /no-store/);
  proves(check.noStore, 'no Pragma (a warning)', () => judge.judgeNoStore(exchange(200, tokens(), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })), /Pragma/);

  // scope kept
  passesOn(check.scopeKept, 'the same scope', () => judge.judgeScopeKept(GRANT, ORIGINAL_SCOPE, exchange(200, tokens())));
  passesOn(check.scopeKept, 'no scope member (the original)', () => {
    const { scope: _, ...without } = tokens();
    judge.judgeScopeKept(GRANT, ORIGINAL_SCOPE, exchange(200, without));
  });
  passesOn(check.scopeKept, 'offline_access not echoed', () => judge.judgeScopeKept(GRANT, ORIGINAL_SCOPE, exchange(200, tokens({ scope: 'openid profile' }))));
  proves(check.scopeKept, 'a scope that lost profile', () => judge.judgeScopeKept(GRANT, ORIGINAL_SCOPE, exchange(200, tokens({ scope: 'openid offline_access' }))), /changed the granted scope/);

  // scope not widened
  const WIDER = [...ORIGINAL_SCOPE, 'email'];
  passesOn(check.scopeNotWidened, 'invalid_scope', () => judge.judgeScopeNotWidened(WIDER, 'email', error('invalid_scope')));
  proves(check.scopeNotWidened, 'email granted', () => judge.judgeScopeNotWidened(WIDER, 'email', exchange(200, tokens({ scope: WIDER.join(' ') }))), /widened/);
  proves(check.scopeNotWidened, 'tokens without a scope member', () => {
    const { scope: _, ...without } = tokens();
    judge.judgeScopeNotWidened(WIDER, 'email', exchange(200, without));
  }, /widened/);
  proves(check.scopeNotWidened, 'the original scope granted silently (a warning)', () => judge.judgeScopeNotWidened(WIDER, 'email', exchange(200, tokens())), /instead of invalid_scope/);
  proves(check.scopeNotWidened, 'invalid_grant instead of invalid_scope (a warning)', () => judge.judgeScopeNotWidened(WIDER, 'email', error('invalid_grant')), /invalid_grant instead/);

  // scope narrowed
  const NARROW = ['openid', 'offline_access'];
  passesOn(check.scopeNarrowed, 'the narrower scope', () => judge.judgeScopeNarrowed(NARROW, exchange(200, tokens({ scope: NARROW.join(' ') }))));
  proves(check.scopeNarrowed, 'the original scope instead', () => judge.judgeScopeNarrowed(NARROW, exchange(200, tokens())), /not granted as asked/);
  proves(check.scopeNarrowed, 'an invalid_scope error', () => judge.judgeScopeNarrowed(NARROW, error('invalid_scope')), /refused: HTTP 400 invalid_scope/);

  // successor scope
  const narrowed = exchange(200, tokens({ scope: NARROW.join(' '), refresh_token: 'rt-3' }));
  passesOn(check.successorScope, 'the successor refreshes to the original scope', () => judge.judgeSuccessorScope(ORIGINAL_SCOPE, narrowed, exchange(200, tokens())));
  proves(check.successorScope, 'the successor holds the narrowed scope', () => judge.judgeSuccessorScope(ORIGINAL_SCOPE, narrowed, exchange(200, tokens({ scope: NARROW.join(' ') }))), /narrowed scope/);
  proves(check.successorScope, 'the successor is refused', () => judge.judgeSuccessorScope(ORIGINAL_SCOPE, narrowed, error('invalid_grant')), /does not refresh/);

  // rotation
  passesOn(check.rotation, 'a new refresh token', () => judge.judgeRotation('rt-1', exchange(200, tokens()), ROTATE, false));
  passesOn(check.rotation, 'no rotation under the "never" policy', () => {
    const { refresh_token: _, ...without } = tokens();
    judge.judgeRotation('rt-1', exchange(200, without), { rotation: 'never', reuseRevokesFamily: false }, false);
  });
  proves(check.rotation, 'no new refresh token for a public client', () => {
    const { refresh_token: _, ...without } = tokens();
    judge.judgeRotation('rt-1', exchange(200, without), ROTATE, true);
  }, /no new refresh token/);
  proves(check.rotation, 'the same refresh token back (confidential: a warning)', () => judge.judgeRotation('rt-2', exchange(200, tokens()), ROTATE, false), /same refresh token/);

  // reuse refused
  const first = exchange(200, tokens());
  passesOn(check.reuseRefused, 'invalid_grant on the replay', () => judge.judgeReuseRefused('rt-1', first, error('invalid_grant'), ROTATE, false));
  proves(check.reuseRefused, 'the replay accepted (public client)', () => judge.judgeReuseRefused('rt-1', first, exchange(200, tokens({ refresh_token: 'rt-9' })), ROTATE, true), /accepted again/);
  proves(check.reuseRefused, 'the replay accepted (confidential: a warning)', () => judge.judgeReuseRefused('rt-1', first, exchange(200, tokens({ refresh_token: 'rt-9' })), ROTATE, false), /accepted again/);
  proves(check.reuseRefused, 'invalid_request on the replay', () => judge.judgeReuseRefused('rt-1', first, error('invalid_request'), ROTATE, false), /invalid_grant/);

  // reuse revokes the family
  const replay = error('invalid_grant');
  passesOn(check.reuseRevokesFamily, 'the successor refused', () => judge.judgeFamilyRevoked('rt-1', first, replay, error('invalid_grant'), ROTATE, false));
  passesOn(check.reuseRevokesFamily, 'the successor kept, as a "false" policy says', () => judge.judgeFamilyRevoked('rt-1', first, replay, exchange(200, tokens()), { rotation: 'always', reuseRevokesFamily: false }, false));
  proves(check.reuseRevokesFamily, 'the successor still refreshing (public client)', () => judge.judgeFamilyRevoked('rt-1', first, replay, exchange(200, tokens()), ROTATE, true), /still refreshes/);
  proves(check.reuseRevokesFamily, 'the successor still refreshing (confidential: a warning)', () => judge.judgeFamilyRevoked('rt-1', first, replay, exchange(200, tokens()), ROTATE, false), /still refreshes/);

  // client bound
  passesOn(check.clientBound, 'invalid_grant', () => judge.judgeClientBound(error('invalid_grant')));
  proves(check.clientBound, 'tokens for the other client', () => judge.judgeClientBound(exchange(200, tokens())), /another client was issued tokens/);
  proves(check.clientBound, 'unauthorized_client', () => judge.judgeClientBound(error('unauthorized_client')), /invalid_grant/);

  // client authentication required
  const goodAuth: judge.Attempt[] = [
    { what: 'no client credentials', exchange: error('invalid_client', 401) },
    { what: 'a client_id and no secret', exchange: error('invalid_client', 400) },
    { what: 'a wrong client secret', exchange: error('invalid_client', 401, { basic: true, challenge: true }) },
  ];
  passesOn(check.clientAuthRequired, 'invalid_client each time', () => judge.judgeClientAuthRequired(goodAuth));
  proves(check.clientAuthRequired, 'tokens without credentials', () => judge.judgeClientAuthRequired([{ what: 'no client credentials', exchange: exchange(200, tokens()) }]), /refreshed with no client credentials/);
  proves(check.clientAuthRequired, 'invalid_grant for a wrong secret', () => judge.judgeClientAuthRequired([{ what: 'a wrong client secret', exchange: error('invalid_grant') }]), /invalid_client/);
  proves(check.clientAuthRequired, 'a 400 after HTTP Basic', () => judge.judgeClientAuthRequired([{ what: 'a wrong client secret', exchange: error('invalid_client', 400, { basic: true }) }]), /401/);

  // invalid tokens
  passesOn(check.invalidTokenRefused, 'invalid_grant', () => judge.judgeInvalidTokenRefused([{ what: 'a made-up refresh token', exchange: error('invalid_grant') }]));
  proves(check.invalidTokenRefused, 'an altered token accepted', () => judge.judgeInvalidTokenRefused([{ what: 'an altered token', exchange: exchange(200, tokens()) }]), /accepted/);
  proves(check.invalidTokenRefused, 'a 500', () => judge.judgeInvalidTokenRefused([{ what: 'a made-up refresh token', exchange: error('server_error', 500) }]), /invalid_grant/);

  // error format
  passesOn(check.errorFormat, 'JSON errors with 400 and 401', () => judge.judgeErrorFormat([error('invalid_grant'), error('invalid_client', 401)]));
  proves(check.errorFormat, 'an error with HTTP 200', () => judge.judgeErrorFormat([error('invalid_grant', 200)]), /HTTP 400/);
  proves(check.errorFormat, 'an HTML error page', () => judge.judgeErrorFormat([exchange(400, '<html>bad request</html>', { headers: { 'content-type': 'text/html' } })]));
  proves(check.errorFormat, 'a quote in error_description', () => judge.judgeErrorFormat([exchange(400, { error: 'invalid_grant', error_description: 'bad "token"' })]), /schema/);

  // the refreshed ID token is valid
  const validRefresh = async (claims: Record<string, unknown>) => {
    const accessToken = 'at-1';
    return exchange(200, tokens({ access_token: accessToken, id_token: await signed({ ...ORIGINAL_CLAIMS, iat: NOW, at_hash: halfHash(accessToken, 'RS256'), ...claims }) }));
  };
  passesOn(check.idTokenValid, 'a signed, current ID token', async () => judge.judgeRefreshedIdTokenValid(await validRefresh({}), EXPECT));
  proves(check.idTokenValid, 'an expired ID token', async () => judge.judgeRefreshedIdTokenValid(await validRefresh({ exp: NOW - 3600 }), EXPECT), /expired/);
  proves(check.idTokenValid, 'a wrong at_hash', async () => judge.judgeRefreshedIdTokenValid(await validRefresh({ at_hash: 'AAAA' }), EXPECT), /at_hash/);
  proves(check.idTokenValid, 'an unsigned ID token', async () => judge.judgeRefreshedIdTokenValid(exchange(200, tokens({ id_token: idToken(ORIGINAL_CLAIMS) })), EXPECT), /alg none/);

  // same identity
  passesOn(check.idTokenSameIdentity, 'the same iss, sub and aud', () => judge.judgeSameIdentity(pair({ aud: [CLIENT] })));
  proves(check.idTokenSameIdentity, 'another sub', () => judge.judgeSameIdentity(pair({ sub: 'user-2' })), /sub differs/);
  proves(check.idTokenSameIdentity, 'another aud', () => judge.judgeSameIdentity(pair({ aud: [CLIENT, 'api'] })), /aud differs/);
  proves(check.idTokenSameIdentity, 'an azp the original lacked', () => judge.judgeSameIdentity(pair({ azp: CLIENT })), /azp differs/);

  // new iat
  passesOn(check.idTokenNewIat, 'a later iat', () => judge.judgeNewIat(pair({})));
  proves(check.idTokenNewIat, 'the original iat kept', () => judge.judgeNewIat(pair({ iat: ORIGINAL_CLAIMS.iat })), /keeps the iat/);
  proves(check.idTokenNewIat, 'an iat from an hour ago', () => judge.judgeNewIat(pair({ iat: NOW - 3600 }, { ...ORIGINAL_CLAIMS, iat: NOW - 7200 })), /before the refresh request/);

  // auth_time
  passesOn(check.idTokenAuthTime, 'the original auth_time', () => judge.judgeAuthTime(pair({})));
  passesOn(check.idTokenAuthTime, 'no auth_time', () => judge.judgeAuthTime(pair({ auth_time: undefined })));
  proves(check.idTokenAuthTime, 'auth_time set to the refresh', () => judge.judgeAuthTime(pair({ auth_time: NOW })), /another auth_time/);
  proves(check.idTokenAuthTime, 'auth_time after the original ID token, which had none', () => {
    const { auth_time: _, ...original } = ORIGINAL_CLAIMS;
    judge.judgeAuthTime(pair({ auth_time: NOW }, original));
  }, /later than the original/);

  // nonce
  passesOn(check.idTokenNonce, 'no nonce', () => judge.judgeNonce(pair({})));
  proves(check.idTokenNonce, 'a nonce the original lacked', () => judge.judgeNonce(pair({ nonce: 'n-1' })), /did not/);
  proves(check.idTokenNonce, 'another nonce', () => judge.judgeNonce(pair({ nonce: 'n-2' }, { ...ORIGINAL_CLAIMS, nonce: 'n-1' })), /another nonce/);
  proves(check.idTokenNonce, 'the original nonce repeated (a warning)', () => judge.judgeNonce(pair({ nonce: 'n-1' }, { ...ORIGINAL_CLAIMS, nonce: 'n-1' })), /SHOULD NOT/);

  // unguessable
  const B64 = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXpmb29iYXJiYXpxdXg'; // 43 base64url characters: 258 bits at most
  passesOn(check.unguessable, 'two distinct 43-character base64url tokens', () => judge.judgeUnguessable([{ token: B64, exchange: '#1' }, { token: `${B64.slice(0, -1)}Y`, exchange: '#2' }]));
  passesOn(check.unguessable, 'a structured (JWT) token', () => judge.judgeUnguessable([{ token: idToken({ sub: 'x' }).replace(/\.$/, '.c2ln'), exchange: '#1' }]));
  proves(check.unguessable, 'a UUID', () => judge.judgeUnguessable([{ token: '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b', exchange: '#1' }]), /at most 122 bits/);
  proves(check.unguessable, 'a 20-character token', () => judge.judgeUnguessable([{ token: 'abcdefghijABCDEFGHIJ', exchange: '#1' }]), /128 bits/);
  proves(check.unguessable, 'a 32-character hex token (a warning)', () => judge.judgeUnguessable([{ token: '0123456789abcdef0123456789abcdef', exchange: '#1' }]), /160/);
  proves(check.unguessable, 'the same token twice', () => judge.judgeUnguessable([{ token: B64, exchange: '#1' }, { token: B64, exchange: '#2' }]), /issued twice/);
});

describe('refresh-token samples: authentication claims of JWT access tokens', () => {
  const at = (claims: Record<string, unknown>) => new UnsecuredJWT({ iss: ISSUER, sub: 'user-1', aud: ISSUER, client_id: CLIENT, jti: `j${++counter}`, iat: NOW, exp: NOW + 3600, ...claims }).encode();
  const AUTH = { auth_time: NOW - 100, acr: 'urn:acr:pwd', amr: ['pwd'] };
  const grantWith = (claims: Record<string, unknown>) => exchange(200, tokens({ refresh_token: 'rt-1', access_token: at(claims) }));
  const refreshWith = (claims: Record<string, unknown>) => exchange(200, tokens({ access_token: at(claims) }));
  passesOn(check.accessTokenAuthClaims, 'auth_time, acr and amr kept', () => judge.judgeAccessTokenAuthClaims(grantWith(AUTH), refreshWith(AUTH)));
  passesOn(check.accessTokenAuthClaims, 'none of them in either token', () => judge.judgeAccessTokenAuthClaims(grantWith({}), refreshWith({})));
  proves(check.accessTokenAuthClaims, 'auth_time moved to the time of the refresh', () => judge.judgeAccessTokenAuthClaims(grantWith(AUTH), refreshWith({ ...AUTH, auth_time: NOW })), /changes auth_time/);
  proves(check.accessTokenAuthClaims, 'amr dropped by the refresh', () => {
    const { amr: _, ...withoutAmr } = AUTH;
    return judge.judgeAccessTokenAuthClaims(grantWith(AUTH), refreshWith(withoutAmr));
  }, /changes amr/);
});

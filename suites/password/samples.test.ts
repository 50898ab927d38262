// Each password grant check, proven on a bad sample (and passing on a good one).
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { halfHash } from '../../harness/tokens/id-token.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com/oidc';
const CLIENT = 'web-basic';
const SUB = 'user-alice-0001';
const NO_STORE = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' };
const ACCESS_TOKEN = 'opaque-access-token-value';
const GOOD = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'openid' };

let counter = 0;
function exchange(status: number, body: unknown, headers: Record<string, string> = NO_STORE, basic = false): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = `#${++counter}`;
  const request: Exchange['request'] = { method: 'POST', url: `${ISSUER}/token`, headers: {}, body: 'grant_type=password' };
  if (basic) request.basicAuthUsername = CLIENT;
  return {
    id,
    request,
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}
const error = (code: string, status = 400, headers: Record<string, string> = NO_STORE, basic = false) => exchange(status, { error: code }, headers, basic);

const { privateKey, publicKey } = await generateKeyPair('RS256');
const JWKS = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' } as JWK] };
const now = Math.floor(Date.now() / 1000);
const CLAIMS = { iss: ISSUER, sub: SUB, aud: CLIENT, iat: now, exp: now + 3600, at_hash: halfHash(ACCESS_TOKEN, 'RS256') };
const idToken = (claims: Record<string, unknown> = CLAIMS, kid = 'k1') => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
const EXPECT = { issuer: ISSUER, clientId: CLIENT, jwks: JWKS, sub: SUB };
const withIdToken = async (claims?: Record<string, unknown>, kid?: string) => exchange(200, { ...GOOD, id_token: await idToken(claims, kid) });

describe('password samples', () => {
  passesOn(check.grantNotOffered, 'unsupported_grant_type', () => judge.judgeGrantNotOffered(error('unsupported_grant_type'), false));
  proves(check.grantNotOffered, 'tokens issued by an advertised password grant', () => judge.judgeGrantNotOffered(exchange(200, GOOD), true), /MUST NOT be used/);
  proves(check.grantNotOffered, 'tokens issued though not advertised', () => judge.judgeGrantNotOffered(exchange(200, GOOD), false), /not advertised/);

  passesOn(check.tokenResponse, 'a 200 JSON token response', () => judge.judgeTokenResponse(exchange(200, GOOD)));
  proves(check.tokenResponse, 'invalid_grant for the right password', () => judge.judgeTokenResponse(error('invalid_grant')), /not granted/);
  proves(check.tokenResponse, 'a scope with two spaces', () => judge.judgeTokenResponse(exchange(200, { ...GOOD, scope: 'openid  profile' })), /scope/);
  proves(check.tokenResponse, 'a text/plain body', () => judge.judgeTokenResponse(exchange(200, JSON.stringify(GOOD), { 'content-type': 'text/plain', 'cache-control': 'no-store' })), /content-type/);

  passesOn(check.noStore, 'no-store on both responses', () => judge.judgeNoStore([exchange(200, GOOD), exchange(200, GOOD)]));
  proves(check.noStore, 'no Cache-Control on the offline_access response', () => judge.judgeNoStore([exchange(200, GOOD), exchange(200, GOOD, { 'content-type': 'application/json' })]), /no-store/);
  proves(check.noStore, 'no Pragma (a warning)', () => judge.judgeNoStore([exchange(200, GOOD, { 'content-type': 'application/json', 'cache-control': 'no-store' })]), /Pragma/);

  passesOn(check.idTokenValid, 'a valid ID token with at_hash', async () => judge.judgeIdToken(await withIdToken(), EXPECT));
  passesOn(check.idTokenValid, 'a valid ID token without at_hash', async () => {
    const { at_hash: _, ...claims } = CLAIMS;
    await judge.judgeIdToken(await withIdToken(claims), EXPECT);
  });
  proves(check.idTokenValid, 'another issuer', async () => judge.judgeIdToken(await withIdToken({ ...CLAIMS, iss: `${ISSUER}/other` }), EXPECT), /iss/);
  proves(check.idTokenValid, 'another audience', async () => judge.judgeIdToken(await withIdToken({ ...CLAIMS, aud: 'some-other-client' }), EXPECT), /aud/);
  proves(check.idTokenValid, 'an expired token', async () => judge.judgeIdToken(await withIdToken({ ...CLAIMS, exp: now - 3600 }), EXPECT), /expired/);
  proves(check.idTokenValid, 'iat in milliseconds', async () => judge.judgeIdToken(await withIdToken({ ...CLAIMS, iat: now * 1000 }), EXPECT), /milliseconds/);
  proves(check.idTokenValid, 'another user', async () => judge.judgeIdToken(await withIdToken({ ...CLAIMS, sub: 'user-bob-0002' }), EXPECT), /sub/);
  proves(check.idTokenValid, 'an unpublished kid', async () => judge.judgeIdToken(await withIdToken(CLAIMS, 'k2'), EXPECT), /kid/);
  proves(check.idTokenValid, 'a wrong at_hash', async () => judge.judgeIdToken(await withIdToken({ ...CLAIMS, at_hash: halfHash('other', 'RS256') }), EXPECT), /at_hash/);
  proves(check.idTokenValid, 'alg none', async () => {
    const payload = Buffer.from(JSON.stringify(CLAIMS)).toString('base64url');
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    await judge.judgeIdToken(exchange(200, { ...GOOD, id_token: `${header}.${payload}.` }), EXPECT);
  }, /alg none/);

  passesOn(check.subStable, 'the same sub', () => judge.judgeSubStable(SUB, SUB, ['#1', '#2']));
  proves(check.subStable, 'two subs', () => judge.judgeSubStable(SUB, 'user-alice-0001-b', ['#1', '#2']));

  const plain = exchange(200, GOOD);
  const withRefresh = exchange(200, { ...GOOD, refresh_token: 'rt' });
  passesOn(check.refreshOnlyWithOfflineAccess, 'rule offline_access: only with it', () => judge.judgeRefreshRule('offline_access', plain, withRefresh));
  passesOn(check.refreshOnlyWithOfflineAccess, 'rule always: both', () => judge.judgeRefreshRule('always', withRefresh, withRefresh));
  passesOn(check.refreshOnlyWithOfflineAccess, 'rule never: neither', () => judge.judgeRefreshRule('never', plain, plain));
  proves(check.refreshOnlyWithOfflineAccess, 'rule offline_access: one without it', () => judge.judgeRefreshRule('offline_access', withRefresh, withRefresh), /without offline_access/);
  proves(check.refreshOnlyWithOfflineAccess, 'rule offline_access: none with it', () => judge.judgeRefreshRule('offline_access', plain, plain), /with offline_access/);
  proves(check.refreshOnlyWithOfflineAccess, 'rule never: one with offline_access', () => judge.judgeRefreshRule('never', plain, withRefresh));
  proves(check.refreshOnlyWithOfflineAccess, 'rule always: none without it', () => judge.judgeRefreshRule('always', plain, withRefresh));

  passesOn(check.wrongPasswordRefused, 'invalid_grant', () => judge.judgeInvalidGrant(error('invalid_grant')));
  proves(check.wrongPasswordRefused, 'a token for a wrong password', () => judge.judgeInvalidGrant(exchange(200, GOOD)), /invalid_grant/);
  proves(check.wrongPasswordRefused, 'invalid_grant with HTTP 401', () => judge.judgeInvalidGrant(error('invalid_grant', 401)), /expected HTTP 400/);

  passesOn(check.unknownUserRefused, 'invalid_grant', () => judge.judgeInvalidGrant(error('invalid_grant')));
  proves(check.unknownUserRefused, 'invalid_request', () => judge.judgeInvalidGrant(error('invalid_request')), /invalid_grant/);
  proves(check.unknownUserRefused, 'server_error', () => judge.judgeInvalidGrant(error('server_error', 500)));

  passesOn(check.missingParametersRefused, 'invalid_request', () => judge.judgeInvalidRequest(error('invalid_request')));
  proves(check.missingParametersRefused, 'invalid_grant', () => judge.judgeInvalidRequest(error('invalid_grant')), /invalid_request/);
  proves(check.missingParametersRefused, 'an HTML error page', () => judge.judgeInvalidRequest(exchange(400, '<html>bad</html>', { 'content-type': 'text/html' })));

  passesOn(check.clientAuthenticationRequired, 'invalid_client 401 with a Basic challenge', () => judge.judgeInvalidClient(error('invalid_client', 401, { ...NO_STORE, 'www-authenticate': 'Basic realm="op"' }, true)));
  proves(check.clientAuthenticationRequired, 'a token for the client_id alone', () => judge.judgeInvalidClient(exchange(200, GOOD)), /invalid_client/);
  proves(check.clientAuthenticationRequired, 'invalid_client 400 after Basic', () => judge.judgeInvalidClient(error('invalid_client', 400, NO_STORE, true)), /401/);
});

// Each code-flow judge proven on a bad sample (and passing on a good one): authorization runs as
// the browser session reports them, and exchanges as the HTTP recorder keeps them.
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe } from 'vitest';
import type { AuthorizationResult, AuthorizationRun } from '../../harness/flows/authorization.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { type Observed, judgeIssParameter, judgeStateEchoed } from '../../harness/judge/authorization-response.ts';
import { halfHash } from '../../harness/tokens/id-token.ts';
import * as refreshJudge from '../refresh-token/judges.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com/oidc';
const CLIENT = 'web-basic';
const SUB = 'user-alice-0001';
const NONCE = 'n-0S6_WzA2Mj';
const STATE = 'xyz %+&=/?#é';
const ACCESS_TOKEN = 'opaque-access-token-value';
const NO_STORE = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' };

let counter = 0;
function exchange(status: number, body: unknown, headers: Record<string, string> = NO_STORE, url = `${ISSUER}/token`): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    id: `#${++counter}`,
    request: { method: 'POST', url, headers: {} },
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}
const error = (code: string, status = 400) => exchange(status, { error: code });
const page = (html: string) => exchange(200, html, { 'content-type': 'text/html' }, `${ISSUER}/interaction/1`);
const userinfo = (status: number, body: unknown = { sub: SUB }) => exchange(status, body, { 'content-type': 'application/json' }, `${ISSUER}/me`);

/** An authorization run: a response at the redirect_uri with these parameters, or a page. */
function run(params: Record<string, string>, options: { sent?: Record<string, string>; page?: string; interactions?: AuthorizationResult['interactions']; via?: AuthorizationResult['via']; exchanges?: string[] } = {}): AuthorizationRun {
  const sentParams = { response_type: 'code', client_id: CLIENT, redirect_uri: 'https://rp.example.com/callback', scope: 'openid', state: STATE, nonce: NONCE, ...options.sent };
  const result: AuthorizationResult = {
    outcome: options.page === undefined ? 'response' : 'page',
    params: options.page === undefined ? params : {},
    paramList: Object.entries(params),
    interactions: options.interactions ?? ['login'],
    exchanges: options.exchanges ?? ['#authz'],
    requestUrl: `${ISSUER}/auth`,
  };
  if (options.page === undefined) {
    result.via = options.via ?? 'query';
    result.responseExchange = '#authz';
  } else {
    result.page = { url: `${ISSUER}/interaction/1`, status: 200, title: 'Sign in', text: options.page };
  }
  return {
    sent: {
      client: { client_id: CLIENT, auth_method: 'client_secret_basic', client_secret: 's' },
      params: sentParams,
      ...(sentParams.state === undefined ? {} : { state: sentParams.state }),
      ...(sentParams.nonce === undefined ? {} : { nonce: sentParams.nonce }),
      redirectUri: sentParams.redirect_uri,
    },
    result,
  };
}
const codeRun = (extra: Record<string, string> = {}) => run({ code: 'c0de-value-000', state: STATE, iss: ISSUER, ...extra });

const { privateKey, publicKey } = await generateKeyPair('RS256');
const JWKS = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' } as JWK] };
const now = Math.floor(Date.now() / 1000);
const CLAIMS = { iss: ISSUER, sub: SUB, aud: CLIENT, iat: now, exp: now + 3600, nonce: NONCE, at_hash: halfHash(ACCESS_TOKEN, 'RS256') };
const idToken = (claims: Record<string, unknown> = CLAIMS) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
const tokens = async (claims?: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  exchange(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'openid', id_token: await idToken(claims), ...extra });
const EXPECT = { issuer: ISSUER, clientId: CLIENT, jwks: JWKS, sub: SUB };
const without = (name: string) => Object.fromEntries(Object.entries(CLAIMS).filter(([k]) => k !== name));
const GOOD = await tokens();

describe('code-flow samples: the authorization response', () => {
  passesOn(check.codeResponse, 'a code in the query', () => judge.judgeCodeResponse(codeRun()));
  proves(check.codeResponse, 'a code in the fragment', () => judge.judgeCodeResponse(run({ code: 'c' }, { via: 'fragment' })), /fragment/);
  proves(check.codeResponse, 'an access token beside the code', () => judge.judgeCodeResponse(codeRun({ access_token: 'at' })), /access_token/);
  proves(check.codeResponse, 'the login page instead of a response', () => judge.judgeCodeResponse(run({}, { page: 'Sign in' })), /page/);

  // The suite judges these with the shared front-channel rules (harness/judge/authorization-response.ts).
  const seen = (r: AuthorizationRun): Observed[] => [{ run: r, exchanges: [] }];
  passesOn(check.stateEchoed, 'the same state', () => judgeStateEchoed(seen(codeRun())));
  proves(check.stateEchoed, 'a state decoded twice', () => judgeStateEchoed(seen(codeRun({ state: 'xyz  &=/?#é' }))), /state/);
  proves(check.stateEchoed, 'a state normalised to NFC', () => judgeStateEchoed(seen(run({ code: 'c', state: STATE.normalize('NFC') }, { sent: { state: STATE.normalize('NFD') } }))), /state/);
  proves(check.stateEchoed, 'no state', () => judgeStateEchoed(seen(run({ code: 'c' }))), /leaves out state/);

  const advertised = { authorization_response_iss_parameter_supported: true };
  passesOn(check.issParameter, 'iss equal to the issuer', () => judgeIssParameter(seen(codeRun()), advertised, ISSUER));
  proves(check.issParameter, 'no iss although advertised', () => judgeIssParameter(seen(run({ code: 'c', state: STATE })), advertised, ISSUER), /no iss/);
  proves(check.issParameter, 'another iss', () => judgeIssParameter(seen(codeRun({ iss: `${ISSUER}/` })), advertised, ISSUER), /differs/);
  proves(check.issParameter, 'iss sent without the discovery flag', () => judgeIssParameter(seen(codeRun()), {}, ISSUER), /does not set/);
});

describe('code-flow samples: token responses, ID token, UserInfo', () => {
  const noIdToken = () => judge.judgeTokenExchange(exchange(200, { access_token: 'at', token_type: 'Bearer' }));
  const macType = () => judge.judgeTokenExchange(exchange(200, { access_token: 'at', token_type: 'mac', id_token: 'a.b.c' }));
  const refused = () => judge.judgeTokenExchange(error('invalid_grant'));
  passesOn(check.tokenExchangeBasic, 'a token response with an ID token', () => judge.judgeTokenExchange(GOOD));
  proves(check.tokenExchangeBasic, 'no id_token', noIdToken, /id_token/);
  proves(check.tokenExchangeBasic, 'token_type mac', macType, /Bearer/);
  proves(check.tokenExchangeBasic, 'invalid_grant', refused, /not granted/);
  passesOn(check.tokenExchangePost, 'a token response with an ID token', () => judge.judgeTokenExchange(GOOD));
  proves(check.tokenExchangePost, 'no id_token', noIdToken, /id_token/);
  proves(check.tokenExchangePost, 'token_type mac', macType, /Bearer/);
  proves(check.tokenExchangePost, 'invalid_grant', refused, /not granted/);
  passesOn(check.tokenExchangePublic, 'a token response with an ID token', () => judge.judgeTokenExchange(GOOD));
  proves(check.tokenExchangePublic, 'no id_token', noIdToken, /id_token/);
  proves(check.tokenExchangePublic, 'token_type mac', macType, /Bearer/);
  proves(check.tokenExchangePublic, 'invalid_grant', refused, /not granted/);
  passesOn(check.pkceS256Confidential, 'a token response with an ID token', () => judge.judgeTokenExchange(GOOD));
  proves(check.pkceS256Confidential, 'no id_token', noIdToken, /id_token/);
  proves(check.pkceS256Confidential, 'token_type mac', macType, /Bearer/);
  proves(check.pkceS256Confidential, 'invalid_grant', refused, /not granted/);
  proves(check.tokenExchangeBasic, 'no code at all', () => judge.judgeCodeIssued(run({ error: 'access_denied' }), 'the code flow'), /access_denied/);

  const validIdToken = () => judge.judgeIdToken(GOOD, codeRun(), EXPECT);
  const withoutAtHash = async () => judge.judgeIdToken(await tokens(without('at_hash')), codeRun(), EXPECT);
  const wrongNonce = async () => judge.judgeIdToken(await tokens({ ...CLAIMS, nonce: 'other' }), codeRun(), EXPECT);
  const otherAudience = async () => judge.judgeIdToken(await tokens({ ...CLAIMS, aud: 'other-client' }), codeRun(), EXPECT);
  const wrongAtHash = async () => judge.judgeIdToken(await tokens({ ...CLAIMS, at_hash: halfHash('other', 'RS256') }), codeRun(), EXPECT);
  const rightCHash = async () => judge.judgeIdToken(await tokens({ ...CLAIMS, c_hash: halfHash('c0de-value-000', 'RS256') }), codeRun(), EXPECT);
  const wrongCHash = async () => judge.judgeIdToken(await tokens({ ...CLAIMS, c_hash: halfHash('another-code', 'RS256') }), codeRun(), EXPECT);
  passesOn(check.idTokenValidBasic, 'a valid ID token', validIdToken);
  passesOn(check.idTokenValidBasic, 'a valid ID token without at_hash', withoutAtHash);
  proves(check.idTokenValidBasic, 'a wrong nonce', wrongNonce, /nonce/);
  proves(check.idTokenValidBasic, 'another audience', otherAudience, /aud/);
  proves(check.idTokenValidBasic, 'a wrong at_hash', wrongAtHash, /at_hash/);
  passesOn(check.idTokenValidBasic, 'a valid ID token with the c_hash of the code', rightCHash);
  proves(check.idTokenValidBasic, 'a c_hash of another code', wrongCHash, /c_hash/);
  passesOn(check.idTokenOpenidScopeOnly, 'an ID token with sub and the protocol claims only', () => judge.judgeIdTokenOpenidScopeOnly(GOOD, 'openid'));
  proves(check.idTokenOpenidScopeOnly, 'an ID token carrying name and email for scope=openid', async () => judge.judgeIdTokenOpenidScopeOnly(await tokens({ ...CLAIMS, name: 'Alice', email: 'alice@example.com' }), 'openid'), /carries name \(profile\), email \(email\)/);
  proves(check.idTokenOpenidScopeOnly, 'an ID token carrying phone_number for scope=openid offline_access', async () => judge.judgeIdTokenOpenidScopeOnly(await tokens({ ...CLAIMS, phone_number: '+1 555' }), 'openid offline_access'), /phone_number \(phone\)/);
  passesOn(check.idTokenOpenidScopeOnly, 'an ID token carrying name for scope=openid profile', async () => judge.judgeIdTokenOpenidScopeOnly(await tokens({ ...CLAIMS, name: 'Alice' }), 'openid profile'));
  passesOn(check.idTokenValidPost, 'a valid ID token', validIdToken);
  passesOn(check.idTokenValidPost, 'a valid ID token without at_hash', withoutAtHash);
  proves(check.idTokenValidPost, 'a wrong nonce', wrongNonce, /nonce/);
  proves(check.idTokenValidPost, 'another audience', otherAudience, /aud/);
  proves(check.idTokenValidPost, 'a wrong at_hash', wrongAtHash, /at_hash/);
  passesOn(check.idTokenValidPost, 'a valid ID token with the c_hash of the code', rightCHash);
  proves(check.idTokenValidPost, 'a c_hash of another code', wrongCHash, /c_hash/);
  passesOn(check.idTokenValidPublic, 'a valid ID token', validIdToken);
  passesOn(check.idTokenValidPublic, 'a valid ID token without at_hash', withoutAtHash);
  proves(check.idTokenValidPublic, 'a wrong nonce', wrongNonce, /nonce/);
  proves(check.idTokenValidPublic, 'another audience', otherAudience, /aud/);
  proves(check.idTokenValidPublic, 'a wrong at_hash', wrongAtHash, /at_hash/);
  passesOn(check.idTokenValidPublic, 'a valid ID token with the c_hash of the code', rightCHash);
  proves(check.idTokenValidPublic, 'a c_hash of another code', wrongCHash, /c_hash/);

  passesOn(check.nonceInIdToken, 'the nonce sent', () => judge.judgeNonceInIdToken(GOOD, codeRun()));
  proves(check.nonceInIdToken, 'no nonce', async () => judge.judgeNonceInIdToken(await tokens(without('nonce')), codeRun()), /no nonce/);
  proves(check.nonceInIdToken, 'a trimmed nonce', async () => judge.judgeNonceInIdToken(await tokens({ ...CLAIMS, nonce: NONCE.slice(1) }), codeRun()), /differs/);

  passesOn(check.noNonceSucceeds, 'a code and an ID token without nonce', async () => judge.judgeNoNonce(codeRun(), await tokens(without('nonce'))));
  proves(check.noNonceSucceeds, 'invalid_request for the missing nonce', () => judge.judgeNoNonce(run({ error: 'invalid_request' }), undefined), /invalid_request/);
  proves(check.noNonceSucceeds, 'a nonce made up (a warning)', () => judge.judgeNoNonce(codeRun(), GOOD), /nonce/);

  passesOn(check.userinfoGet, 'the same sub', () => judge.judgeUserinfo(userinfo(200), 'GET', SUB, '#t'));
  proves(check.userinfoGet, 'another sub', () => judge.judgeUserinfo(userinfo(200, { sub: 'user-bob-0002' }), 'GET', SUB, '#t'), /sub/);
  passesOn(check.userinfoClientSecretPost, 'the same sub', () => judge.judgeUserinfo(userinfo(200), 'GET', SUB, '#t'));
  proves(check.userinfoClientSecretPost, 'another sub', () => judge.judgeUserinfo(userinfo(200, { sub: 'user-bob-0002' }), 'GET', SUB, '#t'), /sub/);
  proves(check.userinfoClientSecretPost, 'the token refused (401)', () => judge.judgeUserinfo(userinfo(401, { error: 'invalid_token' }), 'GET', SUB, '#t'));
  proves(check.userinfoPost, '401 for the form-body token', () => judge.judgeUserinfo(userinfo(401, ''), 'POST', SUB, '#t'), /not accepted/);

  passesOn(check.noStore, 'no-store and no-cache', () => judge.judgeNoStore(GOOD));
  proves(check.noStore, 'no Cache-Control', () => judge.judgeNoStore(exchange(200, { access_token: 'at', token_type: 'Bearer' }, { 'content-type': 'application/json' })), /no-store/);

  passesOn(check.expiresIn, 'expires_in 3600', () => judge.judgeExpiresIn(GOOD));
  proves(check.expiresIn, 'expires_in as a string', () => judge.judgeExpiresIn(exchange(200, { access_token: 'at', token_type: 'Bearer', expires_in: '3600' })), /JSON number/);
  proves(check.expiresIn, 'no expires_in (a warning)', () => judge.judgeExpiresIn(exchange(200, { access_token: 'at', token_type: 'Bearer' })), /no expires_in/);
});

describe('code-flow samples: request variants', () => {
  const redeems = () => judge.judgeFlowSucceeds(codeRun(), GOOD, 'the variant');
  const errorResponse = () => judge.judgeFlowSucceeds(run({ error: 'invalid_scope', state: STATE }), undefined, 'the variant');
  const notRedeemed = () => judge.judgeFlowSucceeds(codeRun(), error('invalid_grant'), 'the variant');
  passesOn(check.postAuthorizationRequest, 'a code that redeems', redeems);
  proves(check.postAuthorizationRequest, 'an error response', errorResponse, /invalid_scope/);
  proves(check.postAuthorizationRequest, 'a code that does not redeem', notRedeemed, /not granted/);
  passesOn(check.extraParametersIgnored, 'a code that redeems', redeems);
  proves(check.extraParametersIgnored, 'an error response', errorResponse, /invalid_scope/);
  proves(check.extraParametersIgnored, 'a code that does not redeem', notRedeemed, /not granted/);
  passesOn(check.unknownScopeIgnored, 'a code that redeems', redeems);
  proves(check.unknownScopeIgnored, 'an error response', errorResponse, /invalid_scope/);
  proves(check.unknownScopeIgnored, 'a code that does not redeem', notRedeemed, /not granted/);

  const jwtAccessToken = `e30.${Buffer.from(JSON.stringify({ scope: 'openid' })).toString('base64url')}.sig`;
  passesOn(check.scopeReturnedWhenChanged, 'scope in the response', () => judge.judgeScopeReturned(GOOD, ['openid', 'unknown']));
  passesOn(check.scopeReturnedWhenChanged, 'no scope and an opaque access token', () => judge.judgeScopeReturned(exchange(200, { access_token: 'at', token_type: 'Bearer' }), ['openid', 'unknown']));
  proves(check.scopeReturnedWhenChanged, 'no scope while the JWT access token says openid only', () => judge.judgeScopeReturned(exchange(200, { access_token: jwtAccessToken, token_type: 'Bearer' }), ['openid', 'unknown']), /leaves out scope/);
});

describe('code-flow samples: refused redemptions', () => {
  const accepted = GOOD;
  /** The refusal judge on its good answer, on tokens, and on the error code sent with HTTP 200. */
  const refusal = (errors: string[]) => ({
    good: () => judge.judgeRefused(error(errors[0]!), 'the attempt', errors),
    issued: () => judge.judgeRefused(accepted, 'the attempt', errors),
    status200: () => judge.judgeRefused(exchange(200, { error: errors[0] }), 'the attempt', errors),
  });
  const pkceWrongVerifierRefused = refusal(['invalid_grant']);
  passesOn(check.pkceWrongVerifierRefused, 'invalid_grant', pkceWrongVerifierRefused.good);
  proves(check.pkceWrongVerifierRefused, 'tokens issued', pkceWrongVerifierRefused.issued, /accepted/);
  proves(check.pkceWrongVerifierRefused, 'an error answered with HTTP 200', pkceWrongVerifierRefused.status200, /HTTP 400/);
  const pkceVerifierMissingRefused = refusal(['invalid_grant', 'invalid_request']);
  passesOn(check.pkceVerifierMissingRefused, 'invalid_grant', pkceVerifierMissingRefused.good);
  proves(check.pkceVerifierMissingRefused, 'tokens issued', pkceVerifierMissingRefused.issued, /accepted/);
  proves(check.pkceVerifierMissingRefused, 'an error answered with HTTP 200', pkceVerifierMissingRefused.status200, /HTTP 400/);
  const pkceChallengeAsVerifierRefused = refusal(['invalid_grant']);
  passesOn(check.pkceChallengeAsVerifierRefused, 'invalid_grant', pkceChallengeAsVerifierRefused.good);
  proves(check.pkceChallengeAsVerifierRefused, 'tokens issued', pkceChallengeAsVerifierRefused.issued, /accepted/);
  proves(check.pkceChallengeAsVerifierRefused, 'an error answered with HTTP 200', pkceChallengeAsVerifierRefused.status200, /HTTP 400/);
  const pkceShortVerifierRefused = refusal(['invalid_grant', 'invalid_request']);
  passesOn(check.pkceShortVerifierRefused, 'invalid_grant', pkceShortVerifierRefused.good);
  proves(check.pkceShortVerifierRefused, 'tokens issued', pkceShortVerifierRefused.issued, /accepted/);
  proves(check.pkceShortVerifierRefused, 'an error answered with HTTP 200', pkceShortVerifierRefused.status200, /HTTP 400/);
  const pkceDowngradeRefused = refusal(['invalid_grant', 'invalid_request']);
  passesOn(check.pkceDowngradeRefused, 'invalid_grant', pkceDowngradeRefused.good);
  proves(check.pkceDowngradeRefused, 'tokens issued', pkceDowngradeRefused.issued, /accepted/);
  proves(check.pkceDowngradeRefused, 'an error answered with HTTP 200', pkceDowngradeRefused.status200, /HTTP 400/);
  const codeBoundToClient = refusal(['invalid_grant']);
  passesOn(check.codeBoundToClient, 'invalid_grant', codeBoundToClient.good);
  proves(check.codeBoundToClient, 'tokens issued', codeBoundToClient.issued, /accepted/);
  proves(check.codeBoundToClient, 'an error answered with HTTP 200', codeBoundToClient.status200, /HTTP 400/);
  const redirectUriMismatchRefused = refusal(['invalid_grant']);
  passesOn(check.redirectUriMismatchRefused, 'invalid_grant', redirectUriMismatchRefused.good);
  proves(check.redirectUriMismatchRefused, 'tokens issued', redirectUriMismatchRefused.issued, /accepted/);
  proves(check.redirectUriMismatchRefused, 'an error answered with HTTP 200', redirectUriMismatchRefused.status200, /HTTP 400/);
  const publicClientIdRequired = refusal(['invalid_request', 'invalid_client', 'invalid_grant']);
  passesOn(check.publicClientIdRequired, 'invalid_request', publicClientIdRequired.good);
  proves(check.publicClientIdRequired, 'tokens issued', publicClientIdRequired.issued, /accepted/);
  proves(check.publicClientIdRequired, 'an error answered with HTTP 200', publicClientIdRequired.status200, /HTTP 400/);
  const codeReuseRefused = refusal(['invalid_grant']);
  passesOn(check.codeReuseRefused, 'invalid_grant', codeReuseRefused.good);
  proves(check.codeReuseRefused, 'tokens issued', codeReuseRefused.issued, /accepted/);
  proves(check.codeReuseRefused, 'an error answered with HTTP 200', codeReuseRefused.status200, /HTTP 400/);
  proves(check.pkceWrongVerifierRefused, 'unsupported_grant_type', () => judge.judgeRefused(error('unsupported_grant_type'), 'the attempt', ['invalid_grant']), /invalid_grant/);

  passesOn(check.clientAuthRequired, 'invalid_client', () => judge.judgeRefused(error('invalid_client', 401), 'no secret', ['invalid_client']));
  proves(check.clientAuthRequired, 'tokens for a client without its secret', () => judge.judgeRefused(accepted, 'no secret', ['invalid_client']), /accepted/);

  passesOn(check.redirectUriOmitted, 'invalid_request', () => judge.judgeRedirectUriOmitted(error('invalid_request')));
  proves(check.redirectUriOmitted, 'tokens without redirect_uri (a warning)', () => judge.judgeRedirectUriOmitted(accepted), /accepted/);
  proves(check.redirectUriOmitted, 'invalid_client', () => judge.judgeRedirectUriOmitted(error('invalid_client')), /invalid_request or invalid_grant/);

  passesOn(check.codeReuseRefused, 'first granted, second invalid_grant', () => judge.judgeReuseRefused(GOOD, error('invalid_grant')));
  proves(check.codeReuseRefused, 'both granted', () => judge.judgeReuseRefused(GOOD, GOOD), /accepted/);

  passesOn(check.pkceRequiredPublic, 'invalid_request', () => judge.judgePkceRequired(run({ error: 'invalid_request', state: STATE }), 'public'));
  passesOn(check.pkceRequiredPublic, 'a code when the policy is none', () => judge.judgePkceRequired(codeRun(), 'none'));
  proves(check.pkceRequiredPublic, 'a code without PKCE', () => judge.judgePkceRequired(codeRun(), 'public'), /without sending a code_challenge/);
  proves(check.pkceRequiredPublic, 'another error code', () => judge.judgePkceRequired(run({ error: 'server_error' }), 'all'), /server_error/);

  passesOn(check.pkcePlainDefault, 'plain advertised and redeemed', () => judge.judgePlainDefault(codeRun(), GOOD, true));
  passesOn(check.pkcePlainDefault, 'plain not offered: invalid_request', () => judge.judgePlainDefault(run({ error: 'invalid_request' }), undefined, false));
  proves(check.pkcePlainDefault, 'plain advertised but refused', () => judge.judgePlainDefault(run({ error: 'invalid_request' }), undefined, true), /discovery lists plain/);
  proves(check.pkcePlainDefault, 'the plain verifier refused', () => judge.judgePlainDefault(codeRun(), error('invalid_grant'), true), /not redeemed/);

  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  const jwtCode = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ code_challenge: challenge })).toString('base64url')}.sig`;
  passesOn(check.codeChallengeNotExposed, 'opaque codes', () => judge.judgeChallengeNotExposed([{ code: 'Xq3-opaque-code-value', exchange: '#1', challenge }]));
  proves(check.codeChallengeNotExposed, 'the challenge in a JWT code', () => judge.judgeChallengeNotExposed([{ code: jwtCode, exchange: '#1', challenge }]), /readably/);
  proves(check.codeChallengeNotExposed, 'the challenge inside the code', () => judge.judgeChallengeNotExposed([{ code: `x.${challenge}.y`, exchange: '#1', challenge }]), /readably/);

  const random = (n: number) => Array.from({ length: n }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'));
  passesOn(check.codeUnguessable, 'random 43-character codes', () => judge.judgeCodesUnguessable(random(6).map((code, i) => ({ code, exchange: `#${i}` }))));
  proves(check.codeUnguessable, 'a repeated code', () => judge.judgeCodesUnguessable([{ code: 'same-code', exchange: '#1' }, { code: 'same-code', exchange: '#2' }]), /twice/);
  proves(check.codeUnguessable, 'short codes', () => judge.judgeCodesUnguessable(['a1b2c3d4', 'e5f6a7b8'].map((code, i) => ({ code, exchange: `#${i}` }))), /bits/);
  proves(check.codeUnguessable, 'a long constant prefix with a short counter', () => judge.judgeCodesUnguessable(['0001', '0002', '0003'].map((n, i) => ({ code: `authorization-code-for-the-test-client-${n}`, exchange: `#${i}` }))), /bits/);
});

describe('code-flow samples: the refresh-token rule', () => {
  const withRt = exchange(200, { access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
  const without = exchange(200, { access_token: 'at', token_type: 'Bearer' });
  const matrix = (cells: [Exchange, Exchange, Exchange, Exchange]): judge.RefreshCombination[] => [
    { offlineAccess: false, promptConsent: false, redemption: cells[0] },
    { offlineAccess: false, promptConsent: true, redemption: cells[1] },
    { offlineAccess: true, promptConsent: false, redemption: cells[2] },
    { offlineAccess: true, promptConsent: true, redemption: cells[3] },
  ];
  passesOn(check.refreshTokenRule, 'offline_access+prompt_consent', () => judge.judgeRefreshRule(matrix([without, without, without, withRt]), 'offline_access+prompt_consent'));
  passesOn(check.refreshTokenRule, 'offline_access', () => judge.judgeRefreshRule(matrix([without, without, withRt, withRt]), 'offline_access'));
  passesOn(check.refreshTokenRule, 'never', () => judge.judgeRefreshRule(matrix([without, without, without, without]), 'never'));
  proves(check.refreshTokenRule, 'a refresh token without prompt=consent', () => judge.judgeRefreshRule(matrix([without, without, withRt, withRt]), 'offline_access+prompt_consent'), /does not allow/);
  proves(check.refreshTokenRule, 'no refresh token where due', () => judge.judgeRefreshRule(matrix([without, without, without, without]), 'offline_access+prompt_consent'), /issues one/);
  proves(check.refreshTokenRule, 'a cell that did not get a code', () => judge.judgeRefreshRule([{ offlineAccess: true, promptConsent: true, redemption: 'error=access_denied' }], 'always'), /access_denied/);

  const consentPage = page('<h1>Authorize</h1><li>Keep access while you are away (offline access: a refresh token)</li>');
  const asked = (exchanges: string[]) => run({ code: 'c' }, { interactions: ['consent'], exchanges });
  passesOn(check.offlineAccessConsent, 'consent shown, naming offline access', () => judge.judgeOfflineAccessConsent(asked(['#x']), asked([consentPage.id]), [consentPage]));
  proves(check.offlineAccessConsent, 'no consent page for prompt=consent', () => judge.judgeOfflineAccessConsent(run({ code: 'c' }, { interactions: [] }), asked([consentPage.id]), [consentPage]), /without showing/);
  proves(check.offlineAccessConsent, 'a consent page silent about offline access (a warning)', () => judge.judgeOfflineAccessConsent(asked(['#x']), asked(['#y']), [page('<h1>Authorize</h1><li>Your profile</li>')]), /offline/);

  const implicit = (extra: Record<string, string> = {}) => run({ access_token: 'at', token_type: 'Bearer', id_token: 'a.b.c', ...extra }, { via: 'fragment' });
  passesOn(check.offlineAccessNeedsCode, 'no refresh token', () => judge.judgeOfflineNeedsCode(implicit()));
  proves(check.offlineAccessNeedsCode, 'a refresh token in the fragment', () => judge.judgeOfflineNeedsCode(implicit({ refresh_token: 'rt' })), /refresh token/);
  proves(check.offlineAccessNeedsCode, 'offline_access granted (a warning)', () => judge.judgeOfflineNeedsCode(implicit({ scope: 'openid offline_access' })), /offline_access/);

  passesOn(check.refreshWorks, 'a refresh token that refreshes', () => judge.judgeRefreshWorks(withRt, exchange(200, { access_token: 'at2', token_type: 'Bearer' }), 'offline_access+prompt_consent'));
  proves(check.refreshWorks, 'no refresh token', () => judge.judgeRefreshWorks(without, undefined, 'offline_access+prompt_consent'), /no refresh token/);
  proves(check.refreshWorks, 'a refresh refused', () => judge.judgeRefreshWorks(withRt, error('invalid_grant'), 'always'), /not granted/);

  const policy = { rotation: 'always' as const, reuseRevokesFamily: true };
  const rotated = exchange(200, { access_token: 'at2', token_type: 'Bearer', refresh_token: 'rt2' });
  passesOn(check.refreshRotated, 'a new refresh token', () => refreshJudge.judgeRotation('rt', rotated, policy, false));
  proves(check.refreshRotated, 'the same refresh token back (a warning)', () => refreshJudge.judgeRotation('rt', exchange(200, { access_token: 'at2', token_type: 'Bearer', refresh_token: 'rt' }), policy, false), /same refresh token/);
  proves(check.refreshRotated, 'the retired token accepted again (a warning)', () => refreshJudge.judgeReuseRefused('rt', rotated, rotated, policy, false), /accepted again/);
  passesOn(check.refreshClientBound, 'invalid_grant', () => refreshJudge.judgeClientBound(error('invalid_grant')));
  proves(check.refreshClientBound, 'tokens for the other client', () => refreshJudge.judgeClientBound(rotated), /another client/);
});

describe('code-flow samples: tokens after reuse, races, revocation, logout', () => {
  const dead = [{ what: 'the access token', exchange: userinfo(401, '') }, { what: 'the refresh token', exchange: error('invalid_grant') }];
  const alive = [{ what: 'the access token', exchange: userinfo(200) }];
  const bothRefused = () => judge.judgeTokensDead(dead, 'after the reuse');
  const stillAccepted = () => judge.judgeTokensDead(alive, 'after the reuse');
  passesOn(check.codeReuseRevokesTokens, 'both refused', bothRefused);
  proves(check.codeReuseRevokesTokens, 'the access token still accepted', stillAccepted, /still works/);
  passesOn(check.parallelRedemptionRevokes, 'both refused', bothRefused);
  proves(check.parallelRedemptionRevokes, 'the access token still accepted', stillAccepted, /still works/);
  passesOn(check.raceTokensRevokedWithGrant, 'both refused', bothRefused);
  proves(check.raceTokensRevokedWithGrant, 'the access token still accepted', stillAccepted, /still works/);
  proves(check.codeReuseAfterDelay, 'the second redemption after the delay granted', () => judge.judgeReuseRefused(GOOD, GOOD), /accepted/);
  proves(check.codeReuseAfterDelay, 'tokens still working after the delay (a warning)', () => judge.judgeTokensDead(alive, 'later', { warnOnly: true }), /still works/);
  proves(check.raceTokensRevokedWithGrant, 'a raced refresh token still refreshing', () => judge.judgeTokensDead([{ what: 'the refresh token won', exchange: exchange(200, { access_token: 'at', token_type: 'Bearer' }) }], 'after revocation'), /still works/);

  const granted = () => exchange(200, { access_token: 'at', token_type: 'Bearer' });
  const oneWinner = () => judge.judgeAtMostOnce([granted(), error('invalid_grant'), error('invalid_grant'), error('invalid_grant'), error('invalid_grant')], 'one code');
  const noWinner = () => judge.judgeAtMostOnce([error('invalid_grant'), error('invalid_grant')], 'one code');
  const twoWinners = () => judge.judgeAtMostOnce([granted(), granted(), error('invalid_grant')], 'one code');
  passesOn(check.parallelRedemptionOnce, 'one success, four invalid_grant', oneWinner);
  passesOn(check.parallelRedemptionOnce, 'all refused', noWinner);
  proves(check.parallelRedemptionOnce, 'two successes', twoWinners, /succeeded 2 times/);
  passesOn(check.parallelRedemptionPerNode, 'one success, four invalid_grant', oneWinner);
  passesOn(check.parallelRedemptionPerNode, 'all refused', noWinner);
  proves(check.parallelRedemptionPerNode, 'two successes', twoWinners, /succeeded 2 times/);
  passesOn(check.parallelRefreshOnce, 'one success, four invalid_grant', oneWinner);
  passesOn(check.parallelRefreshOnce, 'all refused', noWinner);
  proves(check.parallelRefreshOnce, 'two successes', twoWinners, /succeeded 2 times/);

  const policy = { rotation: 'always' as const, reuseRevokesFamily: true };
  const winner = exchange(200, { access_token: 'at2', token_type: 'Bearer', refresh_token: 'rt2' });
  passesOn(check.parallelRefreshRevokesFamily, "the winner's refresh token refused", () => refreshJudge.judgeFamilyRevoked('rt', winner, error('invalid_grant'), error('invalid_grant'), policy, true));
  proves(check.parallelRefreshRevokesFamily, "the winner's refresh token still refreshing", () => refreshJudge.judgeFamilyRevoked('rt', winner, error('invalid_grant'), granted(), policy, true), /still refreshes/);

  const revoked = exchange(200, '', { 'content-type': 'text/plain' }, `${ISSUER}/token/revocation`);
  passesOn(check.revocationImmediate, 'both refused at once', () => judge.judgeRevocationImmediate(revoked, error('invalid_grant'), userinfo(401, '')));
  proves(check.revocationImmediate, 'the revoked refresh token still refreshing', () => judge.judgeRevocationImmediate(revoked, granted(), userinfo(401, '')), /still refreshes/);
  proves(check.revocationImmediate, 'the access token still accepted (a warning)', () => judge.judgeRevocationImmediate(revoked, error('invalid_grant'), userinfo(200)), /access token/);

  const signedOut = page('<p id="logged-out">You are signed out.</p>');
  const logout: AuthorizationResult = { outcome: 'page', params: {}, paramList: [], interactions: [], exchanges: [signedOut.id], requestUrl: `${ISSUER}/session/end` };
  passesOn(check.logoutEndsSilentLogin, 'login_required after the logout', () => judge.judgeLogoutEndsSilentLogin(logout, [signedOut], run({ error: 'login_required', state: STATE })));
  proves(check.logoutEndsSilentLogin, 'a code after the logout', () => judge.judgeLogoutEndsSilentLogin(logout, [signedOut], codeRun()), /still got a code/);
});

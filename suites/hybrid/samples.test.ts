// Each hybrid check, proven on a bad sample (and passing on a good one).
import { describe } from 'vitest';
import { ISSUER, REDIRECT_URI, STATE, SUB, type SampleSpec, halfHash, idTokenClaims, jsonExchange, observed, sampleKeys } from '../support/authorization-samples.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const keys = await sampleKeys();
const CODE = 'hybrid-code-sample';
const ACCESS_TOKEN = 'hybrid-access-token-sample';
const BACK_ACCESS_TOKEN = 'hybrid-back-access-token';
const idToken = (extra: Record<string, unknown> = {}) => keys.sign(idTokenClaims(extra));
const HASHES = { c_hash: halfHash(CODE, 'RS256'), at_hash: halfHash(ACCESS_TOKEN, 'RS256') };
const FRONT_CODE_ID_TOKEN = await idToken({ c_hash: HASHES.c_hash });
const FRONT_ALL = await idToken(HASHES);
const BACK = await idToken({ at_hash: halfHash(BACK_ACCESS_TOKEN, 'RS256') });

const response = (responseType: string, params: Record<string, string>, extra: Partial<SampleSpec> = {}) => observed({ responseType, params: { ...params, state: STATE, iss: ISSUER }, ...extra });
const codeIdToken = (id_token = FRONT_CODE_ID_TOKEN, extra: Partial<SampleSpec> = {}) => response('code id_token', { code: CODE, id_token }, extra);
const codeToken = (params: Record<string, string> = { code: CODE, access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: '3600' }) => response('code token', params);
const codeIdTokenToken = (id_token = FRONT_ALL) => response('code id_token token', { code: CODE, id_token, access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: '3600' });
const tokenResponse = (body: Record<string, unknown> = { access_token: BACK_ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, id_token: BACK }, status = 200) => jsonExchange(status, body, 'POST', `${ISSUER}/token`);
const claims = (extra: Record<string, unknown> = {}) => idTokenClaims(extra);

describe('hybrid samples', () => {
  passesOn(check.codeIdTokenResponse, 'code and id_token', () => judge.judgeSuccessParameters(codeIdToken()));
  proves(check.codeIdTokenResponse, 'server_error (WSO2 product-is #10408)', () => judge.judgeSuccessParameters(response('code id_token', { error: 'server_error' })), /server_error/);
  proves(check.codeIdTokenResponse, 'no id_token', () => judge.judgeSuccessParameters(response('code id_token', { code: CODE })), /lacks id_token/);

  passesOn(check.codeTokenResponse, 'code, access_token, token_type', () => judge.judgeSuccessParameters(codeToken()));
  proves(check.codeTokenResponse, 'no token_type', () => judge.judgeSuccessParameters(codeToken({ code: CODE, access_token: ACCESS_TOKEN })), /token_type/);
  proves(check.codeTokenResponse, 'no code', () => judge.judgeSuccessParameters(codeToken({ access_token: ACCESS_TOKEN, token_type: 'Bearer' })), /lacks code/);

  passesOn(check.codeIdTokenTokenResponse, 'all four', () => judge.judgeSuccessParameters(codeIdTokenToken()));
  proves(check.codeIdTokenTokenResponse, 'no access_token', () => judge.judgeSuccessParameters(response('code id_token token', { code: CODE, id_token: FRONT_ALL, token_type: 'Bearer' })), /access_token/);

  passesOn(check.responseInFragment, 'the fragment', () => judge.judgeDelivery(codeIdTokenToken(), 'fragment', 'sample'));
  proves(check.responseInFragment, 'the query', () => judge.judgeDelivery(codeIdToken(undefined, { via: 'query' }), 'fragment', 'sample'), /query/);
  proves(check.responseInFragment, 'the code in the query, the id_token in the fragment', () =>
    judge.judgeDelivery(codeIdToken(undefined, { location: `${REDIRECT_URI}?code=${CODE}#id_token=${FRONT_CODE_ID_TOKEN}&state=${STATE}` }), 'fragment', 'sample'), /code travelled in the query/);

  passesOn(check.stateEchoed, 'state everywhere', () => judge.judgeStateEchoed([codeIdToken(), codeToken(), response('code id_token', { error: 'invalid_request' })]));
  proves(check.stateEchoed, 'no state in an error', () => judge.judgeStateEchoed([observed({ responseType: 'code id_token', params: { error: 'login_required' } })]), /leaves out state/);

  passesOn(check.frontIdTokenValid, 'valid front-channel ID tokens', async () => {
    await judge.judgeFrontIdToken(codeIdToken(), keys.context);
    await judge.judgeFrontIdToken(codeIdTokenToken(), keys.context);
  });
  proves(check.frontIdTokenValid, 'no c_hash', async () => judge.judgeFrontIdToken(codeIdToken(await idToken()), keys.context), /c_hash/);
  proves(check.frontIdTokenValid, 'no nonce', async () => judge.judgeFrontIdToken(codeIdToken(await idToken({ c_hash: HASHES.c_hash, nonce: undefined })), keys.context), /nonce/);
  proves(check.frontIdTokenValid, 'expired', async () => judge.judgeFrontIdToken(codeIdToken(await idToken({ c_hash: HASHES.c_hash, exp: 1000, iat: 900 })), keys.context), /exp/);
  proves(check.frontIdTokenValid, 'wrong at_hash', async () => judge.judgeFrontIdToken(codeIdTokenToken(await idToken({ ...HASHES, at_hash: 'x' })), keys.context), /at_hash/);

  passesOn(check.cHash, 'a right c_hash', () => judge.judgeTokenHash(codeIdToken(), 'c_hash'));
  proves(check.cHash, 'c_hash missing', async () => judge.judgeTokenHash(codeIdToken(await idToken()), 'c_hash'), /no c_hash/);
  proves(check.cHash, 'c_hash over another code', async () => judge.judgeTokenHash(codeIdToken(await idToken({ c_hash: halfHash('other', 'RS256') })), 'c_hash'), /does not match/);

  passesOn(check.atHash, 'a right at_hash', () => judge.judgeTokenHash(codeIdTokenToken(), 'at_hash'));
  proves(check.atHash, 'at_hash missing', () => judge.judgeTokenHash(codeIdTokenToken(FRONT_CODE_ID_TOKEN), 'at_hash'), /no at_hash/);

  passesOn(check.codeExchange, 'a token response', () => judge.judgeCodeExchange(tokenResponse()));
  proves(check.codeExchange, 'invalid_grant for a fresh code', () => judge.judgeCodeExchange(tokenResponse({ error: 'invalid_grant' }, 400)), /not granted/);
  proves(check.codeExchange, 'no id_token', () => judge.judgeCodeExchange(tokenResponse({ access_token: 'a', token_type: 'Bearer' })), /id_token/);

  passesOn(check.idTokenOpenidScopeOnly, 'front and back ID tokens with the protocol claims only', () => judge.judgeOpenidScopeOnly([codeIdToken(), codeIdTokenToken()], [{ exchange: tokenResponse(), o: codeIdToken() }]));
  proves(check.idTokenOpenidScopeOnly, 'a front ID token carrying name for scope=openid', async () =>
    judge.judgeOpenidScopeOnly([codeIdToken(await idToken({ c_hash: HASHES.c_hash, name: 'Alice' }))], []), /authorization endpoint's ID token of response_type=code id_token carries name \(profile\)/);
  proves(check.idTokenOpenidScopeOnly, 'a token-endpoint ID token carrying address for scope=openid', async () =>
    judge.judgeOpenidScopeOnly([codeIdToken()], [{ exchange: tokenResponse({ access_token: BACK_ACCESS_TOKEN, token_type: 'Bearer', id_token: await idToken({ address: { country: 'NL' } }) }), o: codeIdToken() }]), /token endpoint's ID token of response_type=code id_token carries address \(address\)/);
  passesOn(check.tokenIdTokenValid, 'a valid token-endpoint ID token', async () => judge.judgeBackIdToken(tokenResponse(), codeIdToken(), keys.context));
  passesOn(check.tokenIdTokenValid, 'without at_hash and c_hash (they MAY be left out)', async () =>
    judge.judgeBackIdToken(tokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: await idToken() }), codeIdToken(), keys.context));
  proves(check.tokenIdTokenValid, 'no nonce', async () => judge.judgeBackIdToken(tokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: await idToken({ nonce: undefined }) }), codeIdToken(), keys.context), /nonce/);
  proves(check.tokenIdTokenValid, 'a wrong c_hash', async () =>
    judge.judgeBackIdToken(tokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: await idToken({ c_hash: 'wrong' }) }), codeIdToken(), keys.context), /c_hash/);
  proves(check.tokenIdTokenValid, 'an at_hash over the front-channel token', async () =>
    judge.judgeBackIdToken(tokenResponse({ access_token: BACK_ACCESS_TOKEN, token_type: 'Bearer', id_token: await idToken({ at_hash: HASHES.at_hash }) }), codeIdToken(), keys.context), /at_hash/);

  passesOn(check.sameIssSub, 'the same iss and sub', () => judge.judgeSameIssSub(claims(), claims(), ['#1'], 'sample'));
  proves(check.sameIssSub, 'another sub at the token endpoint', () => judge.judgeSameIssSub(claims(), claims({ sub: `${SUB}-other` }), ['#1'], 'sample'), /sub differs/);
  proves(check.sameIssSub, 'another iss at the token endpoint', () => judge.judgeSameIssSub(claims(), claims({ iss: `${ISSUER}/x` }), ['#1'], 'sample'), /iss differs/);

  passesOn(check.authClaimsConsistent, 'the same auth_time and amr', () => judge.judgeAuthClaims(claims({ amr: ['pwd'] }), claims({ amr: ['pwd'], name: 'Alice' }), ['#1'], 'sample'));
  proves(check.authClaimsConsistent, 'auth_time only in the front token', () => judge.judgeAuthClaims(claims(), claims({ auth_time: undefined }), ['#1'], 'sample'), /auth_time/);
  proves(check.authClaimsConsistent, 'two different names', () => judge.judgeAuthClaims(claims({ name: 'Alice' }), claims({ name: 'Bob' }), ['#1'], 'sample'), /name differ/);

  passesOn(check.nonceRequired, 'invalid_request', () => judge.judgeRefused(response('code id_token', { error: 'invalid_request' }), 'sample', ['invalid_request']));
  proves(check.nonceRequired, 'a code and an ID token without nonce', () => judge.judgeRefused(codeIdToken(), 'sample', ['invalid_request']), /granted/);

  passesOn(check.codeTokenWithoutNonce, 'a code token response', () => judge.judgeSuccessParameters(codeToken()));
  proves(check.codeTokenWithoutNonce, 'invalid_request for the missing nonce', () => judge.judgeSuccessParameters(response('code token', { error: 'invalid_request', error_description: 'nonce is required' })), /invalid_request/);

  passesOn(check.codeReuseRefused, 'invalid_grant', () => judge.judgeInvalidGrant(tokenResponse({ error: 'invalid_grant' }, 400)));
  proves(check.codeReuseRefused, 'tokens for a used code', () => judge.judgeInvalidGrant(tokenResponse()), /invalid_grant/);

  passesOn(check.codeBoundToClient, 'invalid_grant', () => judge.judgeInvalidGrant(tokenResponse({ error: 'invalid_grant' }, 400)));
  proves(check.codeBoundToClient, 'tokens for another client', () => judge.judgeInvalidGrant(tokenResponse()), /invalid_grant/);

  passesOn(check.pkceRoundTrip, 'a token response', () => judge.judgeCodeExchange(tokenResponse()));
  proves(check.pkceRoundTrip, 'the verifier refused', () => judge.judgeCodeExchange(tokenResponse({ error: 'invalid_grant' }, 400)), /not granted/);

  passesOn(check.clientSecretPost, 'a token response', () => judge.judgeCodeExchange(tokenResponse()));
  proves(check.clientSecretPost, 'invalid_client', () => judge.judgeCodeExchange(tokenResponse({ error: 'invalid_client' }, 401)), /not granted/);

  passesOn(check.promptNoneWithoutSession, 'login_required', () => judge.judgePromptNoneWithoutSession(response('code id_token', { error: 'login_required' })));
  proves(check.promptNoneWithoutSession, 'a code', () => judge.judgePromptNoneWithoutSession(codeIdToken()), /carries code/);

  passesOn(check.errorsInFragment, 'errors in the fragment', () => judge.judgeErrorsDelivered([response('code token', { error: 'login_required' })]));
  proves(check.errorsInFragment, 'an error in the query', () => judge.judgeErrorsDelivered([response('code id_token', { error: 'invalid_request' }, { via: 'query' })]), /not in the fragment/);

  passesOn(check.issParameter, 'iss on every response', () => judge.judgeIssParameter([codeIdToken(), codeToken()], { authorization_response_iss_parameter_supported: true }, ISSUER));
  proves(check.issParameter, 'another iss', () => judge.judgeIssParameter([observed({ responseType: 'code token', params: { code: CODE, access_token: 'a', token_type: 'Bearer', state: STATE, iss: 'https://attacker.example' } })], { authorization_response_iss_parameter_supported: true }, ISSUER), /differs from the issuer/);

  passesOn(check.expiresIn, 'expires_in', () => judge.judgeExpiresIn(codeToken()));
  proves(check.expiresIn, 'no expires_in', () => judge.judgeExpiresIn(codeToken({ code: CODE, access_token: 'a', token_type: 'Bearer' })), /expires_in/);

  passesOn(check.userinfoClientSecretPost, 'the same sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: SUB }), SUB));
  proves(check.userinfoClientSecretPost, 'another sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: 'x' }), SUB), /differs/);
  proves(check.userinfoClientSecretPost, 'the token refused', () => judge.judgeUserinfoSub(jsonExchange(401, { error: 'invalid_token' }), SUB), /refused the access token: HTTP 401/);
  passesOn(check.userinfoGet, 'the same sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: SUB }), SUB));
  proves(check.userinfoGet, 'another sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: 'x' }), SUB), /differs/);
  passesOn(check.userinfoPost, 'the same sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: SUB }, 'POST'), SUB));
  proves(check.userinfoPost, 'no sub', () => judge.judgeUserinfoSub(jsonExchange(200, { name: 'x' }, 'POST'), SUB), /differs/);

  passesOn(check.unregisteredRedirectRefused, 'an error page', () => judge.judgeNoRedirect(observed({ responseType: 'code id_token', outcome: 'page' })));
  proves(check.unregisteredRedirectRefused, 'a redirect there', () => judge.judgeNoRedirect(codeIdToken()), /unregistered/);
});

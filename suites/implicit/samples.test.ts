// Each implicit check, proven on a bad sample (and passing on a good one).
import { describe } from 'vitest';
import { ISSUER, NONCE, REDIRECT_URI, STATE, type SampleSpec, halfHash, idTokenClaims, jsonExchange, observed, sampleKeys } from '../support/authorization-samples.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const keys = await sampleKeys();
const ACCESS_TOKEN = 'implicit-access-token-sample';
const idToken = (extra: Record<string, unknown> = {}, header?: Record<string, unknown>) => keys.sign(idTokenClaims(extra), header);
const GOOD_ID_TOKEN = await idToken();
const GOOD_WITH_AT = await idToken({ at_hash: halfHash(ACCESS_TOKEN, 'RS256') });

const idTokenResponse = (params: Record<string, string> = { id_token: GOOD_ID_TOKEN, state: STATE, iss: ISSUER }, extra: Partial<SampleSpec> = {}) =>
  observed({ responseType: 'id_token', params, ...extra });
const tokenResponse = (params: Record<string, string> = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: '3600', id_token: GOOD_WITH_AT, state: STATE, iss: ISSUER }, extra: Partial<SampleSpec> = {}) =>
  observed({ responseType: 'id_token token', params, ...extra });
const error = (code: string, extra: Partial<SampleSpec> = {}, responseType = 'id_token') =>
  observed({ responseType, params: { error: code, state: STATE, iss: ISSUER }, ...extra });

describe('implicit samples', () => {
  passesOn(check.idTokenResponse, 'an id_token with state', () => judge.judgeSuccessParameters(idTokenResponse()));
  proves(check.idTokenResponse, 'no id_token', () => judge.judgeSuccessParameters(idTokenResponse({ state: STATE })), /lacks id_token/);
  proves(check.idTokenResponse, 'an error instead of an id_token', () => judge.judgeSuccessParameters(error('server_error')), /server_error/);
  proves(check.idTokenResponse, 'an access token beside it (a warning)', () => judge.judgeSuccessParameters(idTokenResponse({ id_token: GOOD_ID_TOKEN, access_token: 'x', token_type: 'Bearer', state: STATE })), /access_token/);
  proves(check.idTokenResponse, 'an error page', () => judge.judgeSuccessParameters(observed({ responseType: 'id_token', outcome: 'page' })), /did not answer/);

  passesOn(check.idTokenTokenResponse, 'id_token, access_token and token_type bearer', () => judge.judgeSuccessParameters(tokenResponse({ access_token: 'a', token_type: 'bearer', id_token: GOOD_ID_TOKEN })));
  proves(check.idTokenTokenResponse, 'no access_token', () => judge.judgeSuccessParameters(tokenResponse({ id_token: GOOD_ID_TOKEN, token_type: 'Bearer' })), /access_token/);
  proves(check.idTokenTokenResponse, 'token_type mac', () => judge.judgeSuccessParameters(tokenResponse({ id_token: GOOD_ID_TOKEN, access_token: 'a', token_type: 'mac' })), /Bearer/);
  proves(check.idTokenTokenResponse, 'a code beside the tokens (a warning)', () => judge.judgeSuccessParameters(tokenResponse({ id_token: GOOD_ID_TOKEN, access_token: 'a', token_type: 'Bearer', code: 'c' })), /code/);
  proves(check.idTokenTokenResponse, 'access_token repeated', () => {
    const o = tokenResponse();
    o.run.result.paramList.push(['access_token', 'another']);
    judge.judgeSuccessParameters(o);
  }, /repeated/);

  passesOn(check.responseInFragment, 'a fragment response', () => judge.judgeDelivery(tokenResponse(), 'fragment', 'sample'));
  proves(check.responseInFragment, 'tokens in the query', () => judge.judgeDelivery(tokenResponse(undefined, { via: 'query' }), 'fragment', 'sample'), /query/);
  proves(check.responseInFragment, 'the fragment plus an id_token in the query', () => judge.judgeDelivery(idTokenResponse(undefined, { location: `${REDIRECT_URI}?id_token=${GOOD_ID_TOKEN}#id_token=${GOOD_ID_TOKEN}&state=${STATE}` }), 'fragment', 'sample'), /query string/);
  proves(check.responseInFragment, 'a form_post nobody asked for', () => judge.judgeDelivery(tokenResponse(undefined, { via: 'form_post' }), 'fragment', 'sample'), /form_post/);

  passesOn(check.stateEchoed, 'state on success and error', () => judge.judgeStateEchoed([idTokenResponse(), error('login_required')]));
  proves(check.stateEchoed, 'an error without state', () => judge.judgeStateEchoed([idTokenResponse(), observed({ responseType: 'id_token', params: { error: 'login_required' } })]), /leaves out state/);
  proves(check.stateEchoed, 'state changed', () => judge.judgeStateEchoed([idTokenResponse({ id_token: GOOD_ID_TOKEN, state: `${STATE}x` })]), /differs/);
  proves(check.stateEchoed, 'state repeated', () => {
    const o = idTokenResponse();
    o.run.result.paramList.push(['state', STATE]);
    judge.judgeStateEchoed([o]);
  }, /repeated/);

  passesOn(check.idTokenValid, 'valid ID tokens of both types', async () => {
    await judge.judgeImplicitIdToken(idTokenResponse(), keys.context);
    await judge.judgeImplicitIdToken(tokenResponse(), keys.context);
  });
  proves(check.idTokenValid, 'no nonce', async () => judge.judgeImplicitIdToken(idTokenResponse({ id_token: await idToken({ nonce: undefined }) }), keys.context), /nonce/);
  proves(check.idTokenValid, 'another nonce', async () => judge.judgeImplicitIdToken(idTokenResponse({ id_token: await idToken({ nonce: `${NONCE}-x` }) }), keys.context), /nonce/);
  proves(check.idTokenValid, 'another audience', async () => judge.judgeImplicitIdToken(idTokenResponse({ id_token: await idToken({ aud: 'someone-else' }) }), keys.context), /aud/);
  proves(check.idTokenValid, 'an unknown kid', async () => judge.judgeImplicitIdToken(idTokenResponse({ id_token: await idToken({}, { kid: 'k2' }) }), keys.context), /kid/);
  proves(check.idTokenValid, 'alg none', async () => {
    const [, payload] = GOOD_ID_TOKEN.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await judge.judgeImplicitIdToken(idTokenResponse({ id_token: unsigned }), keys.context);
  }, /unsigned/);
  proves(check.idTokenValid, 'a wrong at_hash beside the access token', async () => judge.judgeImplicitIdToken(tokenResponse({ access_token: ACCESS_TOKEN, token_type: 'Bearer', id_token: await idToken({ at_hash: halfHash(`${ACCESS_TOKEN}x`, 'RS256') }) }), keys.context), /at_hash/);
  proves(check.idTokenValid, 'another sub than the test user', async () => judge.judgeImplicitIdToken(idTokenResponse({ id_token: await idToken({ sub: 'someone' }) }), keys.context), /sub/);

  passesOn(check.atHash, 'a right at_hash', () => judge.judgeAtHash(tokenResponse()));
  proves(check.atHash, 'no at_hash', () => judge.judgeAtHash(tokenResponse({ access_token: ACCESS_TOKEN, token_type: 'Bearer', id_token: GOOD_ID_TOKEN })), /no at_hash/);
  proves(check.atHash, 'an at_hash over something else', async () => judge.judgeAtHash(tokenResponse({ access_token: ACCESS_TOKEN, token_type: 'Bearer', id_token: await idToken({ at_hash: halfHash('other', 'RS256') }) })), /does not match/);

  passesOn(check.idTokenOpenidScopeOnly, 'ID tokens with sub and the protocol claims only', () => judge.judgeOpenidScopeOnly([idTokenResponse(), tokenResponse()]));
  proves(check.idTokenOpenidScopeOnly, 'an id_token ID token carrying name for scope=openid', async () =>
    judge.judgeOpenidScopeOnly([idTokenResponse({ id_token: await idToken({ name: 'Alice' }), state: STATE, iss: ISSUER }), tokenResponse()]), /response_type=id_token carries name \(profile\)/);
  proves(check.idTokenOpenidScopeOnly, 'an id_token token ID token carrying email for scope=openid', async () =>
    judge.judgeOpenidScopeOnly([tokenResponse({ access_token: ACCESS_TOKEN, token_type: 'Bearer', id_token: await idToken({ at_hash: halfHash(ACCESS_TOKEN, 'RS256'), email: 'a@example.com' }), state: STATE, iss: ISSUER })]), /email \(email\)/);
  passesOn(check.noAtHashWithoutAccessToken, 'no at_hash', () => judge.judgeNoAtHash(idTokenResponse()));
  proves(check.noAtHashWithoutAccessToken, 'at_hash with no access token', () => judge.judgeNoAtHash(idTokenResponse({ id_token: GOOD_WITH_AT })), /at_hash/);

  passesOn(check.nonceRequired, 'invalid_request', () => judge.judgeRefused(error('invalid_request'), 'sample', ['invalid_request']));
  passesOn(check.nonceRequired, 'an error page', () => judge.judgeRefused(observed({ responseType: 'id_token', outcome: 'page' }), 'sample', ['invalid_request']));
  proves(check.nonceRequired, 'an ID token issued without nonce', () => judge.judgeRefused(idTokenResponse(), 'sample', ['invalid_request']), /granted/);
  proves(check.nonceRequired, 'another error code (a warning)', () => judge.judgeRefused(error('server_error'), 'sample', ['invalid_request']), /server_error/);

  passesOn(check.noRefreshToken, 'no refresh token', () => judge.judgeNoRefreshToken(tokenResponse()));
  proves(check.noRefreshToken, 'a refresh token in the fragment', () => judge.judgeNoRefreshToken(tokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: GOOD_ID_TOKEN, refresh_token: 'r' })), /refresh token/);

  passesOn(check.expiresIn, 'expires_in 3600', () => judge.judgeExpiresIn(tokenResponse()));
  proves(check.expiresIn, 'no expires_in', () => judge.judgeExpiresIn(tokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: GOOD_ID_TOKEN })), /expires_in/);
  proves(check.expiresIn, 'expires_in in milliseconds text', () => judge.judgeExpiresIn(tokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: GOOD_ID_TOKEN, expires_in: '1h' })), /positive/);

  passesOn(check.promptNoneWithoutSession, 'login_required', () => judge.judgePromptNoneWithoutSession(error('login_required')));
  proves(check.promptNoneWithoutSession, 'a login page', () => judge.judgePromptNoneWithoutSession(observed({ responseType: 'id_token', outcome: 'page' })), /did not answer/);
  proves(check.promptNoneWithoutSession, 'the login form shown, then tokens', () => judge.judgePromptNoneWithoutSession(idTokenResponse(undefined, { interactions: ['login'] })), /login/);
  proves(check.promptNoneWithoutSession, 'invalid_request', () => judge.judgePromptNoneWithoutSession(error('invalid_request')), /login_required/);

  passesOn(check.errorsInFragment, 'errors in the fragment', () => judge.judgeErrorsDelivered([idTokenResponse(), error('login_required'), error('invalid_request', {}, 'id_token token')]));
  proves(check.errorsInFragment, 'an error in the query', () => judge.judgeErrorsDelivered([error('login_required', { via: 'query' })]), /not in the fragment/);

  passesOn(check.issParameter, 'iss on every response', () => judge.judgeIssParameter([idTokenResponse(), error('login_required')], { authorization_response_iss_parameter_supported: true }, ISSUER));
  proves(check.issParameter, 'an error without iss', () => judge.judgeIssParameter([idTokenResponse(), observed({ responseType: 'id_token', params: { error: 'login_required', state: STATE } })], { authorization_response_iss_parameter_supported: true }, ISSUER), /no iss/);
  proves(check.issParameter, 'iss differing from the ID token', async () => judge.judgeIssParameter([idTokenResponse({ id_token: await idToken({ iss: `${ISSUER}/other` }), state: STATE, iss: ISSUER })], { authorization_response_iss_parameter_supported: true }, ISSUER), /ID token's iss/);
  proves(check.issParameter, 'iss sent but not advertised', () => judge.judgeIssParameter([idTokenResponse()], {}, ISSUER), /does not set/);

  passesOn(check.userinfoGet, 'the same sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: 'user-alice-0001' }), 'user-alice-0001'));
  proves(check.userinfoGet, 'another sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: 'other' }), 'user-alice-0001'), /differs/);
  proves(check.userinfoGet, 'a 401', () => judge.judgeUserinfoSub(jsonExchange(401, { error: 'invalid_token' }), 'user-alice-0001'), /refused/);
  passesOn(check.userinfoPost, 'the same sub', () => judge.judgeUserinfoSub(jsonExchange(200, { sub: 'user-alice-0001' }, 'POST'), 'user-alice-0001'));
  proves(check.userinfoPost, 'POST refused with 405', () => judge.judgeUserinfoSub(jsonExchange(405, { error: 'invalid_request' }, 'POST'), 'user-alice-0001'), /refused/);

  passesOn(check.scopeClaimsInIdToken, 'email in the ID token', async () =>
    judge.judgeScopeClaims(idTokenResponse({ id_token: await idToken({ email: 'a@example.com', email_verified: true }) }), jsonExchange(200, { sub: 'x', email: 'a@example.com', email_verified: true })));
  proves(check.scopeClaimsInIdToken, 'email only in UserInfo', () => judge.judgeScopeClaims(idTokenResponse(), jsonExchange(200, { sub: 'x', email: 'a@example.com' })), /lacks email/);

  passesOn(check.unregisteredRedirectRefused, 'an error page', () => judge.judgeNoRedirect(observed({ responseType: 'id_token', outcome: 'page' })));
  proves(check.unregisteredRedirectRefused, 'a redirect to the unregistered URI', () => judge.judgeNoRedirect(error('invalid_request', { redirectUri: `${REDIRECT_URI}/x` })), /unregistered/);
});

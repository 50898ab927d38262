// Each response-mode check, proven on a bad sample (and passing on a good one).
import { describe } from 'vitest';
import { ISSUER, REDIRECT_URI, STATE, type SampleSpec, halfHash, idTokenClaims, observed, sampleKeys } from '../support/authorization-samples.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const keys = await sampleKeys();
const CODE = 'code-sample';
const ACCESS_TOKEN = 'access-token-sample';
const ID_TOKEN = await keys.sign(idTokenClaims({ c_hash: halfHash(CODE, 'RS256') }));
const PARAMS: Record<string, Record<string, string>> = {
  code: { code: CODE },
  id_token: { id_token: await keys.sign(idTokenClaims()) },
  'code id_token': { code: CODE, id_token: ID_TOKEN },
  'id_token token': { access_token: ACCESS_TOKEN, token_type: 'Bearer', id_token: await keys.sign(idTokenClaims({ at_hash: halfHash(ACCESS_TOKEN, 'RS256') })) },
};

const response = (responseType: string, extra: Partial<SampleSpec> = {}, params = PARAMS[responseType]!) =>
  observed({ responseType, params: { ...params, state: STATE, iss: ISSUER }, ...extra });
const formPost = (responseType: string, extra: Partial<SampleSpec> = {}, params?: Record<string, string>) =>
  response(responseType, { via: 'form_post', request: { response_mode: 'form_post' }, ...extra }, params);

describe('response-modes samples', () => {
  passesOn(check.defaultModes, 'code in the query, the rest in the fragment', () => judge.judgeDefaultModes([response('code'), response('id_token'), response('code id_token')]));
  proves(check.defaultModes, 'code in the fragment by default', () => judge.judgeDefaultModes([response('code', { via: 'fragment' })]), /not in the query/);
  proves(check.defaultModes, 'code id_token in the query by default', () => judge.judgeDefaultModes([response('code id_token', { via: 'query' })]), /not in the fragment/);

  passesOn(check.explicitDefaultAccepted, 'code with response_mode=query in the query', () => {
    const o = response('code', { request: { response_mode: 'query' } });
    judge.judgeSuccessParameters(o);
    judge.judgeDelivery(o, 'query', 'sample');
  });
  proves(check.explicitDefaultAccepted, 'invalid_request for an explicit query', () => judge.judgeSuccessParameters(response('code', { request: { response_mode: 'query' } }, { error: 'invalid_request' })), /invalid_request/);

  passesOn(check.requestedModeHonoured, 'code and its error in the fragment', () => {
    judge.judgeRequestedMode(response('code', { via: 'fragment', request: { response_mode: 'fragment' } }));
    judge.judgeRequestedMode(response('code', { via: 'fragment', request: { response_mode: 'fragment', prompt: 'none' } }, { error: 'login_required' }));
  });
  proves(check.requestedModeHonoured, 'the error in the query (the default) though fragment was asked for', () =>
    judge.judgeRequestedMode(response('code', { via: 'query', request: { response_mode: 'fragment' } }, { error: 'login_required' })), /not in the fragment/);

  passesOn(check.queryRefusedForTokens, 'an error in the fragment', () => judge.judgeQueryRefused(response('id_token', { request: { response_mode: 'query' } }, { error: 'invalid_request' })));
  passesOn(check.queryRefusedForTokens, 'an error page', () => judge.judgeQueryRefused(observed({ responseType: 'id_token token', outcome: 'page' })));
  proves(check.queryRefusedForTokens, 'the ID token in the query', () => judge.judgeQueryRefused(response('id_token', { via: 'query', request: { response_mode: 'query' } })), /id_token in the query/);
  proves(check.queryRefusedForTokens, 'the access token in the query', () => judge.judgeQueryRefused(response('id_token token', { via: 'query', request: { response_mode: 'query' } })), /access_token/);

  passesOn(check.singleMode, 'one mode', () => judge.judgeSingleMode(response('code id_token'), 'sample'));
  proves(check.singleMode, 'state in the query, the rest in the fragment', () =>
    judge.judgeSingleMode(response('code id_token', { location: `${REDIRECT_URI}?state=${STATE}#code=${CODE}&id_token=${ID_TOKEN}` }), 'sample'), /split/);
  proves(check.singleMode, 'a form_post with iss in the action URL', () => judge.judgeSingleMode(formPost('code', { arrival: { url: `${REDIRECT_URI}?iss=x` } }), 'sample'), /split/);

  passesOn(check.unknownModeNotHonoured, 'an HTTP 400 page', () => judge.judgeUnknownModeRefused(observed({ responseType: 'code', outcome: 'page' })));
  passesOn(check.unknownModeNotHonoured, 'unsupported_response_mode at the redirect_uri', () => judge.judgeUnknownModeRefused(response('code', {}, { error: 'unsupported_response_mode' })));
  proves(check.unknownModeNotHonoured, 'a code in the default mode', () => judge.judgeUnknownModeRefused(response('code', { request: { response_mode: 'bogus' } })), /ignored/);

  passesOn(check.formPostDelivery, 'a POSTed form', () => judge.judgeDelivery(formPost('code id_token'), 'form_post', 'sample'));
  proves(check.formPostDelivery, 'a redirect instead of a form', () => judge.judgeDelivery(response('code', { request: { response_mode: 'form_post' } }), 'form_post', 'sample'), /form_post/);
  proves(check.formPostDelivery, 'a text/plain body', () => judge.judgeDelivery(formPost('code', { arrival: { contentType: 'text/plain' } }), 'form_post', 'sample'), /x-www-form-urlencoded/);
  proves(check.formPostDelivery, 'an action with another path', () => judge.judgeDelivery(formPost('code', { arrival: { url: `${REDIRECT_URI}?x=1` } }), 'form_post', 'sample'), /action/);

  passesOn(check.formPostResponses, 'a complete code id_token form', async () => {
    const o = formPost('code id_token');
    judge.judgeSuccessParameters(o);
    await judge.judgeResponseIdToken(o, keys.context);
  });
  proves(check.formPostResponses, 'the id_token left out of the form', () => judge.judgeSuccessParameters(formPost('code id_token', {}, { code: CODE })), /lacks id_token/);
  proves(check.formPostResponses, 'an ID token without c_hash', async () => judge.judgeResponseIdToken(formPost('code id_token', {}, { code: CODE, id_token: PARAMS.id_token!.id_token! }), keys.context), /c_hash/);

  passesOn(check.formPostNoStore, 'Cache-Control: no-store', () => judge.judgeFormPageNoStore(formPost('code')));
  proves(check.formPostNoStore, 'Cache-Control: no-cache only', () => judge.judgeFormPageNoStore(formPost('code', { formPageHeaders: { 'cache-control': 'no-cache', pragma: 'no-cache' } })), /no-store/);
  proves(check.formPostNoStore, 'no Cache-Control', () => judge.judgeFormPageNoStore(formPost('code', { formPageHeaders: {} })), /no-store/);

  passesOn(check.formPostState, 'state in the form', () => judge.judgeStateEchoed([formPost('code'), formPost('code', {}, { error: 'login_required' })]));
  proves(check.formPostState, 'an error form without state (WSO2 product-is #11316)', () => judge.judgeStateEchoed([observed({ responseType: 'code', via: 'form_post', params: { error: 'login_required' } })]), /leaves out state/);

  passesOn(check.formPostError, 'login_required posted', () => {
    const o = formPost('code', { request: { response_mode: 'form_post', prompt: 'none' } }, { error: 'login_required' });
    judge.judgePromptNoneWithoutSession(o);
    judge.judgeRequestedMode(o);
  });
  proves(check.formPostError, 'the error redirected in the query (WSO2 product-is #12693)', () =>
    judge.judgeRequestedMode(response('code', { via: 'query', request: { response_mode: 'form_post', prompt: 'none' } }, { error: 'login_required' })), /form_post/);

  passesOn(check.formPostEscapesValues, 'the hostile state back intact', () =>
    judge.judgeFormPostEscaping(observed({ responseType: 'code', via: 'form_post', request: { state: judge.HOSTILE_STATE, response_mode: 'form_post' }, params: { code: CODE, state: judge.HOSTILE_STATE } })));
  proves(check.formPostEscapesValues, 'a field injected by the state', () =>
    judge.judgeFormPostEscaping(observed({ responseType: 'code', via: 'form_post', request: { state: judge.HOSTILE_STATE }, params: { code: CODE, state: 'st', 'oidc-conformance-injected': '1' } })), /injected/);
  proves(check.formPostEscapesValues, 'the state cut at the first quote', () =>
    judge.judgeFormPostEscaping(observed({ responseType: 'code', via: 'form_post', request: { state: judge.HOSTILE_STATE }, params: { code: CODE, state: 'st' } })), /byte-exact/);

  passesOn(check.formPostIss, 'iss posted', () => judge.judgeIssParameter([formPost('code')], { authorization_response_iss_parameter_supported: true }, ISSUER));
  proves(check.formPostIss, 'iss missing from the form', () => judge.judgeIssParameter([observed({ responseType: 'code', via: 'form_post', params: { code: CODE, state: STATE } })], { authorization_response_iss_parameter_supported: true }, ISSUER), /no iss/);

  passesOn(check.formPostAdvertised, 'advertised and working', () => judge.judgeFormPostAdvertised(true, formPost('code')));
  passesOn(check.formPostAdvertised, 'neither advertised nor working', () => judge.judgeFormPostAdvertised(false, response('code', { request: { response_mode: 'form_post' } })));
  proves(check.formPostAdvertised, 'advertised but answered in the query', () => judge.judgeFormPostAdvertised(true, response('code', { request: { response_mode: 'form_post' } })), /lists form_post/);
  proves(check.formPostAdvertised, 'working but not advertised', () => judge.judgeFormPostAdvertised(false, formPost('code')), /does not list/);
});

// Each authorization-errors check, proven on a bad sample (and passing on a good one).
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com';
const AUTH = `${ISSUER}/authorize`;
const REDIRECT = 'https://rp.example.com/callback';
const STATE = 'st%at+e&=/?#;ä€ 1';

let counter = 0;
function answer(status: number, location?: string, headers: Record<string, string> = {}): Exchange {
  counter += 1;
  const all: Record<string, string> = { ...headers };
  if (location !== undefined) all.location = location;
  return {
    id: `#${counter}`,
    request: { method: 'GET', url: `${AUTH}?client_id=rp`, headers: {} },
    response: { status, headers: all, body: '', bytes: 0, truncated: false },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

function to(params: Record<string, string>, base = REDIRECT, via: 'query' | 'fragment' = 'query'): string {
  const encoded = new URLSearchParams(params).toString();
  return via === 'query' ? `${base}${base.includes('?') ? '&' : '?'}${encoded}` : `${base}#${encoded}`;
}

const loginRequired = (extra: Record<string, string> = {}) => answer(302, to({ error: 'login_required', state: STATE, iss: ISSUER, ...extra }));
const redirects = (...exchanges: Exchange[]) => exchanges.map((e) => judge.errorRedirect(e, REDIRECT));

describe('authorization-errors samples', () => {
  const unsupported = { errors: ['unsupported_response_type'], state: 's1' };
  passesOn(check.unsupportedResponseType, 'the error at the redirect URI with state', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'unsupported_response_type', state: 's1' })), REDIRECT, unsupported));
  proves(check.unsupportedResponseType, 'invalid_request instead', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'invalid_request', state: 's1' })), REDIRECT, unsupported), /unsupported_response_type/);
  proves(check.unsupportedResponseType, 'state left out', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'unsupported_response_type' })), REDIRECT, unsupported), /state/);
  proves(check.unsupportedResponseType, 'an error page instead of a redirect', () => judge.judgeErrorRedirect(answer(400), REDIRECT, unsupported), /redirect/);

  const noneCombined = { errors: judge.NONE_COMBINED_ERRORS, state: 's1' };
  passesOn(check.noneCombinedRefused, 'unsupported_response_type at the redirect URI', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'unsupported_response_type', state: 's1' })), REDIRECT, noneCombined));
  passesOn(check.noneCombinedRefused, 'invalid_request at the redirect URI', () =>
    judge.judgeErrorRedirect(answer(303, to({ error: 'invalid_request', state: 's1' })), REDIRECT, noneCombined));
  proves(check.noneCombinedRefused, 'a redirect to the login page (the combination accepted)', () => judge.judgeErrorRedirect(answer(303, `${ISSUER}/interaction/abc`), REDIRECT, noneCombined), /redirect to the redirect URI/);
  proves(check.noneCombinedRefused, 'a code at the redirect URI', () => judge.judgeErrorRedirect(answer(302, to({ code: 'abc', state: 's1' })), REDIRECT, noneCombined), /unsupported_response_type or invalid_request/);

  const unknown = (exchange: Exchange) => judge.judgeUnknownValue(exchange, REDIRECT, 's1', 'an unknown prompt');
  passesOn(check.unknownPromptDisplay, 'ignored: a redirect to the sign-in page', () => unknown(answer(303, `${ISSUER}/interaction/abc`)));
  passesOn(check.unknownPromptDisplay, 'ignored: the sign-in page itself', () => unknown(answer(200)));
  passesOn(check.unknownPromptDisplay, 'refused: invalid_request at the redirect URI with the state', () => unknown(answer(302, to({ error: 'invalid_request', state: 's1' }))));
  proves(check.unknownPromptDisplay, 'a server error', () => unknown(answer(500)), /neither ignored nor refused at the redirect URI: HTTP 500/);
  proves(check.unknownPromptDisplay, 'an error page', () => unknown(answer(400)), /HTTP 400/);
  proves(check.unknownPromptDisplay, 'a refusal without the state', () => unknown(answer(302, to({ error: 'invalid_request' }))), /leaves out state/);

  const login = { errors: judge.LOGIN_ERRORS, state: STATE };
  passesOn(check.promptNoneWithoutSession, 'login_required with the state byte-exact', () => judge.judgeErrorRedirect(loginRequired(), REDIRECT, login));
  passesOn(check.promptNoneWithoutSession, 'interaction_required in the fragment', () =>
    judge.judgeErrorRedirect(answer(303, to({ error: 'interaction_required', state: STATE }, REDIRECT, 'fragment')), REDIRECT, login));
  proves(check.promptNoneWithoutSession, 'the state with its "+" decoded to a space', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'login_required', state: STATE.replace('+', ' ') })), REDIRECT, login), /changes state/);
  proves(check.promptNoneWithoutSession, 'a redirect to the login page', () => judge.judgeErrorRedirect(answer(302, `${ISSUER}/login`), REDIRECT, login));
  proves(check.promptNoneWithoutSession, 'access_denied', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'access_denied', state: STATE })), REDIRECT, login), /login_required/);

  passesOn(check.errorRedirectClean, 'only error parameters', () =>
    judge.judgeErrorRedirectsClean(redirects(loginRequired({ error_description: 'the user is not signed in', error_uri: 'https://op.example.com/errors/1' })), REDIRECT));
  passesOn(check.errorRedirectClean, 'a query the registered redirect URI carries itself', () =>
    judge.judgeErrorRedirectsClean([judge.errorRedirect(answer(302, to({ error: 'login_required' }, `${REDIRECT}?tenant=a`)), `${REDIRECT}?tenant=a`)], `${REDIRECT}?tenant=a`));
  proves(check.errorRedirectClean, 'a code beside the error (SHOULD NOT: a warning)', () =>
    judge.judgeErrorRedirectsClean(redirects(loginRequired({ code: 'abc' })), REDIRECT), /code/);
  proves(check.errorRedirectClean, 'a double quote in error_description', () =>
    judge.judgeErrorRedirectsClean(redirects(loginRequired({ error_description: 'the "user" is unknown' })), REDIRECT), /error_description/);
  proves(check.errorRedirectClean, 'non-ASCII in error_description', () =>
    judge.judgeErrorRedirectsClean(redirects(loginRequired({ error_description: 'Anmeldung nötig' })), REDIRECT), /error_description/);

  const on = { authorization_response_iss_parameter_supported: true };
  passesOn(check.issParameter, 'iss equal to the issuer, flag true', () => judge.judgeIssParameter(redirects(loginRequired()), on, ISSUER));
  proves(check.issParameter, 'iss missing although the flag is true', () =>
    judge.judgeIssParameter(redirects(answer(302, to({ error: 'login_required', state: STATE }))), on, ISSUER), /no iss/);
  proves(check.issParameter, 'iss with a trailing slash', () => judge.judgeIssParameter(redirects(loginRequired({ iss: `${ISSUER}/` })), on, ISSUER), /differs/);
  proves(check.issParameter, 'iss sent while the flag is absent', () => judge.judgeIssParameter(redirects(loginRequired()), {}, ISSUER), /authorization_response_iss_parameter_supported/);

  const pkce = { errors: ['invalid_request'], state: 's1' };
  passesOn(check.unsupportedPkceMethod, 'invalid_request at the redirect URI', () =>
    judge.judgeErrorRedirect(answer(302, to({ error: 'invalid_request', state: 's1' })), REDIRECT, pkce));
  proves(check.unsupportedPkceMethod, 'the request taken to login (method ignored)', () =>
    judge.judgeErrorRedirect(answer(303, `${ISSUER}/interaction/x`), REDIRECT, pkce), /redirect/);

  passesOn(check.unknownClientNoRedirect, 'an HTTP 400 page', () => judge.judgeNoRedirectTo(answer(400), [REDIRECT]));
  passesOn(check.unknownClientNoRedirect, 'a redirect to the provider\'s own error page', () => judge.judgeNoRedirectTo(answer(302, '/error?id=1'), [REDIRECT]));
  proves(check.unknownClientNoRedirect, 'an error redirect to the redirect URI', () =>
    judge.judgeNoRedirectTo(answer(302, to({ error: 'invalid_client' })), [REDIRECT]), /redirected/);

  const bad = `${REDIRECT}.oidc-conformance`;
  passesOn(check.unregisteredRedirectNoRedirect, 'an HTTP 400 page', () => judge.judgeNoRedirectTo(answer(400), [bad]));
  proves(check.unregisteredRedirectNoRedirect, 'a redirect to the unregistered URI', () =>
    judge.judgeNoRedirectTo(answer(302, to({ error: 'login_required' }, bad)), [bad]), /redirected/);

  passesOn(check.unsupportedResponseMode, 'an HTTP 400 page', () => judge.judgeResponseModeRejected(answer(400)));
  proves(check.unsupportedResponseMode, 'an error redirect', () => judge.judgeResponseModeRejected(answer(302, to({ error: 'invalid_request' }))));
  proves(check.unsupportedResponseMode, 'a login page', () => judge.judgeResponseModeRejected(answer(200)));

  const variant = (value: string, exchange: Exchange): judge.Variant => ({ parameter: 'display', value, exchange });
  passesOn(check.advertisedValuesAccepted, 'the same login_required', () =>
    judge.judgeAdvertisedValues(loginRequired(), [variant('page', loginRequired()), variant('popup', loginRequired())], REDIRECT));
  proves(check.advertisedValuesAccepted, 'invalid_request for display=touch', () =>
    judge.judgeAdvertisedValues(loginRequired(), [variant('page', loginRequired()), variant('touch', answer(302, to({ error: 'invalid_request', state: STATE })))], REDIRECT), /touch/);
  proves(check.advertisedValuesAccepted, 'an error page for display=wap', () =>
    judge.judgeAdvertisedValues(loginRequired(), [variant('wap', answer(400))], REDIRECT), /wap/);

  passesOn(check.noCors, 'no CORS headers', () => judge.judgeNoCors([answer(302, to({ error: 'login_required' })), answer(404)]));
  proves(check.noCors, 'Access-Control-Allow-Origin: *', () =>
    judge.judgeNoCors([answer(302, to({ error: 'login_required' }), { 'access-control-allow-origin': '*' })]), /CORS/);
});

describe('authorization-errors samples: request objects and untrusted requests', () => {
  const probe = (parameter: string, codes: string[], exchange: Exchange, mayIgnore = false): judge.RequestObjectProbe => ({ parameter, codes, exchange, mayIgnore });
  const errorAt = (error: string) => answer(302, to({ error, state: 's1' }));
  const good = () => [
    probe('request_uri', ['invalid_request_uri', 'request_uri_not_supported'], errorAt('request_uri_not_supported')),
    probe('request', ['invalid_request_object'], errorAt('invalid_request_object')),
    probe('registration', ['registration_not_supported'], errorAt('registration_not_supported'), true),
  ];
  passesOn(check.requestObjectErrors, 'each problem with its OIDC code', () => judge.judgeRequestObjectErrors(good(), REDIRECT));
  passesOn(check.requestObjectErrors, 'registration ignored (a login page)', () =>
    judge.judgeRequestObjectErrors([...good().slice(0, 2), probe('registration', ['registration_not_supported'], answer(200), true)], REDIRECT));
  proves(check.requestObjectErrors, 'a malformed request object reported as invalid_request', () =>
    judge.judgeRequestObjectErrors([good()[0]!, probe('request', ['invalid_request_object'], errorAt('invalid_request'))], REDIRECT), /request \(#\d+\): error=invalid_request instead of invalid_request_object/);
  proves(check.requestObjectErrors, 'an unsupported request_uri reported as server_error', () =>
    judge.judgeRequestObjectErrors([probe('request_uri', ['request_uri_not_supported'], errorAt('server_error'))], REDIRECT), /request_uri_not_supported/);

  const untrusted = (status: number, location?: string): judge.UntrustedProbe => ({ what: 'an unknown client_id', exchange: answer(status, location) });
  passesOn(check.untrustedRequestStatus, 'a 400 page', () => judge.judgeUntrustedStatus([untrusted(400)], AUTH));
  passesOn(check.untrustedRequestStatus, 'a redirect to the provider\'s own error page', () => judge.judgeUntrustedStatus([untrusted(302, `${ISSUER}/error?code=unknown_client`)], AUTH));
  proves(check.untrustedRequestStatus, 'an error page served with HTTP 200', () => judge.judgeUntrustedStatus([untrusted(200)], AUTH), /HTTP 200 instead of a 4xx/);
  proves(check.untrustedRequestStatus, 'an OAuth error redirect to the client', () => judge.judgeUntrustedStatus([untrusted(302, to({ error: 'invalid_client' }))], AUTH), /OAuth-style redirect/);
  proves(check.untrustedRequestStatus, 'a 500', () => judge.judgeUntrustedStatus([untrusted(500)], AUTH), /HTTP 500/);
});

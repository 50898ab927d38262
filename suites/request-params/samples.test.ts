// Each request-parameter check, proven on a bad sample and passing on a good one: browser runs
// and token / userinfo responses built by hand, judged as the suite judges the real ones.
import { base64url } from 'jose';
import { describe, expect, test } from 'vitest';
import { CheckFailure, CheckSkip } from '../../harness/checks.ts';
import type { AuthorizationRun } from '../../harness/flows/authorization.ts';
import type { Exchange } from '../../harness/http/types.ts';
import type { CompletedFlow, IdTokenSample } from '../id-token/collect.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';
import type { Attempt } from './judges.ts';

const REDIRECT = 'https://rp.example.com/callback';
const SUB = 'user-alice-0001';
const now = Math.floor(Date.now() / 1000);
const client = { client_id: 'web-basic', client_secret: 'secret', auth_method: 'client_secret_basic' as const, redirect_uri: REDIRECT };

let counter = 0;
const nextId = () => `#${++counter}`;

/** An ID token the judges can decode (they never verify here: the id-token checks do). */
function jwt(claims: Record<string, unknown>): string {
  return `${base64url.encode(JSON.stringify({ alg: 'RS256', kid: 'k1' }))}.${base64url.encode(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}

interface RunOptions {
  interactions?: AuthorizationRun['result']['interactions'];
  stoppedAt?: 'login' | 'consent';
  via?: 'query' | 'fragment';
  responseType?: string;
  state?: string;
}

/** A run that reached the redirect URI with these parameters, or (params null) stayed on a page. */
function run(params: Record<string, string> | null, options: RunOptions = {}): AuthorizationRun {
  const exchange = nextId();
  const result: AuthorizationRun['result'] = params
    ? { outcome: 'response', via: options.via ?? 'query', params, paramList: Object.entries(params), interactions: options.interactions ?? [], exchanges: [exchange], responseExchange: exchange, requestUrl: 'https://op.example.com/auth' }
    : { outcome: 'page', params: {}, paramList: [], interactions: options.interactions ?? [], exchanges: [exchange], requestUrl: 'https://op.example.com/auth', page: { url: 'https://op.example.com/interaction/1', status: 200, title: 'Sign in', text: 'Sign in' } };
  if (options.stoppedAt) result.stoppedAt = options.stoppedAt;
  const sentParams: Record<string, string> = { response_type: options.responseType ?? 'code', client_id: client.client_id, redirect_uri: REDIRECT };
  const sent: AuthorizationRun['sent'] = { client, params: sentParams, redirectUri: REDIRECT };
  if (options.state) sent.state = options.state;
  return { sent, result };
}

function sample(claims: Record<string, unknown>, source: IdTokenSample['source'] = 'token endpoint'): IdTokenSample {
  return { label: 'sample', token: jwt(claims), source, responseType: 'code', role: 'basic', clientId: client.client_id, expectedAlg: 'RS256', atHashRequired: false, cHashRequired: false, receivedAt: now, exchanges: [nextId()] };
}

const CLAIMS = { iss: 'https://op.example.com', sub: SUB, aud: client.client_id, iat: now, exp: now + 3600, auth_time: now - 60 };

/** A successful attempt whose token endpoint gave an ID token with these claims. */
function success(claims: Record<string, unknown> = CLAIMS, options: RunOptions & { accessToken?: string; userinfo?: unknown; front?: Record<string, string> } = {}): Attempt {
  const attempt: Attempt = { label: 'sample request', run: run({ code: 'a-code', state: 's', ...options.front }, options) };
  const flow: CompletedFlow = { run: attempt.run, label: 'sample request', idTokens: [sample(claims)], exchanges: [nextId()] };
  if (options.accessToken !== undefined) flow.accessToken = options.accessToken;
  attempt.flow = flow;
  if (options.userinfo !== undefined) attempt.userinfo = exchange(200, options.userinfo);
  return attempt;
}

const error = (code: string, options: RunOptions = {}): Attempt => ({ label: 'sample request', run: run({ error: code, state: options.state ?? 's' }, options) });
const page = (options: RunOptions = {}): Attempt => ({ label: 'sample request', run: run(null, options) });

function exchange(status: number, json: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }, url = 'https://op.example.com/me'): Exchange {
  const body = json === undefined ? '' : JSON.stringify(json);
  return { id: nextId(), request: { method: 'GET', url, headers: {} }, response: { status, headers, body, bytes: body.length, truncated: false, json }, startedAt: new Date(0).toISOString(), durationMs: 1 };
}

const FIRST = success();

describe('request-params samples', () => {
  passesOn(check.promptNoneWithSession, 'a silent success for the same sub', () => judge.judgePromptNoneWithSession(FIRST, success()));
  proves(check.promptNoneWithSession, 'the login form under prompt=none', () => judge.judgePromptNoneWithSession(FIRST, page({ stoppedAt: 'login' })), /login form/);
  proves(check.promptNoneWithSession, 'login_required although signed in', () => judge.judgePromptNoneWithSession(FIRST, error('login_required')), /login_required/);
  proves(check.promptNoneWithSession, 'a token for another sub', () => judge.judgePromptNoneWithSession(FIRST, success({ ...CLAIMS, sub: 'someone-else' })), /another sub/);

  const noneRuns = (entries: Array<[Attempt, 'query' | 'fragment']>) => entries.map(([attempt, mode]) => ({ attempt, state: 's', mode }));
  passesOn(check.promptNoneNoSession, 'login_required in the query (code) and the fragment (id_token)', () =>
    judge.judgePromptNoneNoSession(noneRuns([[error('login_required'), 'query'], [error('login_required', { via: 'fragment', responseType: 'id_token' }), 'fragment']])),
  );
  proves(check.promptNoneNoSession, 'the login page under prompt=none', () => judge.judgePromptNoneNoSession(noneRuns([[page({ stoppedAt: 'login' }), 'query']])), /login page/);
  proves(check.promptNoneNoSession, 'access_denied', () => judge.judgePromptNoneNoSession(noneRuns([[error('access_denied'), 'query']])), /access_denied/);
  proves(check.promptNoneNoSession, 'the error in the query for id_token', () => judge.judgePromptNoneNoSession(noneRuns([[error('login_required', { responseType: 'id_token' }), 'fragment']])), /fragment/);
  proves(check.promptNoneNoSession, 'the state dropped', () => judge.judgePromptNoneNoSession([{ attempt: { label: 'x', run: run({ error: 'login_required' }) }, state: 's', mode: 'query' }]), /state/);

  passesOn(check.promptNoneCombined, 'invalid_request', () => judge.judgeRefused(error('invalid_request'), 'prompt="none login"'));
  proves(check.promptNoneCombined, 'a success', () => judge.judgeRefused(success(), 'prompt="none login"'), /succeeded/);
  proves(check.promptNoneCombined, 'the login page', () => judge.judgeRefused(page({ stoppedAt: 'login' }), 'prompt="none login"'), /login page/);

  passesOn(check.promptLogin, 'the login form and a later auth_time', () => judge.judgePromptLogin(FIRST, success({ ...CLAIMS, auth_time: now }, { interactions: ['login'] })));
  passesOn(check.promptLogin, 'login_required', () => judge.judgePromptLogin(FIRST, error('login_required')));
  proves(check.promptLogin, 'no login form', () => judge.judgePromptLogin(FIRST, success(CLAIMS)), /did not show the login form/);
  proves(check.promptLogin, 'the same auth_time after a login', () => judge.judgePromptLogin(FIRST, success(CLAIMS, { interactions: ['login'] })), /did not move forward/);

  passesOn(check.promptConsent, 'the consent screen again', () => judge.judgePromptConsent(success(CLAIMS, { interactions: ['consent'] })));
  passesOn(check.promptConsent, 'consent_required', () => judge.judgePromptConsent(error('consent_required')));
  proves(check.promptConsent, 'a silent success', () => judge.judgePromptConsent(success()), /did not show the consent screen/);

  passesOn(check.maxAge1, 'a new login with a recent, later auth_time', () => judge.judgeMaxAge1(FIRST, success({ ...CLAIMS, auth_time: now }, { interactions: ['login'] })));
  proves(check.maxAge1, 'no new login', () => judge.judgeMaxAge1(FIRST, success(CLAIMS)), /not re-authenticated/);
  proves(check.maxAge1, 'no auth_time', () => judge.judgeMaxAge1(FIRST, success({ ...CLAIMS, auth_time: undefined }, { interactions: ['login'] })), /no auth_time/);
  proves(check.maxAge1, 'the old auth_time after the login', () => judge.judgeMaxAge1(FIRST, success(CLAIMS, { interactions: ['login'] })), /did not move forward/);

  passesOn(check.maxAge10000, 'no login, the same auth_time', () => judge.judgeMaxAge10000(FIRST, success()));
  proves(check.maxAge10000, 'the login form again', () => judge.judgeMaxAge10000(FIRST, page({ stoppedAt: 'login' })), /login form/);
  proves(check.maxAge10000, 'no auth_time in the second token', () => judge.judgeMaxAge10000(FIRST, success({ ...CLAIMS, auth_time: undefined })), /no auth_time/);
  proves(check.maxAge10000, 'no auth_time in the first token', () => judge.judgeMaxAge10000(success({ ...CLAIMS, auth_time: undefined }), success({ ...CLAIMS, auth_time: undefined })), /max_age=15000/);

  passesOn(check.idTokenHint, 'a silent success for the hinted user', () => judge.judgeIdTokenHint(FIRST, success()));
  proves(check.idTokenHint, 'login_required for the signed-in user\'s own hint', () => judge.judgeIdTokenHint(FIRST, error('login_required')), /login_required/);

  passesOn(check.idTokenHintForged, 'invalid_request', () => judge.judgeRefused(error('invalid_request'), 'a forged hint'));
  proves(check.idTokenHintForged, 'a success with the forged hint', () => judge.judgeRefused(success(), 'a forged hint'), /succeeded/);

  passesOn(check.idTokenHintOtherUser, 'login_required', () => judge.judgeRefused(error('login_required'), 'another user\'s hint', { errors: judge.LOGIN_ERRORS }));
  proves(check.idTokenHintOtherUser, 'tokens for the signed-in user', () => judge.judgeRefused(success({ ...CLAIMS, sub: 'user-bob-0002' }), 'another user\'s hint', { errors: judge.LOGIN_ERRORS }), /user-bob-0002/);
  proves(check.idTokenHintOtherUser, 'the login page under prompt=none', () => judge.judgeRefused(page({ stoppedAt: 'login' }), 'another user\'s hint', { errors: judge.LOGIN_ERRORS }), /login page/);

  passesOn(check.subClaimOtherUser, 'login_required', () => judge.judgeRefused(error('login_required'), 'a claims sub value', { errors: judge.LOGIN_ERRORS }));
  proves(check.subClaimOtherUser, 'tokens for the signed-in user', () => judge.judgeRefused(success({ ...CLAIMS, sub: 'user-bob-0002' }), 'a claims sub value', { errors: judge.LOGIN_ERRORS }), /succeeded/);

  passesOn(check.loginHint, 'a success after the login', () => judge.judgeSucceeds(success(CLAIMS, { interactions: ['login', 'consent'] }), 'login_hint'));
  proves(check.loginHint, 'invalid_request', () => judge.judgeSucceeds(error('invalid_request'), 'login_hint'), /invalid_request/);

  for (const [definition, what] of [
    [check.displayPage, 'display=page'],
    [check.displayPopup, 'display=popup'],
    [check.uiLocales, 'ui_locales'],
    [check.claimsLocales, 'claims_locales'],
    [check.unknownParamIgnored, 'extra=foobar'],
    [check.emptyParamsIgnored, 'empty parameters'],
    [check.claimsUnknownMembers, 'claims with unknown members'],
  ] as const) {
    passesOn(definition, 'a success with an ID token', () => judge.judgeSucceeds(success(), what));
    proves(definition, 'invalid_request', () => judge.judgeSucceeds(error('invalid_request'), what), /invalid_request/);
    proves(definition, 'an error page', () => judge.judgeSucceeds(page(), what), /kept the browser/);
  }
  proves(check.displayPage, 'a success without an ID token', () => judge.judgeSucceeds({ ...success(), flow: { run: run({ code: 'c' }), label: 'x', idTokens: [], exchanges: [] } }, 'display=page'), /no ID token/);

  passesOn(check.acrValues, 'acr one of the requested values', () => judge.judgeAcrValues(success({ ...CLAIMS, acr: 'urn:acr:silver' }), ['urn:acr:silver']));
  proves(check.acrValues, 'invalid_request', () => judge.judgeAcrValues(error('invalid_request'), ['urn:acr:silver']), /invalid_request/);
  proves(check.acrValues, 'another acr (a warning)', () => judge.judgeAcrValues(success({ ...CLAIMS, acr: 'urn:acr:bronze' }), ['urn:acr:silver']), /none of the requested/);

  passesOn(check.acrEssential, 'the known value honoured, the unknown one failed', () => judge.judgeAcrEssential(success({ ...CLAIMS, acr: 'urn:acr:silver' }), error('access_denied'), { known: 'urn:acr:silver', unknown: 'urn:x' }));
  proves(check.acrEssential, 'the unknown value succeeding with another acr', () => judge.judgeAcrEssential(undefined, success({ ...CLAIMS, acr: 'urn:acr:silver' }), { unknown: 'urn:x' }), /succeeded/);
  proves(check.acrEssential, 'the known value answered with another acr', () => judge.judgeAcrEssential(success({ ...CLAIMS, acr: 'urn:acr:bronze' }), error('access_denied'), { known: 'urn:acr:silver', unknown: 'urn:x' }), /bronze/);

  passesOn(check.responseTypeOrder, 'code and id_token back', () => judge.judgeResponseTypeOrder(success(CLAIMS, { front: { id_token: jwt(CLAIMS) } })));
  proves(check.responseTypeOrder, 'unsupported_response_type', () => judge.judgeResponseTypeOrder(error('unsupported_response_type')), /unsupported_response_type/);
  proves(check.responseTypeOrder, 'a code only', () => judge.judgeResponseTypeOrder(success()), /both a code and an ID token/);

  const missing = (status: number, location?: string, body = '') => {
    const e = exchange(status, undefined, location ? { location } : { 'content-type': 'text/html' }, 'https://op.example.com/auth?client_id=web-basic');
    e.response!.body = body;
    return e;
  };
  passesOn(check.responseTypeMissing, 'invalid_request with the state', () => judge.judgeResponseTypeMissing(missing(302, `${REDIRECT}?error=invalid_request&state=s`), REDIRECT, 's'));
  passesOn(check.responseTypeMissing, 'an error page', () => judge.judgeResponseTypeMissing(missing(400, undefined, '<p>invalid_request</p>'), REDIRECT, 's'));
  proves(check.responseTypeMissing, 'a code', () => judge.judgeResponseTypeMissing(missing(302, `${REDIRECT}?code=c&state=s`), REDIRECT, 's'), /code or tokens/);
  proves(check.responseTypeMissing, 'a redirect to the login page', () => judge.judgeResponseTypeMissing(missing(303, '/interaction/abc'), REDIRECT, 's'), /went on/);
  proves(check.responseTypeMissing, 'the login form', () => judge.judgeResponseTypeMissing(missing(200, undefined, '<form><input type="password"></form>'), REDIRECT, 's'), /login form/);
  proves(check.responseTypeMissing, 'the state dropped', () => judge.judgeResponseTypeMissing(missing(302, `${REDIRECT}?error=invalid_request`), REDIRECT, 's'), /state/);

  passesOn(check.duplicateParamRefused, 'invalid_request at the redirect URI', () => judge.judgeDuplicateRefused(missing(302, `${REDIRECT}?error=invalid_request&state=s`), REDIRECT));
  passesOn(check.duplicateParamRefused, 'an error page', () => judge.judgeDuplicateRefused(missing(400, undefined, '<p>invalid_request</p>'), REDIRECT));
  proves(check.duplicateParamRefused, 'a redirect to the login page', () => judge.judgeDuplicateRefused(missing(303, '/interaction/abc'), REDIRECT), /processed/);
  proves(check.duplicateParamRefused, 'a code', () => judge.judgeDuplicateRefused(missing(302, `${REDIRECT}?code=c`), REDIRECT), /not an error/);

  const withEmail = (userinfo: unknown) => success(CLAIMS, { accessToken: 'at', userinfo });
  passesOn(check.scopeOrder, 'email claims in userinfo', () => judge.judgeScopeClaims(withEmail({ sub: SUB, email: 'a@example.com', email_verified: true }), ['email']));
  proves(check.scopeOrder, 'invalid_scope for "email openid"', () => judge.judgeScopeClaims(error('invalid_scope'), ['email']), /invalid_scope/);

  passesOn(check.unknownScopeIgnored, 'a success', () => judge.judgeUnknownScope(success()));
  proves(check.unknownScopeIgnored, 'invalid_scope (a warning)', () => judge.judgeUnknownScope(error('invalid_scope')), /refused/);

  passesOn(check.scopeOmitted, 'invalid_scope', () => judge.judgeScopeOmitted(error('invalid_scope')));
  passesOn(check.scopeOmitted, 'a success with the default scope', () => judge.judgeScopeOmitted(success()));
  proves(check.scopeOmitted, 'invalid_request', () => judge.judgeScopeOmitted(error('invalid_request')), /invalid_request/);

  passesOn(check.noOpenidNoIdToken, 'invalid_scope', () => judge.judgeNoOpenid(error('invalid_scope')));
  proves(check.noOpenidNoIdToken, 'an ID token without openid', () => judge.judgeNoOpenid(success()), /ID token/);

  for (const [definition, scope, good, bad, pattern] of [
    [check.scopeProfile, 'profile', { name: 'Alice', updated_at: 1700000000, birthdate: '1852-05-04' }, { name: 'Alice', updated_at: 1700000000000 }, /updated_at/],
    [check.scopeEmail, 'email', { email: 'a@example.com', email_verified: true }, { email: 'a@example.com', email_verified: 'true' }, /email_verified/],
    [check.scopeAddress, 'address', { address: { country: 'GB' } }, { address: '1 Rabbit Hole' }, /address/],
    [check.scopePhone, 'phone', { phone_number: '+44 20 7946 0001', phone_number_verified: false }, { phone_number: '+44', phone_number_verified: 0 }, /phone_number_verified/],
  ] as const) {
    passesOn(definition, `${scope} claims typed in userinfo`, () => judge.judgeScopeClaims(withEmail({ sub: SUB, ...good }), [scope]));
    proves(definition, `${scope} claims mistyped`, () => judge.judgeScopeClaims(withEmail({ sub: SUB, ...bad }), [scope]), pattern);
    proves(definition, 'userinfo for another sub', () => judge.judgeScopeClaims(withEmail({ sub: 'someone-else', ...good }), [scope]), /sub differs/);
    proves(definition, `no ${scope} claim (a warning)`, () => judge.judgeScopeClaims(withEmail({ sub: SUB }), [scope]), /no claim of scope/);
  }

  passesOn(check.scopeAll, 'claims in the ID token for response_type id_token', () => judge.judgeScopeClaims(success({ ...CLAIMS, name: 'Alice', email: 'a@example.com', address: { country: 'GB' }, phone_number: '+44' }), ['profile', 'email', 'address', 'phone']));
  proves(check.scopeAll, 'userinfo answering 401', () => judge.judgeScopeClaims({ ...success(CLAIMS, { accessToken: 'at' }), userinfo: exchange(401, { error: 'invalid_token' }) }, ['profile']), /HTTP 401/);

  passesOn(check.claimsEssential, 'name in userinfo only', () => judge.judgeClaimsEssential(withEmail({ sub: SUB, name: 'Alice' })));
  proves(check.claimsEssential, 'an error for the claims parameter', () => judge.judgeClaimsEssential(error('invalid_request')), /invalid_request/);
  proves(check.claimsEssential, 'no name in userinfo (a warning)', () => judge.judgeClaimsEssential(withEmail({ sub: SUB })), /has none/);

  passesOn(check.claimsIdToken, 'auth_time and email in the ID token', () => judge.judgeClaimsIdToken(success({ ...CLAIMS, email: 'a@example.com' })));
  proves(check.claimsIdToken, 'no auth_time', () => judge.judgeClaimsIdToken(success({ ...CLAIMS, auth_time: undefined, email: 'a@example.com' })), /auth_time/);
  proves(check.claimsIdToken, 'no email (a warning)', () => judge.judgeClaimsIdToken(success()), /email/);

  const inside = { state: 'object-state', nonce: 'object-nonce' };
  passesOn(check.requestObject, 'the object honoured', () => judge.judgeRequestObject(success({ ...CLAIMS, nonce: inside.nonce }, { front: { state: inside.state } }), inside, true));
  passesOn(check.requestObject, 'request_not_supported, as discovery says', () => judge.judgeRequestObject(error('request_not_supported'), inside, false));
  proves(check.requestObject, 'the object ignored (no state)', () => judge.judgeRequestObject({ ...success(), run: run({ code: 'c' }) }, inside, true), /ignored/);
  proves(check.requestObject, 'invalid_request', () => judge.judgeRequestObject(error('invalid_request'), inside, true), /invalid_request/);

  passesOn(check.requestObjectRedirectUri, 'the response at the object\'s redirect_uri', () => judge.judgeRequestObjectRedirectUri(success(), REDIRECT));
  proves(check.requestObjectRedirectUri, 'an error page for the query\'s redirect_uri', () => judge.judgeRequestObjectRedirectUri(page(), REDIRECT), /did not go/);

  passesOn(check.requestUri, 'request_uri_not_supported, as discovery says', () => judge.judgeRequestUri(error('request_uri_not_supported'), { state: 'u' }, { fetched: 0 }, false));
  passesOn(check.requestUri, 'the object fetched and honoured', () => judge.judgeRequestUri(success(CLAIMS, { front: { state: 'u' } }), { state: 'u' }, { fetched: 1 }, true));
  proves(check.requestUri, 'request_uri ignored', () => judge.judgeRequestUri({ ...success(), run: run({ code: 'c' }) }, { state: 'u' }, { fetched: 0 }, false), /ignored/);
  proves(check.requestUri, 'request_uri_not_supported while discovery omits the member (a warning)', () => judge.judgeRequestUri(error('request_uri_not_supported'), { state: 'u' }, { fetched: 0 }, undefined), /default true/);
});

// The implicit and hybrid plans' response types (front-channel.browser.suite.ts): the same judges,
// on responses read from the fragment, run for each representative type by judgeEachResponseType.
describe('request-params front-channel samples', () => {
  const TYPES = ['code id_token', 'id_token token'];
  const frag = (responseType: string): RunOptions => ({ via: 'fragment', responseType });
  /** A fragment response of this type with its ID token (and access token for id_token token). */
  const fc = (responseType: string, claims: Record<string, unknown> = CLAIMS, options: RunOptions & { userinfo?: unknown; front?: Record<string, string> } = {}): Attempt =>
    success(claims, { ...frag(responseType), ...(options.userinfo !== undefined ? { accessToken: 'at' } : {}), ...options, front: { id_token: jwt(claims), ...(responseType.includes('token') ? { access_token: 'at' } : {}), ...options.front } });
  const each = (judgeOne: (responseType: string) => ReturnType<typeof judge.judgeSucceeds>) => () => judge.judgeEachResponseType(TYPES, judgeOne);
  /** The second type breaks: the verdict must name it. */
  const secondBreaks = (good: (t: string) => ReturnType<typeof judge.judgeSucceeds>, bad: (t: string) => ReturnType<typeof judge.judgeSucceeds>) => each((t) => (t === TYPES[1] ? bad(t) : good(t)));
  const fcFirst = (t: string) => fc(t);

  for (const [definition, what] of [
    [check.fcDisplayPage, 'display=page'],
    [check.fcUnknownParamIgnored, 'extra=foobar'],
    [check.fcClaimsLocales, 'claims_locales'],
    [check.fcLoginHint, 'login_hint'],
    [check.fcDisplayPopup, 'display=popup'],
    [check.fcUiLocales, 'ui_locales'],
  ] as const) {
    passesOn(definition, 'a fragment success for each response type', each((t) => judge.judgeSucceeds(fc(t), what)));
    proves(definition, 'invalid_request for id_token token', secondBreaks((t) => judge.judgeSucceeds(fc(t), what), (t) => judge.judgeSucceeds(error('invalid_request', frag(t)), what)), /response_type "id_token token".*invalid_request/);
    proves(definition, 'an error page for code id_token', each((t) => judge.judgeSucceeds(t === TYPES[0] ? page(frag(t)) : fc(t), what)), /response_type "code id_token".*kept the browser/);
  }
  proves(check.fcDisplayPage, 'the response in the query', each((t) => {
    const done = fc(t, CLAIMS, { via: 'query' });
    judge.requireFragment(done);
    return judge.judgeSucceeds(done, 'display=page');
  }), /not the fragment/);

  passesOn(check.fcPromptNoneWithSession, 'silent successes', each((t) => judge.judgePromptNoneWithSession(fcFirst(t), fc(t))));
  proves(check.fcPromptNoneWithSession, 'the login form under prompt=none (id_token token)', secondBreaks((t) => judge.judgePromptNoneWithSession(fcFirst(t), fc(t)), (t) => judge.judgePromptNoneWithSession(fcFirst(t), page({ ...frag(t), stoppedAt: 'login' }))), /id_token token.*login form/);

  passesOn(check.fcIdTokenHint, 'silent successes', each((t) => judge.judgeIdTokenHint(fcFirst(t), fc(t))));
  proves(check.fcIdTokenHint, 'login_required for the own hint', secondBreaks((t) => judge.judgeIdTokenHint(fcFirst(t), fc(t)), (t) => judge.judgeIdTokenHint(fcFirst(t), error('login_required', frag(t)))), /login_required/);

  passesOn(check.fcMaxAge10000, 'no login, the same auth_time', each((t) => judge.judgeMaxAge10000(fcFirst(t), fc(t))));
  proves(check.fcMaxAge10000, 'no auth_time in the fragment ID token', each((t) => judge.judgeMaxAge10000(fcFirst(t), fc(t, { ...CLAIMS, auth_time: undefined }))), /no auth_time/);

  passesOn(check.fcAcrValues, 'a requested acr', each((t) => judge.judgeAcrValues(fc(t, { ...CLAIMS, acr: 'urn:acr:silver' }), ['urn:acr:silver'])));
  proves(check.fcAcrValues, 'invalid_request', each((t) => judge.judgeAcrValues(error('invalid_request', frag(t)), ['urn:acr:silver'])), /invalid_request/);

  const inside = { state: 'object-state', nonce: 'object-nonce' };
  passesOn(check.fcRequestObject, 'the object honoured', each((t) => judge.judgeRequestObject(fc(t, { ...CLAIMS, nonce: inside.nonce }, { front: { state: inside.state } }), inside, true)));
  proves(check.fcRequestObject, 'the object ignored (the outer state)', each((t) => judge.judgeRequestObject(fc(t, { ...CLAIMS, nonce: inside.nonce }), inside, true)), /ignored/);

  passesOn(check.fcRequestObjectRedirectUri, 'the response at the object\'s redirect_uri', each((t) => judge.judgeRequestObjectRedirectUri(fc(t), REDIRECT)));
  proves(check.fcRequestObjectRedirectUri, 'an error page for the query\'s redirect_uri', each((t) => judge.judgeRequestObjectRedirectUri(page(frag(t)), REDIRECT)), /did not go/);

  passesOn(check.fcClaimsEssential, 'name in userinfo only', each((t) => judge.judgeClaimsEssential(fc(t, CLAIMS, { userinfo: { sub: SUB, name: 'Alice' } }))));
  proves(check.fcClaimsEssential, 'name in the fragment ID token only (a warning)', each((t) => judge.judgeClaimsEssential(fc(t, { ...CLAIMS, name: 'Alice' }, { userinfo: { sub: SUB } }))), /has none/);

  for (const [definition, scope, good, bad, pattern] of [
    [check.fcScopeProfile, 'profile', { name: 'Alice', updated_at: 1700000000 }, { name: 'Alice', updated_at: 1700000000000 }, /updated_at/],
    [check.fcScopeEmail, 'email', { email: 'a@example.com', email_verified: true }, { email: 'a@example.com', email_verified: 'true' }, /email_verified/],
    [check.fcScopeAddress, 'address', { address: { country: 'GB' } }, { address: '1 Rabbit Hole' }, /address/],
    [check.fcScopePhone, 'phone', { phone_number: '+44 20 7946 0001', phone_number_verified: false }, { phone_number: '+44', phone_number_verified: 0 }, /phone_number_verified/],
    [check.fcScopeOrder, 'email', { email: 'a@example.com', email_verified: true }, { sub: 'someone-else' }, /sub differs/],
  ] as const) {
    passesOn(definition, `${scope} claims typed in userinfo`, each((t) => judge.judgeScopeClaims(fc(t, CLAIMS, { userinfo: { sub: SUB, ...good } }), [scope])));
    proves(definition, `${scope} claims wrong for id_token token`, secondBreaks((t) => judge.judgeScopeClaims(fc(t, CLAIMS, { userinfo: { sub: SUB, ...good } }), [scope]), (t) => judge.judgeScopeClaims(fc(t, CLAIMS, { userinfo: { sub: SUB, ...bad } }), [scope])), pattern);
  }

  const later = { ...CLAIMS, auth_time: now };
  passesOn(check.fcPromptLogin, 'the login form and a later auth_time', each((t) => judge.judgePromptLogin(fcFirst(t), fc(t, later, { interactions: ['login'] }))));
  proves(check.fcPromptLogin, 'no login form for code id_token', each((t) => judge.judgePromptLogin(fcFirst(t), t === TYPES[0] ? fc(t) : fc(t, later, { interactions: ['login'] }))), /code id_token.*did not show the login form/);

  passesOn(check.fcMaxAge1, 'a new login with a later auth_time', each((t) => judge.judgeMaxAge1(fcFirst(t), fc(t, later, { interactions: ['login'] }))));
  proves(check.fcMaxAge1, 'no new login', each((t) => judge.judgeMaxAge1(fcFirst(t), fc(t))), /not re-authenticated/);

  const token = (status: number, json: unknown) => exchange(status, json, { 'content-type': 'application/json', 'cache-control': 'no-store' }, 'https://op.example.com/token');
  const granted = () => token(200, { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: jwt(CLAIMS) });
  passesOn(check.fcCodeReuseAfterDelay, 'invalid_grant, the access token refused', () => judge.judgeCodeReuseAfterDelay(granted(), token(400, { error: 'invalid_grant' }), exchange(401, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' }), 2000));
  proves(check.fcCodeReuseAfterDelay, 'the code redeemed twice', () => judge.judgeCodeReuseAfterDelay(granted(), granted(), undefined, 2000), /accepted/);
  proves(check.fcCodeReuseAfterDelay, 'the first access token still accepted (a warning)', () => judge.judgeCodeReuseAfterDelay(granted(), token(400, { error: 'invalid_grant' }), exchange(200, { sub: SUB }), 2000), /still works/);

  test('judgeEachResponseType: a type the target does not offer is skipped and said; all skipped is a SKIP', async () => {
    const skip = () => {
      throw new CheckSkip('not offered');
    };
    const passed = await judge.judgeEachResponseType(TYPES, (t) => (t === TYPES[0] ? skip() : judge.judgeSucceeds(fc(t), 'x')));
    expect(passed.message).toMatch(/id_token token: x: the flow succeeded.*code id_token skipped \(not offered\)/);
    await expect(judge.judgeEachResponseType(TYPES, skip)).rejects.toBeInstanceOf(CheckSkip);
  });

  test('judgeEachResponseType: a hard failure wins over a warning', async () => {
    const failure = await judge
      .judgeEachResponseType(TYPES, (t) => (t === TYPES[0] ? judge.judgeAcrValues(fc(t, { ...CLAIMS, acr: 'other' }), ['a']) : judge.judgeSucceeds(error('invalid_request', frag(t)), 'x')))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as CheckFailure).warnOnly).toBe(false);
    expect((failure as CheckFailure).message).toMatch(/^response_type "id_token token"/);
  });
});

// Judges of the request-parameter checks: pure functions of what the browser saw (the runs, with
// the interactions the profile's scripts performed) and of the token and userinfo responses, so
// each can be proven on a good and a bad sample without a provider or a browser.
import { CheckFailure, CheckSkip, type PassDetails, failCheck } from '../../harness/checks.ts';
import type { AuthorizationRun } from '../../harness/flows/authorization.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { SCOPE_CLAIMS } from '../../harness/judge/scope-claims.ts';
import { validatePayload } from '../../harness/schemas/validate-payload.ts';
import { type Claims, decodeIdToken } from '../../harness/tokens/id-token.ts';
import * as codeFlow from '../code-flow/judges.ts';
import { type CompletedFlow, describeResult } from '../id-token/collect.ts';

/** Errors a prompt=none request may end in (OIDC Core 3.1.2.6). */
export const LOGIN_ERRORS = ['login_required', 'interaction_required', 'consent_required', 'account_selection_required'];
/** Clock skew tolerated, seconds. */
const SKEW = 300;

/** One authorization request of a check and what came of it. */
export interface Attempt {
  label: string;
  run: AuthorizationRun;
  /** The completed flow when the response was a success (code redeemed, ID tokens collected). */
  flow?: CompletedFlow;
  /** Why completing a successful response failed (the redemption refused, say). */
  completionError?: string;
  /** The userinfo response, when the check asked for one. */
  userinfo?: Exchange;
}

/** Every exchange of the attempt, for the evidence. */
export function evidenceOf(...attempts: Array<Attempt | undefined>): string[] {
  const ids: string[] = [];
  for (const attempt of attempts) {
    if (!attempt) continue;
    ids.push(...attempt.run.result.exchanges, ...(attempt.flow?.exchanges ?? []));
    if (attempt.userinfo) ids.push(attempt.userinfo.id);
  }
  return [...new Set(ids)];
}

function fail(attempt: Attempt | Attempt[], message: string, expected: unknown, actual: unknown, warnOnly = false): never {
  const list = Array.isArray(attempt) ? attempt : [attempt];
  throw new CheckFailure(message, { expected, actual, exchanges: evidenceOf(...list), warnOnly });
}

export function isSuccess(attempt: Attempt): boolean {
  return attempt.run.result.outcome === 'response' && attempt.run.result.params.error === undefined;
}

/** What the browser did, for messages: "logged in, consented". */
function interactionsOf(attempt: Attempt): string {
  const done = attempt.run.result.interactions;
  return done.length === 0 ? 'no page shown' : `pages shown: ${done.join(', ')}`;
}

/** The attempt succeeded and completed (code redeemed); the flow, else a failure saying why not. */
export function requireSuccess(attempt: Attempt, what = attempt.label): CompletedFlow {
  if (!isSuccess(attempt)) fail(attempt, `${what}: ${describeResult(attempt.run)}`, 'a successful authorization response', attempt.run.result.outcome === 'page' ? attempt.run.result.page?.url : attempt.run.result.params);
  if (attempt.completionError !== undefined) fail(attempt, `${what}: ${attempt.completionError}`, 'the code redeemed for tokens', attempt.completionError);
  if (!attempt.flow) fail(attempt, `${what}: the flow did not complete`, 'a completed flow', undefined);
  return attempt.flow;
}

/** The claims of the flow's ID token (the token endpoint's when there is one). */
export function idTokenClaims(attempt: Attempt): Claims | undefined {
  const samples = attempt.flow?.idTokens ?? [];
  const sample = samples.find((s) => s.source === 'token endpoint') ?? samples[0];
  return sample ? decodeIdToken(sample.token, sample.exchanges).claims : undefined;
}

/** Claims of the ID token, which must be there (an OpenID success without one fails). */
function requireIdToken(attempt: Attempt, what = attempt.label): Claims {
  const claims = idTokenClaims(attempt);
  if (!claims) fail(attempt, `${what}: no ID token was issued`, 'an ID token', undefined);
  return claims;
}

function passed(attempts: Attempt[], message: string, evidence: Record<string, unknown> = {}): PassDetails {
  return { message, exchanges: evidenceOf(...attempts), evidence };
}

/** A success with no page shown, for the same sub (and the same auth_time when both carry one). */
function judgeSilentSameSession(first: Attempt, attempt: Attempt, what: string): Claims {
  const before = requireIdToken(first, 'the first request of the session');
  requireSuccess(attempt, what);
  if (attempt.run.result.interactions.length > 0) fail(attempt, `${what}: the provider showed its pages (${attempt.run.result.interactions.join(', ')}) although the user was signed in`, 'no page', attempt.run.result.interactions);
  const after = requireIdToken(attempt, what);
  if (after.sub !== before.sub) fail([first, attempt], `${what}: the ID token is for another sub`, before.sub, after.sub);
  if (before.auth_time !== undefined && after.auth_time !== undefined && before.auth_time !== after.auth_time) {
    fail([first, attempt], `${what}: auth_time changed although no one logged in again`, before.auth_time, after.auth_time);
  }
  return after;
}

/** OIDC Core 3.1.2.1: prompt=none with a session succeeds without UI. */
export function judgePromptNoneWithSession(first: Attempt, attempt: Attempt): PassDetails {
  if (attempt.run.result.stoppedAt === 'login') fail(attempt, 'prompt=none in a signed-in session showed the login form', 'a response without any page', attempt.run.result.page?.url);
  if (attempt.run.result.stoppedAt === 'consent') fail(attempt, 'prompt=none showed the consent screen for scopes already consented to', 'a response without any page', attempt.run.result.page?.url);
  judgeSilentSameSession(first, attempt, 'prompt=none in the signed-in session');
  return passed([first, attempt], 'prompt=none in the signed-in session answered at once for the same sub');
}

/** OIDC Core 3.1.2.1: an id_token_hint of the signed-in user with prompt=none succeeds silently. */
export function judgeIdTokenHint(first: Attempt, attempt: Attempt): PassDetails {
  if (attempt.run.result.stoppedAt) fail(attempt, `prompt=none with the user's own id_token_hint showed the ${attempt.run.result.stoppedAt} page`, 'a response without any page', attempt.run.result.page?.url);
  judgeSilentSameSession(first, attempt, 'prompt=none with the id_token_hint of the signed-in user');
  return passed([first, attempt], 'the id_token_hint of the signed-in user was honoured silently');
}

/**
 * A request that must end in an error response: prompt=none with a hint for another user, a
 * forged hint, prompt="none login". A success fails; a login or consent page under prompt=none
 * fails; another page of the provider is only a warning (an error shown instead of redirected).
 */
export function judgeRefused(attempt: Attempt, what: string, options: { errors?: string[]; wrongSub?: string } = {}): PassDetails {
  const { result } = attempt.run;
  if (isSuccess(attempt)) {
    const claims = idTokenClaims(attempt);
    const whose = claims?.sub !== undefined ? ` (an ID token for sub ${String(claims.sub)})` : '';
    fail(attempt, `${what} succeeded${whose}`, options.errors ? `error ${options.errors.join(' or ')}` : 'an error response', { params: Object.keys(result.params), sub: claims?.sub });
  }
  if (result.stoppedAt) fail(attempt, `${what} showed the ${result.stoppedAt} page although prompt=none forbids any`, 'an error response', result.page?.url);
  if (result.outcome === 'page') fail(attempt, `${what} was answered with a page of the provider, not an error at the redirect URI: ${describeResult(attempt.run)}`, 'an error response at the redirect URI', result.page?.url, true);
  const error = result.params.error!;
  if (options.errors && !options.errors.includes(error)) fail(attempt, `${what} was refused with error=${error}`, options.errors, error, true);
  return passed([attempt], `${what} was refused with error=${error}`);
}

/** OIDC Core 3.1.2.1, 3.1.2.3: prompt=login re-authenticates; auth_time moves forward. */
export function judgePromptLogin(first: Attempt, attempt: Attempt): PassDetails {
  const { result } = attempt.run;
  if (result.outcome === 'response' && result.params.error === 'login_required') return passed([attempt], 'prompt=login was answered with login_required (the provider cannot re-authenticate)');
  const flow = requireSuccess(attempt, 'prompt=login');
  if (!result.interactions.includes('login')) fail(attempt, `prompt=login did not show the login form (${interactionsOf(attempt)}): the user was not re-authenticated`, 'the login form', result.interactions);
  const before = requireIdToken(first, 'the first request of the session');
  const after = requireIdToken(attempt, 'prompt=login');
  if (after.sub !== before.sub) fail([first, attempt], 'prompt=login: the ID token is for another sub', before.sub, after.sub);
  if (typeof before.auth_time === 'number' && typeof after.auth_time === 'number' && after.auth_time <= before.auth_time) {
    fail([first, attempt], 'prompt=login: auth_time did not move forward after the new login', `> ${before.auth_time}`, after.auth_time);
  }
  return passed([first, attempt], `prompt=login showed the login form again; auth_time ${String(before.auth_time)} -> ${String(after.auth_time)}`, { tokens: flow.idTokens.length });
}

/** OIDC Core 3.1.2.1: prompt=consent prompts again, or consent_required. */
export function judgePromptConsent(attempt: Attempt): PassDetails {
  const { result } = attempt.run;
  if (result.outcome === 'response' && result.params.error === 'consent_required') return passed([attempt], 'prompt=consent was answered with consent_required');
  requireSuccess(attempt, 'prompt=consent');
  if (!result.interactions.includes('consent')) fail(attempt, `prompt=consent did not show the consent screen (${interactionsOf(attempt)})`, 'the consent screen', result.interactions);
  return passed([attempt], 'prompt=consent showed the consent screen again');
}

/** OIDC Core 3.1.2.1: max_age elapsed → active re-authentication; auth_time required, newer, recent. */
export function judgeMaxAge1(previous: Attempt, attempt: Attempt): PassDetails {
  const { result } = attempt.run;
  requireSuccess(attempt, 'max_age=1');
  if (!result.interactions.includes('login')) fail(attempt, `max_age=1 two seconds after the login did not show the login form (${interactionsOf(attempt)}): the user was not re-authenticated`, 'the login form', result.interactions);
  const after = requireIdToken(attempt, 'max_age=1');
  if (after.auth_time === undefined) fail(attempt, 'max_age=1: no auth_time in the ID token although max_age was sent', 'auth_time', undefined);
  if (typeof after.auth_time !== 'number') fail(attempt, 'max_age=1: auth_time is not a number', 'seconds since the epoch', after.auth_time);
  const before = idTokenClaims(previous);
  if (typeof before?.auth_time === 'number' && after.auth_time <= before.auth_time) fail([previous, attempt], 'max_age=1: auth_time did not move forward after the new login', `> ${before.auth_time}`, after.auth_time);
  const sample = attempt.flow!.idTokens.at(-1)!;
  if (Math.abs(after.auth_time - sample.receivedAt) > SKEW) fail(attempt, 'max_age=1: auth_time is not the time of the login just made', `about ${sample.receivedAt}`, after.auth_time);
  return passed([previous, attempt], `max_age=1 made the user log in again; auth_time ${String(before?.auth_time)} -> ${after.auth_time}`);
}

/** OIDC Core 3.1.2.1: max_age not elapsed → no login; auth_time in both and unchanged. */
export function judgeMaxAge10000(first: Attempt, attempt: Attempt): PassDetails {
  if (attempt.run.result.stoppedAt === 'login') fail(attempt, 'max_age=10000 a few seconds after the login showed the login form again', 'no new login', attempt.run.result.page?.url);
  const before = requireIdToken(first, 'the first request (max_age=15000)');
  if (before.auth_time === undefined) fail(first, 'no auth_time in the ID token of a request with max_age=15000', 'auth_time', undefined);
  const after = judgeSilentSameSession(first, attempt, 'max_age=10000');
  if (after.auth_time === undefined) fail(attempt, 'no auth_time in the ID token of a request with max_age=10000', 'auth_time', undefined);
  return passed([first, attempt], `max_age=10000 needed no new login; auth_time ${String(after.auth_time)} in both ID tokens`);
}

/** The request must simply succeed (display, locales, unknown and empty parameters, login_hint...). */
export function judgeSucceeds(attempt: Attempt, what: string): PassDetails {
  requireSuccess(attempt, what);
  requireIdToken(attempt, what);
  return passed([attempt], `${what}: the flow succeeded (${interactionsOf(attempt)})`);
}

/** OIDC Core 15.1: acr_values causes no error; 5.5.1.1: a returned acr should be a requested one. */
export function judgeAcrValues(attempt: Attempt, requested: string[]): PassDetails {
  requireSuccess(attempt, 'acr_values');
  const claims = requireIdToken(attempt, 'acr_values');
  if (claims.acr !== undefined && !requested.includes(String(claims.acr))) fail(attempt, `acr_values: the ID token's acr "${String(claims.acr)}" is none of the requested values`, requested, claims.acr, true);
  return passed([attempt], `acr_values=${requested.join(' ')} succeeded${claims.acr !== undefined ? ` with acr ${String(claims.acr)}` : ' (no acr returned)'}`);
}

/** OIDC Core 5.5.1.1: essential acr with values: one of them, or a failed authentication. */
export function judgeAcrEssential(satisfiable: Attempt | undefined, unsatisfiable: Attempt, values: { known?: string; unknown: string }): PassDetails {
  const attempts = [unsatisfiable];
  if (satisfiable && values.known !== undefined) {
    attempts.unshift(satisfiable);
    requireSuccess(satisfiable, `essential acr ${values.known}`);
    const claims = requireIdToken(satisfiable, `essential acr ${values.known}`);
    if (claims.acr !== values.known) fail(satisfiable, `acr was requested as essential with the advertised value ${values.known}, but the ID token carries ${claims.acr === undefined ? 'no acr' : `"${String(claims.acr)}"`}`, values.known, claims.acr);
  }
  if (isSuccess(unsatisfiable)) {
    const claims = idTokenClaims(unsatisfiable);
    fail(unsatisfiable, `acr was requested as essential with only the unknown value ${values.unknown}, yet the authentication succeeded${claims?.acr !== undefined ? ` with acr "${String(claims.acr)}"` : ''}`, 'a failed authentication (an error response)', claims?.acr);
  }
  return passed(attempts, `essential acr honoured${values.known ? ` (${values.known})` : ''}; the unknown value ${values.unknown} failed the authentication (${describeResult(unsatisfiable.run)})`);
}

/** RFC 6749 3.1.1: the order of response_type values does not matter. */
export function judgeResponseTypeOrder(attempt: Attempt): PassDetails {
  const flow = requireSuccess(attempt, 'response_type "id_token code"');
  const { params } = attempt.run.result;
  if (params.code === undefined || params.id_token === undefined) fail(attempt, 'response_type "id_token code" did not return both a code and an ID token', ['code', 'id_token'], Object.keys(params));
  return passed([attempt], `response_type "id_token code" was handled as "code id_token" (${flow.idTokens.length} ID tokens)`);
}

/** A page or redirect answering a request without response_type (judged from the HTTP exchange). */
export function judgeResponseTypeMissing(exchange: Exchange, redirectUri: string, state: string): PassDetails {
  const status = exchange.response?.status;
  const location = exchange.response?.headers.location;
  const target = typeof location === 'string' ? safeUrl(location, exchange.request.url) : undefined;
  const atRedirect = target && `${target.origin}${target.pathname}` === redirectUri.replace(/[?#].*$/, '');
  if (status !== undefined && status >= 300 && status < 400 && atRedirect) {
    const params = new URLSearchParams(target.search || target.hash.slice(1));
    const error = params.get('error');
    if (params.has('code') || params.has('id_token') || params.has('access_token')) failCheck('a request without response_type was answered with a code or tokens', { expected: 'an error', actual: [...params.keys()], exchanges: [exchange.id] });
    if (!error || !['invalid_request', 'unsupported_response_type'].includes(error)) failCheck(`a request without response_type was redirected with error=${error ?? '(none)'}`, { expected: ['invalid_request', 'unsupported_response_type'], actual: error, exchanges: [exchange.id] });
    if (params.get('state') !== state) failCheck('the error redirect does not carry the state unchanged', { expected: state, actual: params.get('state'), exchanges: [exchange.id] });
    return { message: `a request without response_type was redirected with error=${error} and the state`, exchanges: [exchange.id] };
  }
  if (status !== undefined && status >= 300 && status < 400) {
    failCheck(`a request without response_type was redirected to ${location ?? '(no Location)'}: the provider went on with it (a login, a default response type) instead of an error`, { expected: 'an error page or an error redirect', actual: { status, location }, exchanges: [exchange.id] });
  }
  if (status === 200) {
    const body = exchange.response?.body ?? '';
    if (/<input[^>]+type=["']?password/i.test(body)) failCheck('a request without response_type was answered with the login form', { expected: 'an error page or an error redirect', actual: 'a login form (HTTP 200)', exchanges: [exchange.id] });
    if (/<form[^>]+method=["']?post/i.test(body) && body.includes(redirectUri)) failCheck('a request without response_type was answered with a form posting to the redirect URI', { expected: 'an error', actual: 'a form_post page', exchanges: [exchange.id] });
  }
  return { message: `a request without response_type was answered with an error page (HTTP ${status ?? '?'})`, exchanges: [exchange.id] };
}

/**
 * RFC 6749 3.1: a parameter MUST NOT be sent twice; the request is malformed (invalid_request).
 * An error page or an error redirect passes; a code, or the login page (the request processed),
 * is the breach (a warning: the rule binds the sender, the refusal is implied).
 */
export function judgeDuplicateRefused(exchange: Exchange, redirectUri: string): PassDetails {
  const status = exchange.response?.status;
  const location = exchange.response?.headers.location;
  const target = typeof location === 'string' ? safeUrl(location, exchange.request.url) : undefined;
  if (status !== undefined && status >= 300 && status < 400) {
    if (target && `${target.origin}${target.pathname}` === redirectUri.replace(/[?#].*$/, '')) {
      const params = new URLSearchParams(target.search || target.hash.slice(1));
      const error = params.get('error');
      if (error) return { message: `a repeated scope parameter was refused with error=${error}`, exchanges: [exchange.id] };
      failCheck('a request repeating scope was answered with a response, not an error', { expected: 'error=invalid_request', actual: [...params.keys()], exchanges: [exchange.id] });
    }
    failCheck(`a request repeating scope was processed: the provider went on to ${location ?? '(no Location)'}`, { expected: 'an error page or an error redirect', actual: { status, location }, exchanges: [exchange.id] });
  }
  if (status === 200 && /<input[^>]+type=["']?password/i.test(exchange.response?.body ?? '')) {
    failCheck('a request repeating scope was answered with the login form', { expected: 'an error', actual: 'a login form (HTTP 200)', exchanges: [exchange.id] });
  }
  return { message: `a repeated scope parameter was refused with an error page (HTTP ${status ?? '?'})`, exchanges: [exchange.id] };
}

function safeUrl(value: string, base: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/** OIDC Core 3.1.2.1: an unknown scope value is ignored (SHOULD); RFC 6749 3.3 lets the scope be narrowed. */
export function judgeUnknownScope(attempt: Attempt): PassDetails {
  if (!isSuccess(attempt)) fail(attempt, `scope "openid" plus an unknown value was refused: ${describeResult(attempt.run)}`, 'the unknown value ignored', attempt.run.result.params.error ?? attempt.run.result.page?.url);
  return judgeSucceeds(attempt, 'an unknown scope value next to openid');
}

/** RFC 6749 3.3: no scope → a documented default or invalid_scope. */
export function judgeScopeOmitted(attempt: Attempt): PassDetails {
  const { result } = attempt.run;
  if (result.outcome === 'response' && result.params.error === 'invalid_scope') return passed([attempt], 'a request without scope failed with invalid_scope');
  if (isSuccess(attempt)) return passed([attempt], 'a request without scope was processed with the provider\'s default scope');
  fail(attempt, `a request without scope: ${describeResult(attempt.run)}`, 'a default scope, or error=invalid_scope', result.params.error ?? result.page?.url);
}

/** OIDC Core 3.1.2.2: without openid it is not an OpenID request: no ID token. */
export function judgeNoOpenid(attempt: Attempt): PassDetails {
  if (!isSuccess(attempt)) return passed([attempt], `a request without openid was refused (${describeResult(attempt.run)})`);
  const tokens = attempt.flow?.idTokens ?? [];
  if (tokens.length > 0) fail(attempt, `a request without the openid scope got ${tokens.length} ID token(s) (${tokens.map((t) => t.source).join(', ')})`, 'no ID token', tokens.length);
  if (attempt.completionError !== undefined) return passed([attempt], `a request without openid got a code that could not be redeemed (${attempt.completionError})`);
  return passed([attempt], 'a request without openid was processed as plain OAuth, without an ID token');
}

/**
 * OIDC Core 5.4: the scope's claims come from userinfo when an access token is issued, else in the
 * ID token; typed per 5.1; userinfo's sub is the ID token's (5.3.2). A requested claim missing is
 * only a warning (claims are voluntary and the user may not have them).
 */
export function judgeScopeClaims(attempt: Attempt, scopes: string[]): PassDetails {
  const flow = requireSuccess(attempt);
  const idClaims = requireIdToken(attempt);
  let source: Record<string, unknown>;
  let where: string;
  if (flow.accessToken !== undefined) {
    const exchange = attempt.userinfo;
    if (!exchange) fail(attempt, `${attempt.label}: userinfo was not asked`, 'a userinfo response', undefined);
    if (exchange.response?.status !== 200) fail(attempt, `${attempt.label}: userinfo answered HTTP ${exchange.response?.status ?? 'nothing'}`, 200, exchange.response?.status);
    const json = exchange.response.json;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(attempt, `${attempt.label}: userinfo did not answer a JSON object`, 'a JSON object', exchange.response.body.slice(0, 120));
    source = json as Record<string, unknown>;
    where = 'userinfo';
    const result = validatePayload('userinfo', source);
    if (!result.valid) fail(attempt, `${attempt.label}: userinfo claims do not have their defined types: ${result.errors.join('; ')}`, 'claims typed per OIDC Core 5.1', result.errors);
    if (source.sub !== idClaims.sub) fail(attempt, `${attempt.label}: userinfo's sub differs from the ID token's`, idClaims.sub, source.sub);
  } else {
    source = idClaims;
    where = 'the ID token';
  }
  const wanted = scopes.flatMap((s) => SCOPE_CLAIMS[s] ?? []);
  if (where === 'the ID token') {
    // Only the scope's claims are judged here (the id-token checks judge the rest of the token);
    // the userinfo schema types them, with a stand-in for its required sub.
    const picked = Object.fromEntries(wanted.filter((name) => source[name] !== undefined).map((name) => [name, source[name]]));
    const typed = validatePayload('userinfo', { ...picked, sub: 'stand-in' });
    if (!typed.valid) fail(attempt, `${attempt.label}: scope claims in the ID token do not have their defined types: ${typed.errors.join('; ')}`, 'claims typed per OIDC Core 5.1', typed.errors);
  }
  const updatedAt = source.updated_at;
  if (typeof updatedAt === 'number' && updatedAt > 1e11) fail(attempt, `${attempt.label}: updated_at in ${where} looks like milliseconds`, 'seconds since the epoch', updatedAt);
  const found = wanted.filter((name) => source[name] !== undefined);
  const missing = scopes.filter((s) => (SCOPE_CLAIMS[s] ?? []).every((name) => source[name] === undefined));
  if (missing.length > 0) fail(attempt, `${attempt.label}: no claim of scope ${missing.join(', ')} in ${where} (the test user may lack them; OIDC Core 5.4 makes them voluntary)`, wanted, Object.keys(source), true);
  return passed([attempt], `${attempt.label}: ${found.length} claims of ${scopes.join(' ')} in ${where}, well typed, same sub`, { where, claims: found });
}

/** OIDC Core 5.5: claims.userinfo name essential: success; name from userinfo, not the ID token. */
export function judgeClaimsEssential(attempt: Attempt): PassDetails {
  requireSuccess(attempt, 'claims={"userinfo":{"name":{"essential":true}}}');
  const idClaims = requireIdToken(attempt);
  const exchange = attempt.userinfo;
  if (!exchange || exchange.response?.status !== 200) fail(attempt, `userinfo answered HTTP ${exchange?.response?.status ?? 'nothing'}`, 200, exchange?.response?.status);
  const body = exchange.response.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(attempt, 'userinfo did not answer a JSON object', 'a JSON object', exchange.response.body.slice(0, 120));
  const json = body as Record<string, unknown>;
  if (json.sub !== idClaims.sub) fail(attempt, 'userinfo\'s sub differs from the ID token\'s', idClaims.sub, json.sub);
  if (json.name === undefined) fail(attempt, 'name was requested as an essential userinfo claim but userinfo has none (the test user may lack it)', 'name', Object.keys(json), true);
  if (idClaims.name !== undefined) fail(attempt, 'name was requested for userinfo only, yet the ID token carries it', 'no name in the ID token', idClaims.name, true);
  return passed([attempt], 'the essential userinfo claim name came from userinfo');
}

/** OIDC Core 5.5, 2: claims.id_token: auth_time (essential: REQUIRED) and email in the ID token. */
export function judgeClaimsIdToken(attempt: Attempt): PassDetails {
  requireSuccess(attempt, 'claims={"id_token":{...}}');
  const claims = requireIdToken(attempt);
  if (claims.auth_time === undefined) fail(attempt, 'auth_time was requested as an essential ID token claim but is missing', 'auth_time', Object.keys(claims));
  if (claims.email === undefined) fail(attempt, 'email was requested in the ID token but is missing (the test user may lack it)', 'email', Object.keys(claims), true);
  return passed([attempt], 'the ID token carries the requested auth_time and email');
}

/**
 * OIDC Core 6.1, 6.3.3: an unsigned request object is used (its state and nonce win), or refused
 * with request_not_supported. Ignoring it (the outer parameters used) is the failure.
 */
export function judgeRequestObject(attempt: Attempt, inside: { state: string; nonce: string }, advertised: unknown): PassDetails {
  const { result } = attempt.run;
  if (result.outcome === 'response' && result.params.error === 'request_not_supported') {
    if (advertised === true) fail(attempt, 'request_parameter_supported is true in discovery, yet the request object was refused with request_not_supported', 'the request object honoured', 'request_not_supported', true);
    return passed([attempt], 'the request object was refused with request_not_supported');
  }
  if (result.outcome === 'response' && result.params.error !== undefined) fail(attempt, `the request object was refused with error=${result.params.error}`, 'success, or request_not_supported', result.params.error);
  requireSuccess(attempt, 'the request with an unsigned request object');
  if (result.params.state !== inside.state) fail(attempt, 'the response does not carry the state of the request object: the object was ignored', inside.state, result.params.state ?? null);
  const claims = requireIdToken(attempt);
  if (claims.nonce !== inside.nonce) fail(attempt, 'the ID token does not carry the nonce of the request object', inside.nonce, claims.nonce);
  return passed([attempt], 'the request object was honoured: its state and nonce came back');
}

/** OIDC Core 6.3.3: the object's redirect_uri wins over the query's. */
export function judgeRequestObjectRedirectUri(attempt: Attempt, objectRedirectUri: string): PassDetails {
  const { result } = attempt.run;
  if (result.outcome !== 'response') fail(attempt, `the response did not go to the request object's redirect_uri: ${describeResult(attempt.run)}`, objectRedirectUri, result.page?.url);
  if (result.params.error === 'request_not_supported') throw new CheckSkip('the provider does not support request objects (request_not_supported)');
  requireSuccess(attempt, 'the request object naming the redirect_uri');
  return passed([attempt], `the response went to the request object's redirect_uri ${objectRedirectUri}`);
}

/** What the harness's request_uri server saw. */
export interface RequestUriLog {
  fetched: number;
}

/**
 * OIDC Core 6.2: request_uri honoured (the object's state comes back) or request_uri_not_supported
 * (a warning when discovery says it is supported, which it does by default when silent).
 */
export function judgeRequestUri(attempt: Attempt, inside: { state: string }, log: RequestUriLog, advertised: unknown): PassDetails {
  const { result } = attempt.run;
  const error = result.outcome === 'response' ? result.params.error : undefined;
  if (error === 'request_uri_not_supported') {
    if (advertised !== false) fail(attempt, `request_uri was refused with request_uri_not_supported while discovery ${advertised === true ? 'says request_uri_parameter_supported: true' : 'omits request_uri_parameter_supported (default true)'}`, 'request_uri_parameter_supported: false', advertised ?? '(omitted: true)', true);
    return passed([attempt], 'request_uri was refused with request_uri_not_supported, as discovery says');
  }
  if (error !== undefined) {
    if (log.fetched === 0) throw new CheckSkip(`the provider answered error=${error} without fetching the request object (the harness serves it over http on loopback, which a provider may refuse or not reach)`);
    fail(attempt, `the provider fetched the request object but answered error=${error}`, 'the request object honoured', error);
  }
  if (result.outcome !== 'response') fail(attempt, `request_uri: ${describeResult(attempt.run)}`, 'a response at the redirect URI', result.page?.url);
  if (result.params.state !== inside.state) fail(attempt, `the response does not carry the state of the referenced request object: request_uri was ignored (fetched ${log.fetched} times)`, inside.state, result.params.state ?? null);
  requireSuccess(attempt, 'the request_uri request');
  return passed([attempt], `request_uri was honoured (the object fetched ${log.fetched} time(s), its state came back)`);
}

/** prompt=none without a session, for one response type: a login error in the type's default mode, with the state. */
export function judgePromptNoneNoSession(attempts: Array<{ attempt: Attempt; state: string; mode: 'query' | 'fragment' }>): PassDetails {
  if (attempts.length === 0) throw new CheckSkip('the target offers no OpenID response type');
  for (const { attempt, state, mode } of attempts) {
    const { result } = attempt.run;
    const what = `prompt=none without a session (response_type ${attempt.run.sent.params.response_type})`;
    if (result.stoppedAt) fail(attempt, `${what} showed the ${result.stoppedAt} page`, 'an error response without any page', result.page?.url);
    if (result.outcome !== 'response') fail(attempt, `${what}: ${describeResult(attempt.run)}`, `error ${LOGIN_ERRORS.join('|')} at the redirect URI`, result.page?.url);
    const error = result.params.error;
    if (error === undefined) fail(attempt, `${what} succeeded without a session`, 'a login error', Object.keys(result.params));
    if (!LOGIN_ERRORS.includes(error)) fail(attempt, `${what} got error=${error}`, LOGIN_ERRORS, error);
    if (result.params.state !== state) fail(attempt, `${what}: the error does not carry the state unchanged`, state, result.params.state ?? null);
    if (result.via !== mode) fail(attempt, `${what}: the error came in the ${result.via}, not the ${mode} (the default response mode of this response type)`, mode, result.via);
  }
  return passed(attempts.map((a) => a.attempt), `${attempts.length} response types got a login error at once: ${attempts.map((a) => `${a.attempt.run.sent.params.response_type} -> ${a.attempt.run.result.params.error}`).join(', ')}`);
}

// ---- the implicit and hybrid plans' response types (front-channel.browser.suite.ts) -------------

/** One response type's verdict, judged by `judgeOne` (which may throw a failure or a skip). */
async function verdictOf(responseType: string, judgeOne: (responseType: string) => PassDetails | Promise<PassDetails>) {
  try {
    return { responseType, passed: await judgeOne(responseType) };
  } catch (error) {
    if (error instanceof CheckSkip) return { responseType, skipped: error.reason };
    if (error instanceof CheckFailure) return { responseType, failure: error };
    if (error instanceof Error) error.message = `response_type "${responseType}": ${error.message}`;
    throw error;
  }
}

/**
 * The same judge for each response type the check runs with (the implicit and hybrid plans'
 * representatives): a failure names the response type (a hard failure before a warning), a type
 * the target does not offer is skipped and said, and the check SKIPs when every type was skipped.
 */
export async function judgeEachResponseType(responseTypes: string[], judgeOne: (responseType: string) => PassDetails | Promise<PassDetails>): Promise<PassDetails> {
  const verdicts = [];
  for (const responseType of responseTypes) verdicts.push(await verdictOf(responseType, judgeOne));
  const failures = verdicts.filter((v) => v.failure !== undefined);
  const failed = failures.find((v) => !v.failure!.warnOnly) ?? failures[0];
  if (failed) {
    const { failure } = failed;
    const others = verdicts.filter((v) => v !== failed).map((v) => `${v.responseType}: ${v.passed ? 'passed' : v.skipped !== undefined ? `skipped (${v.skipped})` : v.failure!.message}`);
    throw new CheckFailure(`response_type "${failed.responseType}": ${failure!.message}${others.length > 0 ? ` [${others.join('; ')}]` : ''}`, {
      ...(failure!.hasExpected ? { expected: failure!.expected } : {}),
      actual: failure!.actual,
      exchanges: [...new Set(verdicts.flatMap((v) => v.failure?.exchanges ?? v.passed?.exchanges ?? []))],
      evidence: { ...failure!.evidence, responseType: failed.responseType },
      warnOnly: failure!.warnOnly,
    });
  }
  const passed = verdicts.filter((v) => v.passed !== undefined);
  if (passed.length === 0) throw new CheckSkip(verdicts.map((v) => `response_type "${v.responseType}": ${v.skipped}`).join('; '));
  const skipped = verdicts.filter((v) => v.skipped !== undefined);
  return {
    message: [...passed.map((v) => `${v.responseType}: ${v.passed!.message ?? 'passed'}`), ...skipped.map((v) => `${v.responseType} skipped (${v.skipped})`)].join('; '),
    exchanges: [...new Set(passed.flatMap((v) => v.passed!.exchanges ?? []))],
    evidence: Object.fromEntries(passed.map((v) => [v.responseType, v.passed!.evidence ?? {}])),
  };
}

/**
 * The front-channel response of a response type other than code came in the fragment, its
 * default response mode (OAuth 2.0 Multiple Response Types 5), and the request then succeeded.
 */
export function requireFragment(attempt: Attempt): void {
  const { result } = attempt.run;
  if (result.outcome === 'response' && result.via !== undefined && result.via !== 'fragment') {
    fail(attempt, `${attempt.label}: the response came in the ${result.via}, not the fragment (the default response mode of response_type ${attempt.run.sent.params.response_type})`, 'fragment', result.via);
  }
}

/**
 * RFC 6749 4.1.2, 10.5 (OFCS oidcc-codereuse-30seconds, hybrid): the code of a front-channel
 * response, redeemed again after the delay, is refused with invalid_grant; the first redemption's
 * access token should stop working (still accepted at userinfo is a warning). The code flow's judges.
 */
export function judgeCodeReuseAfterDelay(first: Exchange, second: Exchange, userinfo: Exchange | undefined, delayMs: number): PassDetails {
  const refused = codeFlow.judgeReuseRefused(first, second);
  if (!userinfo) return { ...refused, message: `${delayMs / 1000} s later: ${refused.message ?? ''}` };
  const dead = codeFlow.judgeTokensDead([{ what: 'the access token of the first redemption', exchange: userinfo }], `after the code was redeemed again ${delayMs / 1000} s later`, { warnOnly: true });
  return { exchanges: [...(refused.exchanges ?? []), ...(dead.exchanges ?? [])], message: `${delayMs / 1000} s later: ${refused.message ?? ''}; ${dead.message ?? ''}` };
}

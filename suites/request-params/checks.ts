// Authorization request parameters (OIDC Core 3.1.2.1-3.1.2.3, 5.4, 5.5, 6, 15.1; RFC 6749 3.1,
// 3.3), driven in a real browser: prompt, max_age, id_token_hint, login_hint, display, locales,
// acr_values, claims, request objects and request_uri, scopes and their claims, and the
// parameters a provider must ignore.
import { defineCheck } from '../../harness/checks.ts';

const area = 'request-params';

export const promptNoneWithSession = defineCheck({
  id: 'request-params/prompt-none-with-session',
  title: 'prompt=none in a signed-in session succeeds at once, without any page, for the same sub and auth_time',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.3', 'OIDCC-15.1'],
  requirements: ['AZ-20'],
  level: 'MUST',
});

export const promptNoneNoSession = defineCheck({
  id: 'request-params/prompt-none-no-session',
  title: 'prompt=none without a session shows no page: every offered response type gets a login error, with the state, in its default response mode',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.3', 'OIDCC-3.1.2.6', 'OAuth2-RT-5'],
  requirements: ['AZ-20', 'ERR-10', 'AZ-15'],
  level: 'MUST',
});

export const promptNoneCombined = defineCheck({
  id: 'request-params/prompt-none-combined',
  title: 'prompt="none login" is answered with an error, not a page and not a success',
  area,
  refs: ['OIDCC-3.1.2.1'],
  requirements: ['AZ-22'],
  level: 'SHOULD',
});

export const promptLogin = defineCheck({
  id: 'request-params/prompt-login',
  title: 'prompt=login in a signed-in session shows the login form again, and the new ID token has a later auth_time',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.3', 'OIDCC-15.1'],
  requirements: ['AZ-21'],
  level: 'MUST',
});

export const promptConsent = defineCheck({
  id: 'request-params/prompt-consent',
  title: 'prompt=consent shows the consent screen again although consent was given (or answers consent_required)',
  area,
  refs: ['OIDCC-3.1.2.1'],
  requirements: ['AZ-23'],
  level: 'SHOULD',
});

export const maxAge1 = defineCheck({
  id: 'request-params/max-age-1',
  title: 'max_age=1, two seconds after the login, makes the user log in again; the ID token carries a newer auth_time',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-2', 'OIDCC-15.1'],
  requirements: ['AZ-27', 'IDT-10'],
  level: 'MUST',
});

export const maxAge10000 = defineCheck({
  id: 'request-params/max-age-10000',
  title: 'max_age=10000 in a fresh session needs no new login; both ID tokens carry the same auth_time and sub',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-2'],
  requirements: ['AZ-27', 'IDT-10'],
  level: 'MUST',
});

export const idTokenHint = defineCheck({
  id: 'request-params/id-token-hint',
  title: 'prompt=none with an earlier ID token of the signed-in user as id_token_hint succeeds silently for the same sub',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-30', 'AZ-31'],
  level: 'MUST',
});

export const idTokenHintForged = defineCheck({
  id: 'request-params/id-token-hint-forged',
  title: 'An id_token_hint whose signature does not verify is refused with an error, never honoured',
  area,
  refs: ['OIDCC-3.1.2.2'],
  requirements: ['AZ-30'],
  level: 'MUST',
});

export const idTokenHintOtherUser = defineCheck({
  id: 'request-params/id-token-hint-other-user',
  title: 'With another user signed in, prompt=none and an id_token_hint for the first user get an error, never tokens for the signed-in user',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-29', 'AZ-32'],
  level: 'MUST',
});

export const subClaimOtherUser = defineCheck({
  id: 'request-params/sub-claim-other-user',
  title: 'With another user signed in, claims={"id_token":{"sub":{"value":<first user>}}} and prompt=none get an error, never tokens for the signed-in user',
  area,
  refs: ['OIDCC-3.1.2.2', 'OIDCC-5.5.1'],
  requirements: ['AZ-32'],
  level: 'MUST',
});

export const loginHint = defineCheck({
  id: 'request-params/login-hint',
  title: 'A request with login_hint (the second test user) succeeds after that user logs in',
  area,
  refs: ['OIDCC-3.1.2.1'],
  requirements: [],
  level: 'SHOULD',
});

export const displayPage = defineCheck({
  id: 'request-params/display-page',
  title: 'display=page in a fresh session: the login page works and the flow succeeds',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-15.1'],
  requirements: ['AZ-25'],
  level: 'MUST',
});

export const displayPopup = defineCheck({
  id: 'request-params/display-popup',
  title: 'display=popup in a fresh session: the login page works and the flow succeeds',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-15.1'],
  requirements: ['AZ-25'],
  level: 'MUST',
});

export const uiLocales = defineCheck({
  id: 'request-params/ui-locales',
  title: 'ui_locales with unsupported locales ("se xx-YY") in a fresh session: the login page works and the flow succeeds',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-15.1'],
  requirements: ['AZ-26'],
  level: 'MUST',
});

export const claimsLocales = defineCheck({
  id: 'request-params/claims-locales',
  title: 'claims_locales ("se xx-YY") causes no error: the flow succeeds',
  area,
  refs: ['OIDCC-5.2', 'OIDCC-15.1'],
  requirements: ['AZ-26'],
  level: 'MUST',
});

export const acrValues = defineCheck({
  id: 'request-params/acr-values',
  title: 'acr_values (the advertised values, else "1 2") causes no error; an acr returned should be one of them',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-15.1', 'OIDCC-5.5.1.1'],
  requirements: ['AZ-28'],
  level: 'MUST',
});

export const acrEssential = defineCheck({
  id: 'request-params/acr-essential',
  title: 'acr requested as essential with values: an advertised value is returned as acr; an unknown value fails the authentication',
  area,
  refs: ['OIDCC-5.5.1.1'],
  requirements: ['AZ-40'],
  level: 'MUST',
});

export const unknownParamIgnored = defineCheck({
  id: 'request-params/unknown-param-ignored',
  title: 'Unrecognised request parameters (extra=foobar) are ignored: the flow succeeds',
  area,
  refs: ['RFC6749-3.1', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-04'],
  level: 'MUST',
});

export const emptyParamsIgnored = defineCheck({
  id: 'request-params/empty-params-ignored',
  title: 'Parameters sent with an empty value (display=, ui_locales=, acr_values=) are treated as absent: the flow succeeds',
  area,
  refs: ['RFC6749-3.1'],
  requirements: ['AZ-03'],
  level: 'MUST',
});

export const responseTypeOrder = defineCheck({
  id: 'request-params/response-type-order',
  title: 'response_type "id_token code" is handled as "code id_token" (the order of values does not matter)',
  area,
  refs: ['RFC6749-3.1.1', 'OAuth2-RT-5'],
  requirements: ['AZ-07'],
  level: 'SHOULD',
});

export const responseTypeMissing = defineCheck({
  id: 'request-params/response-type-missing',
  title: 'A request without response_type gets an error (an error page, or invalid_request / unsupported_response_type with the state), never a code or a login',
  area,
  refs: ['RFC6749-3.1.1', 'RFC6749-4.1.2.1', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-06', 'AZ-11'],
  level: 'MUST',
});

export const scopeOrder = defineCheck({
  id: 'request-params/scope-order',
  title: 'scope "email openid" (openid not first) is an OpenID request like any other: the flow succeeds with an ID token and the email claims',
  area,
  refs: ['RFC6749-3.3', 'OIDCC-3.1.2.1'],
  requirements: ['AZ-07', 'AZ-36'],
  level: 'MUST',
});

export const unknownScopeIgnored = defineCheck({
  id: 'request-params/unknown-scope-ignored',
  title: 'An unknown scope value next to openid is ignored (or the scope narrowed): the flow succeeds',
  area,
  refs: ['OIDCC-3.1.2.1', 'RFC6749-3.3'],
  requirements: ['AZ-13'],
  level: 'SHOULD',
});

export const scopeOmitted = defineCheck({
  id: 'request-params/scope-omitted',
  title: 'A request without scope is processed with a default scope or fails with invalid_scope, nothing else',
  area,
  refs: ['RFC6749-3.3'],
  requirements: ['AZ-41'],
  level: 'MUST',
});

export const noOpenidNoIdToken = defineCheck({
  id: 'request-params/no-openid-no-id-token',
  title: 'Without the openid scope no ID token is issued (the request may fail or be plain OAuth)',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-12'],
  level: 'SHOULD',
});

export const scopeProfile = defineCheck({
  id: 'request-params/scope-profile',
  title: 'scope openid profile: userinfo answers with the same sub and well-typed profile claims (missing ones are a warning)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.1', 'OIDCC-5.3.2'],
  requirements: ['AZ-36', 'UI-15', 'UI-17'],
  level: 'MUST',
});

export const scopeEmail = defineCheck({
  id: 'request-params/scope-email',
  title: 'scope openid email: userinfo answers with the same sub and email, email_verified (a boolean)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.1', 'OIDCC-5.3.2'],
  requirements: ['AZ-36', 'UI-15', 'UI-17'],
  level: 'MUST',
});

export const scopeAddress = defineCheck({
  id: 'request-params/scope-address',
  title: 'scope openid address: userinfo answers with the same sub and address as a JSON object',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.1.1', 'OIDCC-5.3.2'],
  requirements: ['AZ-36', 'UI-15', 'UI-17'],
  level: 'MUST',
});

export const scopePhone = defineCheck({
  id: 'request-params/scope-phone',
  title: 'scope openid phone: userinfo answers with the same sub and phone_number, phone_number_verified (a boolean)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.1', 'OIDCC-5.3.2'],
  requirements: ['AZ-36', 'UI-15', 'UI-17'],
  level: 'MUST',
});

export const scopeAll = defineCheck({
  id: 'request-params/scope-all',
  title: 'scope openid profile email address phone, for every offered response type: the claims come from userinfo when an access token is issued, else in the ID token, well typed, for the same sub',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.1', 'OIDCC-5.3.2'],
  requirements: ['AZ-36', 'UI-15', 'UI-17', 'UI-08'],
  level: 'MUST',
});

export const claimsEssential = defineCheck({
  id: 'request-params/claims-essential',
  title: 'claims={"userinfo":{"name":{"essential":true}}} succeeds; name comes from userinfo (a warning when missing, or when it lands in the ID token)',
  area,
  refs: ['OIDCC-5.5', 'OIDCC-5.5.1'],
  requirements: ['AZ-37', 'AZ-39', 'UI-16'],
  level: 'MUST',
});

export const claimsIdToken = defineCheck({
  id: 'request-params/claims-id-token',
  title: 'claims={"id_token":{"email":null,"auth_time":{"essential":true}}}: the ID token carries auth_time, and email when the user has one',
  area,
  refs: ['OIDCC-5.5', 'OIDCC-2'],
  requirements: ['IDT-22', 'IDT-10'],
  level: 'MUST',
});

export const claimsUnknownMembers = defineCheck({
  id: 'request-params/claims-unknown-members',
  title: 'Unknown members in the claims parameter (a top-level member, a claim property, an unavailable essential claim) are ignored: the flow succeeds',
  area,
  refs: ['OIDCC-5.5', 'OIDCC-5.5.1'],
  requirements: ['AZ-38', 'AZ-39'],
  level: 'MUST',
});

export const requestObject = defineCheck({
  id: 'request-params/request-object',
  title: 'An unsigned request object (alg none) passed by value is honoured (state and nonce from the object) or refused with request_not_supported, never ignored',
  area,
  refs: ['OIDCC-6.1', 'OIDCC-6.3.3', 'OIDCC-3.1.2.6'],
  requirements: ['AZ-42', 'AZ-44', 'ERR-11'],
  level: 'MUST',
});

export const requestObjectRedirectUri = defineCheck({
  id: 'request-params/request-object-redirect-uri',
  title: 'The redirect_uri inside a request object wins over an unregistered one in the query: the response goes to the object\'s',
  area,
  refs: ['OIDCC-6.3.3', 'OIDCC-6.1'],
  requirements: ['AZ-44'],
  level: 'MUST',
});

export const requestUri = defineCheck({
  id: 'request-params/request-uri',
  title: 'request_uri (an unsigned request object the harness serves) is honoured or refused with request_uri_not_supported, never ignored',
  area,
  refs: ['OIDCC-6.2', 'OIDCC-3.1.2.6', 'OIDCD-3'],
  requirements: ['AZ-42', 'ERR-11'],
  level: 'MUST',
});

export const duplicateParamRefused = defineCheck({
  id: 'request-params/duplicate-param-refused',
  title: 'A request that repeats a parameter (scope twice) is refused with an error, not processed',
  area,
  refs: ['RFC6749-3.1', 'RFC6749-4.1.2.1'],
  requirements: ['AZ-05'],
  level: 'SHOULD',
});

// ---- the same requests with the implicit and hybrid plans' response types ------------------------
// (front-channel.browser.suite.ts: one session for "id_token token", one for "code id_token", each
// skipped when the target does not offer the type; the response is read from the fragment). Each
// check has its code-flow counterpart's level, references and requirements.

type CheckFields = Pick<ReturnType<typeof defineCheck>, 'refs' | 'requirements' | 'level'>;

function frontChannel(counterpart: CheckFields, name: string, title: string) {
  return defineCheck({ id: `request-params/front-channel-${name}`, title, area, refs: [...counterpart.refs], requirements: [...counterpart.requirements], level: counterpart.level });
}

const TYPES = 'with response_type "id_token token" and "code id_token" (each offered one)';

export const fcDisplayPage = frontChannel(displayPage, 'display-page', `display=page in a fresh session ${TYPES}: the login page works and the flow succeeds`);
export const fcPromptNoneWithSession = frontChannel(promptNoneWithSession, 'prompt-none-with-session', `prompt=none in the signed-in session ${TYPES} succeeds at once, without any page, for the same sub and auth_time`);
export const fcIdTokenHint = frontChannel(idTokenHint, 'id-token-hint', `prompt=none with the session's own ID token as id_token_hint ${TYPES} succeeds silently for the same sub`);
export const fcMaxAge10000 = frontChannel(maxAge10000, 'max-age-10000', `max_age=10000 after a first request with max_age=15000 ${TYPES}: no new login; both ID tokens carry the same auth_time and sub`);
export const fcUnknownParamIgnored = frontChannel(unknownParamIgnored, 'unknown-param-ignored', `An unrecognised parameter (extra=foobar) ${TYPES} is ignored: the flow succeeds`);
export const fcClaimsLocales = frontChannel(claimsLocales, 'claims-locales', `claims_locales ("se xx-YY") ${TYPES} causes no error: the flow succeeds`);
export const fcAcrValues = frontChannel(acrValues, 'acr-values', `acr_values ${TYPES} causes no error; an acr returned should be one of the requested values`);
export const fcRequestObject = frontChannel(requestObject, 'request-object', `An unsigned request object (alg none) carrying the response type ${TYPES} is honoured (state and nonce from the object) or refused with request_not_supported, never ignored`);
export const fcRequestObjectRedirectUri = frontChannel(requestObjectRedirectUri, 'request-object-redirect-uri', `A request object naming the registered redirect_uri, an unregistered one in the query, ${TYPES}: the response goes to the object's`);
export const fcClaimsEssential = frontChannel(claimsEssential, 'claims-essential', `claims={"userinfo":{"name":{"essential":true}}} ${TYPES} succeeds; name comes from userinfo (a warning when missing, or when it lands in the ID token)`);
export const fcScopeProfile = frontChannel(scopeProfile, 'scope-profile', `scope openid profile ${TYPES}: userinfo answers with the same sub and well-typed profile claims (missing ones are a warning)`);
export const fcScopeEmail = frontChannel(scopeEmail, 'scope-email', `scope openid email ${TYPES}: userinfo answers with the same sub and email, email_verified (a boolean)`);
export const fcScopeAddress = frontChannel(scopeAddress, 'scope-address', `scope openid address ${TYPES}: userinfo answers with the same sub and address as a JSON object`);
export const fcScopePhone = frontChannel(scopePhone, 'scope-phone', `scope openid phone ${TYPES}: userinfo answers with the same sub and phone_number, phone_number_verified (a boolean)`);
export const fcScopeOrder = frontChannel(scopeOrder, 'scope-order', `scope "email openid" ${TYPES} is an OpenID request like any other: the flow succeeds with an ID token and the email claims`);
export const fcPromptLogin = frontChannel(promptLogin, 'prompt-login', `prompt=login (with login_hint naming the signed-in user) in the signed-in session ${TYPES} shows the login form again, and the new ID token has a later auth_time`);
export const fcLoginHint = frontChannel(loginHint, 'login-hint', `A request with login_hint naming the test user (and prompt=login, so the login form shows) ${TYPES} succeeds after the login`);
export const fcDisplayPopup = frontChannel(displayPopup, 'display-popup', `display=popup (with ui_locales and prompt=login, so the login page shows) ${TYPES}: the login page works and the flow succeeds`);
export const fcUiLocales = frontChannel(uiLocales, 'ui-locales', `ui_locales with unsupported locales ("se xx-YY", with display=popup and prompt=login, so the login page shows) ${TYPES}: the login page works and the flow succeeds`);
export const fcMaxAge1 = frontChannel(maxAge1, 'max-age-1', `max_age=1, two seconds after the last login, ${TYPES} makes the user log in again; the ID token carries a newer auth_time`);

export const fcCodeReuseAfterDelay = defineCheck({
  id: 'request-params/front-channel-code-reuse-after-delay',
  title: 'The code of a "code id_token" response, redeemed again after a delay (timing.code_reuse_delay_ms, 30 s with --certification), is refused with invalid_grant, and the first redemption\'s access token stops working at userinfo (still working is a warning)',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5', 'OIDCC-3.3.2.1'],
  requirements: ['CODE-04', 'CODE-05'],
  level: 'MUST',
});

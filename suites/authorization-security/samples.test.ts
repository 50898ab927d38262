// Each authorization-security judge proven on a bad sample (and passing on a good one). The samples
// are what a browser session records: exchanges (requests, redirects, pages) and the result.
import { describe, expect, test } from 'vitest';
import type { AuthorizationResult } from '../../harness/browser/session.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const OP = 'https://op.example.com';
const REDIRECT = 'https://rp.example.com/callback';
const ATTACKER = 'https://attacker.oidc-conformance.invalid';

let counter = 0;
function exchange(method: string, url: string, status: number, headers: Record<string, string | string[]> = {}, body = '', requestBody?: string): Exchange {
  counter += 1;
  const e: Exchange = {
    id: `as#${counter}`,
    request: { method, url, headers: {} },
    response: { status, headers, body, bytes: body.length, truncated: false },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
  if (requestBody !== undefined) e.request.body = requestBody;
  return e;
}

const html = (body: string, headers: Record<string, string> = {}) => ({ 'content-type': 'text/html; charset=utf-8', ...headers });
const SAFE_HEADERS = { 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'referrer-policy': 'no-referrer' };

/** An error page at the provider: what a refused request leaves. */
function refused(status = 400, headers: Record<string, string> = SAFE_HEADERS, body = '<p>invalid_request</p>'): judge.Observed {
  const page = exchange('GET', `${OP}/auth?client_id=rp`, status, html(body, headers), body);
  const result: AuthorizationResult = { outcome: 'page', params: {}, paramList: [], interactions: [], exchanges: [page.id], requestUrl: page.request.url, page: { url: page.request.url, status, title: 'error', text: 'invalid_request' } };
  return { run: { sent: { client: { client_id: 'rp', auth_method: 'none' }, params: {}, redirectUri: REDIRECT, state: 's1' }, result }, exchanges: [page] };
}

/** A redirect from the provider to `location`, captured there. */
function redirected(location: string, extra: Partial<AuthorizationResult> = {}): judge.Observed {
  const hop = exchange('GET', `${OP}/auth?client_id=rp`, 302, { location });
  const url = new URL(location);
  const paramList = [...new URLSearchParams(url.hash.length > 1 ? url.hash.slice(1) : url.search)];
  const result: AuthorizationResult = {
    outcome: 'response',
    via: url.hash.length > 1 ? 'fragment' : 'query',
    params: Object.fromEntries(paramList),
    paramList,
    interactions: [],
    exchanges: [hop.id],
    requestUrl: hop.request.url,
    responseTarget: `${url.origin}${url.pathname}`,
    responseExchange: hop.id,
    ...extra,
  };
  return { run: { sent: { client: { client_id: 'rp', auth_method: 'none' }, params: {}, redirectUri: REDIRECT, state: 's1' }, result }, exchanges: [hop] };
}

/** The provider showing its login or consent form (the session stopped there). */
function stopped(at: 'login' | 'consent', text = 'Sign in', headers: Record<string, string> = SAFE_HEADERS, body = '<form><input name="username"></form>'): judge.Observed {
  const observed = refused(200, headers, body);
  observed.run.result.stoppedAt = at;
  observed.run.result.page!.text = text;
  return observed;
}

const variant = (name: string, uri: string, observed: judge.Observed): judge.Variant => ({ name, uri, observed });

describe('redirect_uri variants', () => {
  test('the variants differ from the registered URI and cover the kinds of change', () => {
    const variants = judge.redirectUriVariants(REDIRECT);
    expect(variants.map((v) => v.uri)).not.toContain(REDIRECT);
    expect(variants.map((v) => v.name)).toEqual(expect.arrayContaining(['suffix on the last segment', 'added query parameter', 'added fragment', 'other port', 'http instead of https', 'path in other case', 'trailing slash']));
    // The loopback exception (RFC 8252 7.3): any port is fine, so no port variant.
    expect(judge.redirectUriVariants('http://127.0.0.1/callback').map((v) => v.name)).not.toContain('other port');
  });
});

describe('authorization-security samples', () => {
  const suffix = `${REDIRECT}.oidc-conformance`;
  const query = `${REDIRECT}?oidc_conformance=1`;
  const fragment = `${REDIRECT}#oidc-conformance`;
  passesOn(check.redirectUriExactMatch, 'error pages for every variant', () =>
    judge.judgeVariantsRefused([variant('suffix', suffix, refused()), variant('query', query, refused()), variant('fragment', fragment, refused())], REDIRECT));
  proves(check.redirectUriExactMatch, 'a code sent to the suffixed URI (prefix matching)', () =>
    judge.judgeVariantsRefused([variant('suffix', suffix, redirected(`${suffix}?code=abc&state=s1`))], REDIRECT), /unregistered/);
  proves(check.redirectUriExactMatch, 'an error sent to the URI with the added query', () =>
    judge.judgeVariantsRefused([variant('query', query, redirected(`${query}&error=login_required`))], REDIRECT), /unregistered/);
  proves(check.redirectUriExactMatch, 'the added fragment kept in the Location', () =>
    judge.judgeVariantsRefused([variant('fragment', fragment, redirected(`${REDIRECT}?code=abc#oidc-conformance`))], REDIRECT), /unregistered/);
  proves(check.redirectUriExactMatch, 'the http downgrade honoured', () =>
    judge.judgeVariantsRefused([variant('http', 'http://rp.example.com/callback', redirected('http://rp.example.com/callback?code=abc'))], REDIRECT), /unregistered/);
  proves(check.redirectUriExactMatch, 'a dot-segment escape honoured (the browser lands on another path)', () =>
    judge.judgeVariantsRefused([variant('dots', `${REDIRECT}/%2e%2e/oidc-conformance`, redirected('https://rp.example.com/oidc-conformance?code=abc'))], REDIRECT), /unregistered/);
  proves(check.redirectUriExactMatch, 'the login page shown for an unregistered URI (accepted)', () =>
    judge.judgeVariantsRefused([variant('suffix', suffix, stopped('login'))], REDIRECT), /accepted/);
  proves(check.redirectUriExactMatch, 'an error sent to the registered URI instead of a page (warning)', () =>
    judge.judgeVariantsRefused([variant('query', query, redirected(`${REDIRECT}?error=invalid_request`))], REDIRECT), /registered redirect URI/);

  passesOn(check.unknownClientErrorPage, 'an error page', () => judge.judgeNotRedirected([{ name: 'unknown client', observed: refused() }], REDIRECT));
  proves(check.unknownClientErrorPage, 'an error redirect to the redirect URI', () =>
    judge.judgeNotRedirected([{ name: 'unknown client', observed: redirected(`${REDIRECT}?error=invalid_client`) }], REDIRECT), /cannot be trusted/);

  passesOn(check.redirectUriRequired, 'an error page', () => judge.judgeRedirectUriRequired(refused(), REDIRECT));
  proves(check.redirectUriRequired, 'a code at the registered URI', () => judge.judgeRedirectUriRequired(redirected(`${REDIRECT}?code=abc`), REDIRECT), /code/);
  proves(check.redirectUriRequired, 'an error at the registered URI (warning)', () => judge.judgeRedirectUriRequired(redirected(`${REDIRECT}?error=invalid_request`), REDIRECT), /error page/);

  const injected = `<p>redirect_uri ${judge.PROBE_TAG}>x</oidc-conformance-probe> is not registered</p>`;
  passesOn(check.reflectedInputEscaped, 'the markup escaped', () =>
    judge.judgeEscaped([exchange('GET', `${OP}/auth`, 400, html(''), '<p>redirect_uri &lt;oidc-conformance-probe&gt; is not registered</p>')]));
  proves(check.reflectedInputEscaped, 'the markup reflected raw on the error page', () => judge.judgeEscaped([exchange('GET', `${OP}/auth`, 400, html(''), injected)]), /unescaped/);
  proves(check.reflectedInputEscaped, 'the state reflected raw in the form_post page', () =>
    judge.judgeEscaped([exchange('GET', `${OP}/auth`, 200, html(''), `<form><input type="hidden" name="state" value=""data-x="1">${judge.PROBE_TAG}>"></form>`)]), /unescaped/);

  passesOn(check.noOpenRedirect, 'error pages', () => judge.judgeNoForeignNavigation([{ name: 'foreign redirect_uri', observed: refused() }], ATTACKER));
  proves(check.noOpenRedirect, 'the login page forwarding to its return_to', () =>
    judge.judgeNoForeignNavigation([{ name: 'return_to', observed: redirected(`${ATTACKER}/callback`) }], ATTACKER), /sent the browser/);

  const login = (headers: Record<string, string>) => ({ kind: 'login' as const, exchange: exchange('GET', `${OP}/login`, 200, html('', headers), '<form></form>') });
  passesOn(check.pagesNotFrameable, 'X-Frame-Options DENY and frame-ancestors none', () => judge.judgeNotFrameable([login(SAFE_HEADERS)]));
  passesOn(check.pagesNotFrameable, 'CSP frame-ancestors self only', () => judge.judgeNotFrameable([login({ 'content-security-policy': "frame-ancestors 'self'" })]));
  proves(check.pagesNotFrameable, 'a login page without either header', () => judge.judgeNotFrameable([login({})]), /framed/);
  proves(check.pagesNotFrameable, 'frame-ancestors * (any site may frame it)', () => judge.judgeNotFrameable([login({ 'content-security-policy': 'frame-ancestors *' })]), /framed/);
  proves(check.pagesNotFrameable, 'X-Frame-Options ALLOW-FROM (ignored by browsers)', () => judge.judgeNotFrameable([login({ 'x-frame-options': 'ALLOW-FROM https://x' })]), /framed/);
  proves(check.pagesNotFrameable, 'X-Frame-Options only, no CSP (warning)', () => judge.judgeNotFrameable([login({ 'x-frame-options': 'SAMEORIGIN' })]), /X-Frame-Options only/);

  const loginPost = (cookies: string[]) => exchange('POST', `${OP}/login`, 303, { location: '/consent', 'set-cookie': cookies }, '', 'csrf=x&username=alice&password=%5Bredacted%5D');
  passesOn(check.sessionCookieFlags, 'HttpOnly; SameSite=Lax; Secure', () => judge.judgeCookieFlags(judge.cookiesSet([loginPost(['sid=abc; Path=/; HttpOnly; SameSite=Lax; Secure', 'old=; Max-Age=0'])])));
  proves(check.sessionCookieFlags, 'a session cookie without HttpOnly and SameSite', () => judge.judgeCookieFlags(judge.cookiesSet([loginPost(['sid=abc; Path=/; Secure'])])), /HttpOnly/);
  proves(check.sessionCookieFlags, 'SameSite=None', () => judge.judgeCookieFlags(judge.cookiesSet([loginPost(['sid=abc; HttpOnly; SameSite=None; Secure'])])), /SameSite=None/);
  proves(check.sessionCookieFlags, 'no Secure over https', () =>
    judge.judgeCookieFlags(judge.cookiesSet([exchange('POST', `${OP}/login`, 303, { 'set-cookie': 'sid=abc; HttpOnly; SameSite=Lax' })])), /Secure/);

  const answer = (status: number) => judge.credentialPosts([exchange('POST', `${OP}/login`, status, { location: `${OP}/next` }, '', 'username=alice&password=x')], 'alice');
  passesOn(check.no307AfterCredentials, '303 See Other', () => judge.judgeNo307(answer(303)));
  proves(check.no307AfterCredentials, '307 Temporary Redirect', () => judge.judgeNo307(answer(307)), /307/);
  proves(check.no307AfterCredentials, '308 Permanent Redirect', () => judge.judgeNo307(answer(308)), /308/);
  proves(check.no307AfterCredentials, '302 Found (warning: 303 asked for)', () => judge.judgeNo307(answer(302)), /303/);

  const page = (body: string, headers: Record<string, string> = { 'referrer-policy': 'no-referrer' }) => ({ kind: 'login' as const, exchange: exchange('GET', `${OP}/login`, 200, html('', headers), body) });
  passesOn(check.noThirdPartyContent, 'same-origin resources and no-referrer', () => judge.judgeNoThirdPartyContent([page('<img src="/logo.png"><link href="https://op.example.com/a.css">')]));
  passesOn(check.noThirdPartyContent, 'a referrer meta tag', () => judge.judgeNoThirdPartyContent([page('<meta name="referrer" content="no-referrer"><p>x</p>', {})]));
  proves(check.noThirdPartyContent, 'an image from another origin', () => judge.judgeNoThirdPartyContent([page('<img src="https://cdn.example.net/pixel.png">')]), /other origins/);
  proves(check.noThirdPartyContent, 'a link to an external site', () => judge.judgeNoThirdPartyContent([page('<a href="https://tracker.example/x">help</a>')]), /other origins/);
  proves(check.noThirdPartyContent, 'no referrer policy at all', () => judge.judgeNoThirdPartyContent([page('<p>x</p>', {})]), /Referrer-Policy/);
  proves(check.noThirdPartyContent, 'Referrer-Policy unsafe-url', () => judge.judgeNoThirdPartyContent([page('<p>x</p>', { 'referrer-policy': 'unsafe-url' })]), /unsafe-url/);

  const loginRequired = redirected(`${REDIRECT}?error=login_required&state=s1`);
  passesOn(check.csrfProtectedForms, 'the forged login refused, still not signed in, the forged consent refused', () =>
    judge.judgeCsrf({ forged: refused(403), after: loginRequired, hidden: ['csrf'] }, refused(403)));
  proves(check.csrfProtectedForms, 'the forged login accepted (consent page next)', () => judge.judgeCsrf({ forged: stopped('consent', 'Allow?'), after: loginRequired, hidden: ['csrf'] }, undefined), /signed the user in/);
  proves(check.csrfProtectedForms, 'a session after the forged login (prompt=none: consent_required)', () =>
    judge.judgeCsrf({ forged: refused(403), after: redirected(`${REDIRECT}?error=consent_required&state=s1`), hidden: ['csrf'] }, undefined), /login session/);
  passesOn(check.csrfProtectedForms, 'the login page shown again for prompt=none afterwards (a provider that ignores prompt=none)', () =>
    judge.judgeCsrf({ forged: refused(403), after: stopped('login'), hidden: ['csrf'] }, undefined));
  proves(check.csrfProtectedForms, 'the forged consent issued a code', () => judge.judgeCsrf(undefined, redirected(`${REDIRECT}?code=abc&state=s1`)), /consent form issued code/);

  const ISSUER = OP;
  passesOn(check.denyAccessDenied, 'access_denied with state and iss', () =>
    judge.judgeErrorResponse(redirected(`${REDIRECT}?error=access_denied&state=s1&iss=${encodeURIComponent(ISSUER)}`), { errors: ['access_denied'], state: 's1', via: 'query', iss: ISSUER }));
  proves(check.denyAccessDenied, 'state left out', () =>
    judge.judgeErrorResponse(redirected(`${REDIRECT}?error=access_denied&iss=${encodeURIComponent(ISSUER)}`), { errors: ['access_denied'], state: 's1', via: 'query', iss: ISSUER }), /state/);
  proves(check.denyAccessDenied, 'another error code', () =>
    judge.judgeErrorResponse(redirected(`${REDIRECT}?error=server_error&state=s1`), { errors: ['access_denied'], state: 's1', via: 'query' }), /access_denied/);
  proves(check.denyAccessDenied, 'iss missing although advertised', () =>
    judge.judgeErrorResponse(redirected(`${REDIRECT}?error=access_denied&state=s1`), { errors: ['access_denied'], state: 's1', via: 'query', iss: ISSUER }), /iss/);
  proves(check.denyAccessDenied, 'a code although the user denied', () =>
    judge.judgeErrorResponse(redirected(`${REDIRECT}?error=access_denied&state=s1&code=abc`), { errors: ['access_denied'], state: 's1', via: 'query' }), /code/);

  const consent = (text: string) => stopped('consent', text);
  passesOn(check.consentShowsClientAndScope, 'pages naming client and scopes', () =>
    judge.judgeConsentInformative(consent('Web app asks to: sign you in'), consent('SPA asks to: sign you in'), consent('Web app asks to: sign you in, read your email')));
  proves(check.consentShowsClientAndScope, 'the same page whatever the client', () =>
    judge.judgeConsentInformative(consent('An app asks to: sign you in'), consent('An app asks to: sign you in'), consent('An app asks to: sign you in, read your email')), /which client/);
  proves(check.consentShowsClientAndScope, 'the same page whatever the scope', () =>
    judge.judgeConsentInformative(consent('Web app asks for access'), consent('SPA asks for access'), consent('Web app asks for access')), /scope/);

  const firstApproved = redirected(`${REDIRECT}?code=abc&state=s1`, { interactions: ['login', 'consent'] });
  passesOn(check.publicClientConsentRepeated, 'the consent page shown again', () => judge.judgeRepeatedConsent(firstApproved, stopped('consent', 'Allow?')));
  proves(check.publicClientConsentRepeated, 'a code at once for the repeated request', () => judge.judgeRepeatedConsent(firstApproved, redirected(`${REDIRECT}?code=def&state=s2`)), /without the user/);

  passesOn(check.frontChannelAccessTokens, 'code and code id_token only', () => judge.judgeNoFrontChannelTokens(['code', 'code id_token', 'id_token'], ['d#1']));
  proves(check.frontChannelAccessTokens, 'id_token token offered', () => judge.judgeNoFrontChannelTokens(['code', 'id_token token'], ['d#1']), /id_token token/);

  const metadata = { issuer: OP, authorization_endpoint: `${OP}/auth` };
  const discovery = (body: Record<string, unknown>) => {
    const e = exchange('GET', `${OP}/.well-known/openid-configuration`, 200, { 'content-type': 'application/json' }, JSON.stringify(body));
    e.response!.json = body;
    return e;
  };
  const toLogin = exchange('GET', `${OP}/auth`, 303, { location: '/interaction/1' });
  passesOn(check.forwardedHeadersIgnored, 'metadata and redirects unchanged', () => judge.judgeForwardedIgnored(discovery(metadata), metadata, toLogin, 'forged.invalid'));
  proves(check.forwardedHeadersIgnored, 'the metadata following X-Forwarded-Host', () =>
    judge.judgeForwardedIgnored(discovery({ ...metadata, authorization_endpoint: 'https://forged.invalid/auth' }), metadata, toLogin, 'forged.invalid'), /forwarded headers/);
  proves(check.forwardedHeadersIgnored, 'the login redirect to the forged host', () =>
    judge.judgeForwardedIgnored(discovery(metadata), metadata, exchange('GET', `${OP}/auth`, 303, { location: 'https://forged.invalid/interaction/1' }), 'forged.invalid'), /redirects to the host/);

  const withQuery = `${REDIRECT}?tenant=a`;
  passesOn(check.registeredQueryKept, 'the code added to the registered query', () => judge.judgeRegisteredQueryKept(redirected(`${withQuery}&code=abc&state=s1`), withQuery));
  proves(check.registeredQueryKept, 'the registered query dropped', () => judge.judgeRegisteredQueryKept(redirected(`${REDIRECT}?code=abc&state=s1`), withQuery), /tenant/);
  test('a redirect_uri without query: SKIP', () => {
    expect(() => judge.judgeRegisteredQueryKept(redirected(`${REDIRECT}?code=abc`), REDIRECT)).toThrow(/no query component/);
  });

  passesOn(check.senderConstrainedTokens, 'DPoP advertised', () => judge.judgeSenderConstraining({ dpop_signing_alg_values_supported: ['ES256'] }, ['d#1']));
  passesOn(check.senderConstrainedTokens, 'mTLS-bound tokens advertised', () => judge.judgeSenderConstraining({ tls_client_certificate_bound_access_tokens: true }, ['d#1']));
  proves(check.senderConstrainedTokens, 'neither advertised (bearer tokens only)', () => judge.judgeSenderConstraining({ issuer: OP }, ['d#1']), /sender-constrain/);
  proves(check.senderConstrainedTokens, 'an empty DPoP algorithm list', () => judge.judgeSenderConstraining({ dpop_signing_alg_values_supported: [] }, ['d#1']), /sender-constrain/);

  const tokenResponse = (body: Record<string, unknown>) => {
    const e = exchange('POST', `${OP}/token`, 200, { 'content-type': 'application/json' }, JSON.stringify(body));
    e.response!.json = body;
    return e;
  };
  passesOn(check.accessTokenLifetime, 'expires_in 3600', () => judge.judgeTokenLifetime(tokenResponse({ access_token: 'x', expires_in: 3600 })));
  proves(check.accessTokenLifetime, 'expires_in a day', () => judge.judgeTokenLifetime(tokenResponse({ access_token: 'x', expires_in: 86400 })), /more than one hour/);

  const tls = (over: Partial<judge.TlsFacts>): judge.TlsFacts => ({ endpoint: `${OP}/auth`, certificate: { ok: true }, legacy: 'refused', plain: { error: 'ECONNREFUSED' }, exchanges: ['t#1'], ...over });
  passesOn(check.tls, 'a valid certificate, TLS 1.1 refused, http refused', () => judge.judgeTls(tls({})));
  passesOn(check.tls, 'http redirected to https', () => judge.judgeTls(tls({ plain: { status: 301, location: `${OP}/auth?x=1` } })));
  proves(check.tls, 'a certificate that does not validate', () => judge.judgeTls(tls({ certificate: { ok: false, error: 'self-signed certificate' } })), /certificate/);
  proves(check.tls, 'TLS 1.1 accepted', () => judge.judgeTls(tls({ legacy: 'accepted' })), /TLS 1.1/);
  proves(check.tls, 'the login page served over plain http', () => judge.judgeTls(tls({ plain: { status: 302, location: 'http://op.example.com/login' } })), /http:\/\//);
});

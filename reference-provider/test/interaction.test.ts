// The user-facing side of the authorization endpoint (OIDC Core 3.1.2.1-3.1.2.6, 5.5, 6, 15.1;
// RFC 6749 4.1.2.1, 10.12-10.14; RFC 9700 4.16): login and consent pages, CSRF, prompt, max_age,
// hints, accepted-but-optional parameters, request errors, the claims parameter, request objects,
// cookies and framing protection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { startFixtureProvider } from './support/provider.ts';
import { UserAgent, parseForm, type HttpResponse } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf } from './support/oauth.ts';
import { secretOf } from './support/secrets.ts';
import { expectErrorPage, expectRedirectError, movableClock, redeemCode, userinfo } from './support/front-channel.ts';
import { ACR_PASSWORD } from '../tokens/issue.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
/** Signed in as alice, consented to `openid email` for web-post. */
let alice: UserAgent;

beforeAll(async () => {
  provider = await startFixtureProvider();
  alice = new UserAgent(provider.url);
  const first = await alice.authorize(codeRequest());
  expect(first.pages).toEqual(['login', 'consent']);
});
afterAll(() => provider.close());

function codeRequest(params: Record<string, string | undefined> = {}, issuer = provider.issuer): string {
  return authorizationUrl(issuer, {
    client_id: 'web-post',
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: REDIRECT_URI,
    state: 'st',
    nonce: 'nn',
    ...params,
  });
}

/** The ID token the token endpoint returns for a code response. */
async function idTokenOf(code: string | undefined, on = provider): Promise<Record<string, unknown>> {
  expect(code).toBeDefined();
  const token = await redeemCode(on, 'web-post', code!);
  expect(token.status).toBe(200);
  return claimsOf(token.body.id_token);
}

function setCookies(responses: HttpResponse[]): string[] {
  return responses.flatMap((r) => {
    const value = r.headers['set-cookie'];
    return Array.isArray(value) ? value : value ? [value] : [];
  });
}

function expectFramingForbidden(response: HttpResponse): void {
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(String(response.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  expect(response.headers['cache-control']).toBe('no-store');
}

describe('login and consent pages', () => {
  it('the login page has #username, #password, #login and a csrf field', async () => {
    const page = await new UserAgent(provider.url).open(codeRequest());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toMatch(/<label for="username">/);
    expect(page.body).toMatch(/<input id="username" name="username"/);
    expect(page.body).toMatch(/<input id="password" name="password" type="password"/);
    expect(page.body).toMatch(/<button type="submit" id="login">/);
    const { action, fields } = parseForm(page.body, 'login-form');
    expect(action).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+\/login$/);
    expect(fields.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the consent page has #approve and #deny, a csrf field, and lists the scopes', async () => {
    const ua = new UserAgent(provider.url);
    const login = await ua.open(codeRequest({ scope: 'openid email offline_access', prompt: 'consent' }));
    const { action, fields } = parseForm(login.body, 'login-form');
    const afterLogin = await ua.send('POST', action, { ...fields, username: 'alice', password: 'wonderland-42' });
    expect(afterLogin.status).toBe(303);
    const consent = await ua.open(String(afterLogin.headers.location));
    expect(consent.body).toMatch(/<button type="submit" name="decision" value="approve" id="approve">/);
    expect(consent.body).toMatch(/<button type="submit" name="decision" value="deny" id="deny">/);
    expect(parseForm(consent.body, 'consent-form').fields.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consent.body).toContain('data-scope="email"');
    expect(consent.body).toContain('data-scope="offline_access"');
    expect(consent.body).toContain('Web app (client_secret_post)');
  });

  it('a wrong password shows the login page again with #login-error, and no session', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest(), { password: 'wrong' });
    expect(result.pages).toEqual(['login']);
    expect(result.via).toBe('none');
    expect(result.response.body).toContain('id="login-form"');
    expect(result.response.body).toMatch(/<p class="error" id="login-error" role="alert">Wrong username or password\.<\/p>/);
    expect(ua.hasCookie('op_session')).toBe(false);
    // The same page takes a second, correct attempt.
    const { action, fields } = parseForm(result.response.body, 'login-form');
    const retry = await ua.send('POST', action, { ...fields, username: 'alice', password: 'wonderland-42' });
    expect(retry.status).toBe(303);
    expect(ua.hasCookie('op_session')).toBe(true);
    expect((await ua.open(String(retry.headers.location))).body).toContain('id="consent-form"');
  });

  it('an unknown user gets the same message as a wrong password (no account enumeration)', async () => {
    const result = await new UserAgent(provider.url).authorize(codeRequest(), { username: 'nobody', password: 'x' });
    expect(result.response.body).toContain('Wrong username or password.');
  });
});

describe('CSRF protection of the forms (OIDC Core 3.1.2.3, RFC 6749 10.12)', () => {
  async function loginForm(ua: UserAgent) {
    return parseForm((await ua.open(codeRequest())).body, 'login-form');
  }

  it('posting the login form without a csrf field => 403 page, no session', async () => {
    const ua = new UserAgent(provider.url);
    const { action } = await loginForm(ua);
    const res = await ua.send('POST', action, { username: 'alice', password: 'wonderland-42' });
    expectErrorPage(res, 403, 'invalid_request');
    expect(ua.hasCookie('op_session')).toBe(false);
  });

  it('posting the login form with a wrong csrf => 403 page, no session', async () => {
    const ua = new UserAgent(provider.url);
    const { action, fields } = await loginForm(ua);
    const wrong = `${fields.csrf!.slice(0, -1)}${fields.csrf!.endsWith('A') ? 'B' : 'A'}`;
    const res = await ua.send('POST', action, { csrf: wrong, username: 'alice', password: 'wonderland-42' });
    expectErrorPage(res, 403, 'invalid_request');
    expect(ua.hasCookie('op_session')).toBe(false);
  });

  it('the right csrf from another browser (no interaction cookie) => 403 page', async () => {
    const victim = new UserAgent(provider.url);
    const { action, fields } = await loginForm(victim);
    const attacker = new UserAgent(provider.url);
    const res = await attacker.send('POST', action, { ...fields, username: 'alice', password: 'wonderland-42' });
    expectErrorPage(res, 403, 'invalid_request');
    expect(attacker.hasCookie('op_session')).toBe(false);
  });

  it('posting the consent form without or with a wrong csrf => 403 page, no redirect to the client', async () => {
    const ua = new UserAgent(provider.url);
    const { action, fields } = await loginForm(ua);
    const afterLogin = await ua.send('POST', action, { ...fields, username: 'alice', password: 'wonderland-42' });
    const consent = parseForm((await ua.open(String(afterLogin.headers.location))).body, 'consent-form');
    expectErrorPage(await ua.send('POST', consent.action, { decision: 'approve' }), 403, 'invalid_request');
    expectErrorPage(await ua.send('POST', consent.action, { csrf: 'forged', decision: 'approve' }), 403, 'invalid_request');
    // The genuine form still completes.
    const ok = await ua.send('POST', consent.action, { ...consent.fields, decision: 'approve' });
    expect(ok.status).toBe(303);
  });
});

describe('consent decision (OIDC Core 3.1.2.4)', () => {
  it('deny => access_denied with state at the redirect URI', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ state: 'deny-me' }), { consent: 'deny' });
    expect(result.pages).toEqual(['login', 'consent']);
    expectRedirectError(result, provider.issuer, 'access_denied', 'query', 'deny-me');
    expect(result.response.status).toBe(303);
  });

  it('deny in the implicit flow => access_denied in the fragment; nothing was consented', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ response_type: 'id_token', state: 'deny-frag' }), { consent: 'deny' });
    expectRedirectError(result, provider.issuer, 'access_denied', 'fragment', 'deny-frag');
    const silent = await ua.authorize(codeRequest({ prompt: 'none', state: 'after-deny' }));
    expectRedirectError(silent, provider.issuer, 'consent_required', 'query', 'after-deny');
  });
});

describe('prompt (OIDC Core 3.1.2.1)', () => {
  it.each([
    ['code', undefined, 'query'],
    ['id_token', undefined, 'fragment'],
    ['code id_token token', undefined, 'fragment'],
    ['code', 'fragment', 'fragment'],
    ['code', 'form_post', 'form_post'],
    ['id_token', 'form_post', 'form_post'],
  ] as const)('prompt=none without a session (%s, mode %s) => login_required in the %s with state, no page', async (type, mode, via) => {
    const result = await new UserAgent(provider.url).authorize(codeRequest({ response_type: type, response_mode: mode, prompt: 'none', state: 'pn' }));
    expect(result.pages).toEqual([]);
    expect(result.trail).toHaveLength(1);
    expectRedirectError(result, provider.issuer, 'login_required', via, 'pn');
  });

  it('prompt=none with a session and consent => success straight away', async () => {
    const result = await alice.authorize(codeRequest({ prompt: 'none', state: 'silent' }));
    expect(result.pages).toEqual([]);
    expect(result.trail).toHaveLength(1);
    expect(result.response.status).toBe(302);
    expect(result.params.state).toBe('silent');
    expect((await idTokenOf(result.params.code)).sub).toBe('user-alice-0001');
  });

  it('prompt=none with a session but a scope not yet consented => consent_required', async () => {
    const result = await alice.authorize(codeRequest({ prompt: 'none', scope: 'openid email phone', state: 'more' }));
    expectRedirectError(result, provider.issuer, 'consent_required', 'query', 'more');
  });

  it.each(['none login', 'none consent', 'login none'])('prompt=%s => invalid_request', async (prompt) => {
    const result = await alice.authorize(codeRequest({ prompt, state: 'combo' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'combo');
  });

  it('prompt=consent shows the consent page even when consent was given', async () => {
    const result = await alice.authorize(codeRequest({ prompt: 'consent' }));
    expect(result.pages).toEqual(['consent']);
    expect(result.params.code).toBeDefined();
  });
});

describe('re-authentication: prompt=login, max_age, auth_time (OIDC Core 3.1.2.1, 15.1)', () => {
  const clock = movableClock();
  let timed: Awaited<ReturnType<typeof startFixtureProvider>>;
  beforeAll(async () => {
    timed = await startFixtureProvider({ now: clock.now });
  });
  afterAll(() => timed.close());

  async function signedIn(): Promise<{ ua: UserAgent; authTime: number }> {
    const ua = new UserAgent(timed.url);
    const result = await ua.authorize(codeRequest({}, timed.issuer));
    expect(result.pages).toEqual(['login', 'consent']);
    const authTime = (await idTokenOf(result.params.code, timed)).auth_time as number;
    expect(authTime).toBe(clock.now());
    return { ua, authTime };
  }

  it('prompt=login forces the login page again and auth_time moves forward', async () => {
    const { ua, authTime } = await signedIn();
    clock.advance(120);
    const result = await ua.authorize(codeRequest({ prompt: 'login' }, timed.issuer));
    expect(result.pages).toEqual(['login']);
    const again = (await idTokenOf(result.params.code, timed)).auth_time as number;
    expect(again).toBe(authTime + 120);
  });

  it('max_age=0 forces a login even right after one', async () => {
    const { ua, authTime } = await signedIn();
    clock.advance(5);
    const result = await ua.authorize(codeRequest({ max_age: '0' }, timed.issuer));
    expect(result.pages).toEqual(['login']);
    expect((await idTokenOf(result.params.code, timed)).auth_time).toBe(authTime + 5);
  });

  it('max_age not exceeded => no login, the old auth_time; exceeded => login, a new auth_time', async () => {
    const { ua, authTime } = await signedIn();
    clock.advance(30);
    const fresh = await ua.authorize(codeRequest({ max_age: '60' }, timed.issuer));
    expect(fresh.pages).toEqual([]);
    expect((await idTokenOf(fresh.params.code, timed)).auth_time).toBe(authTime);

    clock.advance(31); // 61 s since the login
    const stale = await ua.authorize(codeRequest({ max_age: '60' }, timed.issuer));
    expect(stale.pages).toEqual(['login']);
    expect((await idTokenOf(stale.params.code, timed)).auth_time).toBe(authTime + 61);
  });

  it('max_age exceeded with prompt=none => login_required', async () => {
    const { ua } = await signedIn();
    clock.advance(11);
    const result = await ua.authorize(codeRequest({ max_age: '10', prompt: 'none', state: 'ma' }, timed.issuer));
    expectRedirectError(result, timed.issuer, 'login_required', 'query', 'ma');
  });

  it('auth_time is present in the ID token whenever max_age was sent, from both endpoints', async () => {
    const { ua, authTime } = await signedIn();
    const result = await ua.authorize(codeRequest({ response_type: 'code id_token', max_age: '3600' }, timed.issuer));
    expect(claimsOf(result.params.id_token).auth_time).toBe(authTime);
    expect((await idTokenOf(result.params.code, timed)).auth_time).toBe(authTime);
  });

  it('an expired id_token_hint of the signed-in user is still accepted (OIDC Core 3.1.2.2)', async () => {
    const { ua } = await signedIn();
    const implicit = await ua.authorize(codeRequest({ response_type: 'id_token' }, timed.issuer));
    const hint = implicit.params.id_token!;
    clock.advance(3700); // past the ID token's exp (lifetimes.idToken = 3600)
    expect(claimsOf(hint).exp as number).toBeLessThan(clock.now());
    const result = await ua.authorize(codeRequest({ prompt: 'none', id_token_hint: hint }, timed.issuer));
    expect(result.params.error).toBeUndefined();
    expect((await idTokenOf(result.params.code, timed)).sub).toBe('user-alice-0001');
  });

  it('a negative or non-numeric max_age => invalid_request', async () => {
    const { ua } = await signedIn();
    for (const maxAge of ['-1', 'abc', '1.5']) {
      const result = await ua.authorize(codeRequest({ max_age: maxAge, state: 'bad-ma' }, timed.issuer));
      expectRedirectError(result, timed.issuer, 'invalid_request', 'query', 'bad-ma');
    }
  });
});

describe('hints (OIDC Core 3.1.2.1, 3.1.2.2)', () => {
  let bob: UserAgent;
  let bobIdToken: string;
  let aliceIdToken: string;
  beforeAll(async () => {
    bob = new UserAgent(provider.url);
    const result = await bob.authorize(codeRequest({ response_type: 'id_token' }), { username: 'bob', password: 'builder-can-fix-it' });
    bobIdToken = result.params.id_token!;
    expect(claimsOf(bobIdToken).sub).toBe('user-bob-0002');
    aliceIdToken = (await alice.authorize(codeRequest({ response_type: 'id_token' }))).params.id_token!;
    expect(claimsOf(aliceIdToken).sub).toBe('user-alice-0001');
  });

  it('id_token_hint of another user with prompt=none => login_required, no token', async () => {
    const result = await alice.authorize(codeRequest({ prompt: 'none', id_token_hint: bobIdToken, state: 'hint' }));
    expectRedirectError(result, provider.issuer, 'login_required', 'query', 'hint');
  });

  it('id_token_hint of the signed-in user with prompt=none => success', async () => {
    const result = await alice.authorize(codeRequest({ prompt: 'none', id_token_hint: aliceIdToken }));
    expect((await idTokenOf(result.params.code)).sub).toBe('user-alice-0001');
  });

  it('id_token_hint of another user without prompt=none: the login page; logging in as someone else still yields no token for them', async () => {
    const ua = new UserAgent(provider.url);
    await ua.authorize(codeRequest()); // alice
    const result = await ua.authorize(codeRequest({ id_token_hint: bobIdToken, state: 'who' }));
    expect(result.pages).toEqual(['login']);
    expectRedirectError(result, provider.issuer, 'login_required', 'query', 'who');
  });

  it('an id_token_hint not issued by this provider => invalid_request', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ sub: 'user-alice-0001', aud: 'web-post', iss: provider.issuer })
      .setProtectedHeader({ alg: 'RS256', kid: String(decodeProtectedHeader(aliceIdToken).kid) })
      .sign(privateKey);
    for (const hint of [foreign, 'garbage']) {
      const result = await alice.authorize(codeRequest({ prompt: 'none', id_token_hint: hint, state: 'foreign' }));
      expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'foreign');
    }
  });

  it('login_hint prefills #username (escaped)', async () => {
    const page = await new UserAgent(provider.url).open(codeRequest({ login_hint: 'bob' }));
    expect(page.body).toMatch(/<input id="username" name="username"[^>]* value="bob">/);
    const hostile = await new UserAgent(provider.url).open(codeRequest({ login_hint: '"><script>x()</script>' }));
    expect(hostile.body).not.toContain('"><script>x()');
    expect(hostile.body).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
  });

  it('a claims request for a specific sub of another user => login_required (OIDC Core 3.1.2.2, 5.5.1)', async () => {
    const claims = JSON.stringify({ id_token: { sub: { value: 'user-bob-0002' } } });
    const result = await alice.authorize(codeRequest({ prompt: 'none', claims, state: 'sub' }));
    expectRedirectError(result, provider.issuer, 'login_required', 'query', 'sub');
  });
});

describe('optional parameters are accepted (OIDC Core 3.1.2.1, 15.1; RFC 6749 3.1)', () => {
  it.each([
    ['display', 'page'],
    ['display', 'popup'],
    ['display', 'touch'],
    ['display', 'wap'],
    ['ui_locales', 'xx-YY'],
    ['ui_locales', 'fr-CA fr en'],
    ['claims_locales', 'xx-YY'],
    ['acr_values', 'urn:example:loa:3'],
    ['x_unknown_parameter', '1'],
    ['display', ''],
    ['response_mode', ''],
  ])('%s=%s is accepted', async (name, value) => {
    const result = await alice.authorize(codeRequest({ [name]: value, state: `opt-${name}` }));
    expect(result.pages).toEqual([]);
    expect(result.via).toBe('query');
    expect(result.params.state).toBe(`opt-${name}`);
    expect(result.params).not.toHaveProperty('error');
    expect((await idTokenOf(result.params.code)).sub).toBe('user-alice-0001');
  });

  it('acr is returned when acr_values was sent, and not otherwise', async () => {
    const withAcr = await alice.authorize(codeRequest({ acr_values: 'urn:example:loa:3 urn:example:loa:2' }));
    expect((await idTokenOf(withAcr.params.code)).acr).toBe(ACR_PASSWORD);
    const without = await alice.authorize(codeRequest());
    expect(await idTokenOf(without.params.code)).not.toHaveProperty('acr');
  });

  it('an essential acr the provider can satisfy is returned', async () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:other', ACR_PASSWORD] } } });
    const result = await alice.authorize(codeRequest({ claims }));
    expect((await idTokenOf(result.params.code)).acr).toBe(ACR_PASSWORD);
  });

  it('an essential acr the provider cannot satisfy fails the request; it never returns another acr (OIDC Core 5.5.1.1)', async () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:example:loa:4'] } } });
    const result = await alice.authorize(codeRequest({ claims, state: 'acr' }));
    expectRedirectError(result, provider.issuer, 'access_denied', 'query', 'acr');
  });

  it('scope order is irrelevant', async () => {
    const result = await alice.authorize(codeRequest({ scope: 'email openid' }));
    expect(result.pages).toEqual([]);
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(String(token.body.scope).split(' ').sort()).toEqual(['email', 'openid']);
    expect((await userinfo(provider, String(token.body.access_token))).body.email).toBe('alice@example.com');
  });

  it('unknown scope values are ignored and not granted', async () => {
    const result = await alice.authorize(codeRequest({ scope: 'openid email x-unknown' }));
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(String(token.body.scope).split(' ').sort()).toEqual(['email', 'openid']);
  });
});

describe('request errors at the redirect URI (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6)', () => {
  function withDuplicate(name: string, value: string, base: Record<string, string> = {}): string {
    const url = new URL(codeRequest({ state: 'dup', ...base }));
    expect(url.searchParams.has(name)).toBe(true);
    url.searchParams.append(name, value);
    return url.toString();
  }

  it.each([
    ['scope', 'openid', {}],
    ['response_type', 'code', {}],
    ['nonce', 'other', {}],
    ['prompt', 'login', { prompt: 'consent' }],
    ['max_age', '60', { max_age: '60' }],
  ])('%s sent twice => invalid_request', async (name, value, base) => {
    const result = await alice.authorize(withDuplicate(name, value, base));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'dup');
  });

  it.each(['client_id', 'redirect_uri'])('%s sent twice => error page (the target cannot be trusted)', async (name) => {
    const value = name === 'client_id' ? 'web-post' : REDIRECT_URI;
    expectErrorPage(await alice.authorize(withDuplicate(name, value)), 400, 'invalid_request');
  });

  it('missing response_type => invalid_request', async () => {
    const result = await alice.authorize(codeRequest({ response_type: undefined, state: 'no-rt' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'no-rt');
  });

  it('unknown response_type => unsupported_response_type', async () => {
    const result = await alice.authorize(codeRequest({ response_type: 'foo', state: 'rt' }));
    expect(result.params.error).toBe('unsupported_response_type');
    expect(result.params.state).toBe('rt');
    expect(result.params.iss).toBe(provider.issuer);
    expect(result.params).not.toHaveProperty('code');
  });

  it('response_type=token (OAuth implicit without an ID token) => unsupported_response_type in the fragment', async () => {
    const result = await alice.authorize(codeRequest({ response_type: 'token', state: 'tok' }));
    expectRedirectError(result, provider.issuer, 'unsupported_response_type', 'fragment', 'tok');
  });

  it.each([
    ['spa-public', 'code id_token', 'https://spa.example.com/callback', 'fragment'],
    ['web-second', 'id_token', 'https://rp2.example.com/callback', 'fragment'],
    ['web-es256', 'id_token token', REDIRECT_URI, 'fragment'],
  ] as const)('%s may not use %s => unauthorized_client', async (clientId, type, redirectUri, via) => {
    const result = await alice.authorize(codeRequest({ client_id: clientId, response_type: type, redirect_uri: redirectUri, state: 'uc' }));
    expectRedirectError(result, provider.issuer, 'unauthorized_client', via, 'uc');
  });

  it.each([['email profile'], [undefined], ['OPENID email']])('scope=%s (no openid) => invalid_scope', async (scope) => {
    const result = await alice.authorize(codeRequest({ scope, state: 'sc' }));
    expectRedirectError(result, provider.issuer, 'invalid_scope', 'query', 'sc');
  });
});

describe('the claims parameter (OIDC Core 5.5)', () => {
  it('an essential email requested for the ID token is in the ID token (scope openid only)', async () => {
    const claims = JSON.stringify({ id_token: { email: { essential: true } } });
    const result = await alice.authorize(codeRequest({ scope: 'openid', claims }));
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    const idToken = claimsOf(token.body.id_token);
    expect(idToken.email).toBe('alice@example.com');
    expect(idToken).not.toHaveProperty('email_verified');
    expect((await userinfo(provider, String(token.body.access_token))).body).toEqual({ sub: 'user-alice-0001' });
  });

  it('claims requested for userinfo are returned at /oidc/me, and not in the ID token', async () => {
    const claims = JSON.stringify({ userinfo: { phone_number: null, given_name: { essential: true } } });
    const result = await alice.authorize(codeRequest({ scope: 'openid', claims }));
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    const me = await userinfo(provider, String(token.body.access_token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ sub: 'user-alice-0001', phone_number: '+44 20 7946 0001', given_name: 'Alice' });
    expect(claimsOf(token.body.id_token)).not.toHaveProperty('given_name');
  });

  it('an essential claim the user does not have is left out, not an error (OIDC Core 5.5.1)', async () => {
    const bob = new UserAgent(provider.url);
    const claims = JSON.stringify({ id_token: { phone_number: { essential: true }, email: null } });
    const result = await bob.authorize(codeRequest({ scope: 'openid', claims }), { username: 'bob', password: 'builder-can-fix-it' });
    const idToken = await idTokenOf(result.params.code);
    expect(idToken).not.toHaveProperty('phone_number');
    expect(idToken.email).toBe('bob@example.com');
  });

  it('unknown members of the claims object are ignored', async () => {
    const claims = JSON.stringify({ id_token: { email: null, x_unknown_claim: null }, x_unknown_member: {} });
    const result = await alice.authorize(codeRequest({ scope: 'openid', claims }));
    const idToken = await idTokenOf(result.params.code);
    expect(idToken.email).toBe('alice@example.com');
    expect(idToken).not.toHaveProperty('x_unknown_claim');
  });

  it.each(['{not json', '[]', '"text"', '{"id_token":[]}', '{"userinfo":"email"}'])('claims=%s => invalid_request', async (claims) => {
    const result = await alice.authorize(codeRequest({ claims, state: 'cl' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'cl');
  });
});

describe('request objects (OIDC Core 6)', () => {
  it('an unsigned (alg none) request object is honoured and its values override the query', async () => {
    const object = new UnsecuredJWT({
      client_id: 'web-post',
      response_type: 'code',
      scope: 'openid email phone',
      redirect_uri: REDIRECT_URI,
      state: 'from-object',
      nonce: 'nonce-from-object',
      max_age: 86400,
    }).encode();
    // A fresh consent for the phone scope is needed: approve it once.
    const result = await alice.authorize(codeRequest({ scope: 'openid', state: 'from-query', nonce: 'nonce-from-query', request: object }));
    expect(result.pages).toEqual(['consent']);
    expect(result.params.state).toBe('from-object');
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(claimsOf(token.body.id_token).nonce).toBe('nonce-from-object');
    expect(String(token.body.scope).split(' ').sort()).toEqual(['email', 'openid', 'phone']);
  });

  it('a request object naming another client_id => invalid_request_object', async () => {
    const object = new UnsecuredJWT({ client_id: 'web-basic', state: 'obj' }).encode();
    const result = await alice.authorize(codeRequest({ request: object, state: 'q' }));
    expectRedirectError(result, provider.issuer, 'invalid_request_object', 'query', 'q');
  });

  it('a signed request object => invalid_request_object (only alg none is supported)', async () => {
    const hs = await new SignJWT({ client_id: 'web-post', state: 'signed' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secretOf('web-post')));
    const { privateKey } = await generateKeyPair('RS256');
    const rs = await new SignJWT({ client_id: 'web-post', state: 'signed' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    for (const object of [hs, rs]) {
      const result = await alice.authorize(codeRequest({ request: object, state: 'outer' }));
      expectRedirectError(result, provider.issuer, 'invalid_request_object', 'query', 'outer');
    }
  });

  it('a malformed request object => invalid_request_object', async () => {
    for (const object of ['abc', 'a.b.c', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.`]) {
      const result = await alice.authorize(codeRequest({ request: object, state: 'mal' }));
      expectRedirectError(result, provider.issuer, 'invalid_request_object', 'query', 'mal');
    }
  });

  it('request_uri => request_uri_not_supported', async () => {
    const result = await alice.authorize(codeRequest({ request_uri: 'https://rp.example.com/request.jwt', state: 'ru' }));
    expectRedirectError(result, provider.issuer, 'request_uri_not_supported', 'query', 'ru');
  });

  it('registration => registration_not_supported', async () => {
    const result = await alice.authorize(codeRequest({ registration: '{"client_name":"x"}', state: 'reg' }));
    expectRedirectError(result, provider.issuer, 'registration_not_supported', 'query', 'reg');
  });
});

describe('cookies, framing and escaping (RFC 6749 10.13, 10.14; RFC 9700 4.16)', () => {
  it('the session cookie is HttpOnly, SameSite and scoped to the issuer path', async () => {
    const result = await new UserAgent(provider.url).authorize(codeRequest());
    const session = setCookies(result.trail).find((line) => line.startsWith('op_session='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(session).toMatch(/;\s*Path=\/oidc(;|$)/);
    const interaction = setCookies(result.trail).find((line) => line.startsWith('op_interaction=') && !/Max-Age=0/.test(line));
    expect(interaction).toMatch(/;\s*HttpOnly/i);
    expect(interaction).toMatch(/;\s*SameSite=(Lax|Strict)/i);
  });

  it('login, consent, error and form_post pages send X-Frame-Options and CSP frame-ancestors', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ response_mode: 'form_post' }));
    const login = result.trail.find((r) => r.body.includes('id="login-form"'));
    const consent = result.trail.find((r) => r.body.includes('id="consent-form"'));
    expect(login).toBeDefined();
    expect(consent).toBeDefined();
    expectFramingForbidden(login!);
    expectFramingForbidden(consent!);
    expect(result.via).toBe('form_post');
    expectFramingForbidden(result.response);
    const error = await ua.authorize(codeRequest({ client_id: 'nobody' }));
    expectFramingForbidden(error.response);
  });

  it('the form_post page escapes a state containing "><script>', async () => {
    const state = '"><script>alert(1)</script><input name="x" value=\'';
    const result = await alice.authorize(codeRequest({ response_mode: 'form_post', state }));
    expect(result.via).toBe('form_post');
    expect(result.response.body).not.toContain('"><script>alert(1)');
    expect(result.response.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(result.params.state).toBe(state);
    // Only the provider's own nonce'd script runs.
    expect(result.response.body.match(/<script/g)).toHaveLength(1);
    expect(String(result.response.headers['content-security-policy'])).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
  });

  it('the error page escapes reflected input', async () => {
    const result = await alice.authorize(codeRequest({ redirect_uri: 'https://rp.example.com/"><script>alert(1)</script>' }));
    expectErrorPage(result, 400, 'invalid_request');
    expect(result.response.body).not.toContain('<script>alert(1)');
  });
});

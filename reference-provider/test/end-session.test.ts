// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0, sections 2-4) at /oidc/session/end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { startFixtureProvider } from './support/provider.ts';
import { UserAgent, parseForm, type HttpResponse } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf } from './support/oauth.ts';
import { expectErrorPage, expectRedirectError, movableClock } from './support/front-channel.ts';

const LOGGED_OUT = 'https://rp.example.com/logged-out';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
beforeAll(async () => {
  provider = await startFixtureProvider();
});
afterAll(() => provider.close());

function codeRequest(params: Record<string, string> = {}): string {
  return authorizationUrl(provider.issuer, {
    client_id: 'web-post',
    response_type: 'code',
    scope: 'openid',
    redirect_uri: REDIRECT_URI,
    state: 'st',
    ...params,
  });
}

function logoutUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${provider.issuer}/session/end`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/** A browser signed in (and consented) as the user, with an ID token issued to web-post. */
async function signedIn(username = 'alice', password = 'wonderland-42'): Promise<{ ua: UserAgent; idToken: string; sessionCookie: string }> {
  const ua = new UserAgent(provider.url);
  const result = await ua.authorize(codeRequest({ response_type: 'id_token', nonce: 'n' }), { username, password });
  expect(result.params.id_token).toBeDefined();
  const sessionCookie = ua.getCookie('op_session');
  expect(sessionCookie).toBeDefined();
  return { ua, idToken: result.params.id_token!, sessionCookie: sessionCookie! };
}

/** The session is over: prompt=none now answers login_required, even when the old cookie is replayed. */
async function expectSignedOut(ua: UserAgent, oldSessionCookie: string): Promise<void> {
  expect(ua.hasCookie('op_session')).toBe(false);
  const silent = await ua.authorize(codeRequest({ prompt: 'none', state: 'after' }));
  expectRedirectError(silent, provider.issuer, 'login_required', 'query', 'after');
  ua.setCookie('op_session', oldSessionCookie);
  const replayed = await ua.authorize(codeRequest({ prompt: 'none', state: 'replay' }));
  expectRedirectError(replayed, provider.issuer, 'login_required', 'query', 'replay');
}

async function expectStillSignedIn(ua: UserAgent): Promise<void> {
  const silent = await ua.authorize(codeRequest({ prompt: 'none' }));
  expect(silent.params.code).toBeDefined();
}

function expectNoRedirect(response: HttpResponse): void {
  expect(response.headers.location).toBeUndefined();
  expect(response.status).not.toBe(302);
  expect(response.status).not.toBe(303);
}

describe('logout with a valid id_token_hint', () => {
  it('and a registered post_logout_redirect_uri => 303 to it with state; the session is gone', async () => {
    const { ua, idToken, sessionCookie } = await signedIn();
    const res = await ua.send('GET', logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'bye & é' }));
    expect(res.status).toBe(303);
    const location = new URL(String(res.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(LOGGED_OUT);
    expect(location.searchParams.get('state')).toBe('bye & é');
    expect([...location.searchParams.keys()]).toEqual(['state']);
    const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith('op_session='));
    expect(cleared).toMatch(/^op_session=;.*Max-Age=0/);
    await expectSignedOut(ua, sessionCookie);
  });

  it('POST works like GET (OIDC RP-Initiated Logout 2)', async () => {
    const { ua, idToken, sessionCookie } = await signedIn();
    const res = await ua.send('POST', `${provider.issuer}/session/end`, { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'p' });
    expect(res.status).toBe(303);
    expect(new URL(String(res.headers.location)).searchParams.get('state')).toBe('p');
    await expectSignedOut(ua, sessionCookie);
  });

  it('without post_logout_redirect_uri => a signed-out page, no redirect', async () => {
    const { ua, idToken, sessionCookie } = await signedIn();
    const res = await ua.send('GET', logoutUrl({ id_token_hint: idToken }));
    expect(res.status).toBe(200);
    expectNoRedirect(res);
    expect(res.body).toContain('id="logged-out"');
    await expectSignedOut(ua, sessionCookie);
  });

  it('and no state => the redirect carries no state', async () => {
    const { ua, idToken } = await signedIn();
    const res = await ua.send('GET', logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT }));
    expect(res.headers.location).toBe(LOGGED_OUT);
  });

  it('of another user than the signed-in one => confirmation page, the session stays until confirmed', async () => {
    const { idToken: bobToken } = await signedIn('bob', 'builder-can-fix-it');
    const { ua } = await signedIn();
    const res = await ua.send('GET', logoutUrl({ id_token_hint: bobToken, post_logout_redirect_uri: LOGGED_OUT }));
    expect(res.status).toBe(200);
    expectNoRedirect(res);
    expect(res.body).toContain('id="logout-form"');
    await expectStillSignedIn(ua);
  });
});

describe('invalid logout requests: an error page and no redirect (OIDC RP-Initiated Logout 2, 3, 4)', () => {
  it.each([
    ['an unregistered URI', 'https://evil.example.com/logged-out'],
    ['an added query', `${LOGGED_OUT}?x=1`],
    ['a trailing slash', `${LOGGED_OUT}/`],
    ['a URI registered for another client only', 'https://spa.example.com/logged-out'],
    ['a redirect URI (not a post-logout one)', REDIRECT_URI],
  ])('post_logout_redirect_uri with %s', async (_label, uri) => {
    const { ua, idToken } = await signedIn();
    const res = await ua.send('GET', logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: uri, state: 's' }));
    expectErrorPage(res, 400, 'invalid_request');
    await expectStillSignedIn(ua);
  });

  it('id_token_hint with a mismatching client_id', async () => {
    const { ua, idToken } = await signedIn();
    expect(claimsOf(idToken).aud).toBe('web-post');
    const res = await ua.send('GET', logoutUrl({ id_token_hint: idToken, client_id: 'web-basic', post_logout_redirect_uri: LOGGED_OUT }));
    expectErrorPage(res, 400, 'invalid_request');
    const without = await ua.send('GET', logoutUrl({ id_token_hint: idToken, client_id: 'web-basic' }));
    expectErrorPage(without, 400, 'invalid_request');
    await expectStillSignedIn(ua);
  });

  it('post_logout_redirect_uri without id_token_hint or client_id', async () => {
    const { ua } = await signedIn();
    const res = await ua.send('GET', logoutUrl({ post_logout_redirect_uri: LOGGED_OUT }));
    expectErrorPage(res, 400, 'invalid_request');
    await expectStillSignedIn(ua);
  });

  it('a garbage id_token_hint', async () => {
    const { ua } = await signedIn();
    for (const hint of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      const res = await ua.send('GET', logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: LOGGED_OUT }));
      expectErrorPage(res, 400, 'invalid_request');
    }
    await expectStillSignedIn(ua);
  });

  it('an id_token_hint signed by a foreign key (same kid, same claims)', async () => {
    const { ua, idToken } = await signedIn();
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claimsOf(idToken)).setProtectedHeader({ alg: 'RS256', kid: String(decodeProtectedHeader(idToken).kid) }).sign(privateKey);
    const res = await ua.send('GET', logoutUrl({ id_token_hint: forged, post_logout_redirect_uri: LOGGED_OUT }));
    expectErrorPage(res, 400, 'invalid_request');
    await expectStillSignedIn(ua);
  });

  it('a parameter sent twice', async () => {
    const { ua, idToken } = await signedIn();
    const url = new URL(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT }));
    url.searchParams.append('post_logout_redirect_uri', 'https://evil.example.com/');
    expectErrorPage(await ua.send('GET', url.toString()), 400, 'invalid_request');
  });
});

describe('logout without id_token_hint: the user confirms (OIDC RP-Initiated Logout 2)', () => {
  it('shows a confirmation page; confirming signs out', async () => {
    const { ua, sessionCookie } = await signedIn();
    const page = await ua.send('GET', logoutUrl({}));
    expect(page.status).toBe(200);
    expectNoRedirect(page);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('id="confirm-logout"');
    await expectStillSignedIn(ua); // nothing happens before the user confirms
    const { action, fields } = parseForm(page.body, 'logout-form');
    expect(fields.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const done = await ua.send('POST', action, fields);
    expect(done.status).toBe(200);
    expect(done.body).toContain('id="logged-out"');
    await expectSignedOut(ua, sessionCookie);
  });

  it('with client_id and a registered post_logout_redirect_uri: confirmation, then the redirect with state', async () => {
    const { ua, sessionCookie } = await signedIn();
    const page = await ua.send('GET', logoutUrl({ client_id: 'web-post', post_logout_redirect_uri: LOGGED_OUT, state: 'cid' }));
    expect(page.status).toBe(200);
    expectNoRedirect(page);
    const { action, fields } = parseForm(page.body, 'logout-form');
    const done = await ua.send('POST', action, fields);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${LOGGED_OUT}?state=cid`);
    await expectSignedOut(ua, sessionCookie);
  });

  it('confirming with a wrong csrf => 403 page, still signed in', async () => {
    const { ua } = await signedIn();
    const page = await ua.send('GET', logoutUrl({}));
    const { action, fields } = parseForm(page.body, 'logout-form');
    const res = await ua.send('POST', action, { ...fields, csrf: 'forged' });
    expectErrorPage(res, 403, 'invalid_request');
    await expectStillSignedIn(ua);
  });
});

describe('logout is idempotent (OIDC RP-Initiated Logout 4)', () => {
  it('a valid hint without a session redirects as usual, twice', async () => {
    const { ua, idToken } = await signedIn();
    for (let i = 0; i < 2; i++) {
      const res = await ua.send('GET', logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: `again-${i}` }));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${LOGGED_OUT}?state=again-${i}`);
    }
    const fresh = new UserAgent(provider.url);
    const res = await fresh.send('GET', logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(LOGGED_OUT);
  });

  it('no hint and no session: the confirmation still works and is not an error', async () => {
    const ua = new UserAgent(provider.url);
    const page = await ua.send('GET', logoutUrl({}));
    expect(page.status).toBe(200);
    const { action, fields } = parseForm(page.body, 'logout-form');
    const done = await ua.send('POST', action, fields);
    expect(done.status).toBe(200);
    expect(done.body).toContain('id="logged-out"');
  });
});

describe('an expired id_token_hint is accepted (OIDC RP-Initiated Logout 2)', () => {
  const clock = movableClock();
  let timed: Awaited<ReturnType<typeof startFixtureProvider>>;
  beforeAll(async () => {
    timed = await startFixtureProvider({ now: clock.now });
  });
  afterAll(() => timed.close());

  it('logs out and redirects with a hint past its exp', async () => {
    const ua = new UserAgent(timed.url);
    const result = await ua.authorize(
      authorizationUrl(timed.issuer, { client_id: 'web-post', response_type: 'id_token', scope: 'openid', redirect_uri: REDIRECT_URI, nonce: 'n' }),
    );
    const hint = result.params.id_token!;
    clock.advance(3700);
    expect(claimsOf(hint).exp as number).toBeLessThan(clock.now());
    const res = await ua.send('GET', `${timed.issuer}/session/end?${new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: LOGGED_OUT, state: 'old' })}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${LOGGED_OUT}?state=old`);
    expect(ua.hasCookie('op_session')).toBe(false);
  });
});

// The authorization code flow over real HTTP (RFC 6749 4.1, OIDC Core 3.1, RFC 7636, RFC 9207):
// each client authentication method, state/nonce/iss, exact redirect_uri matching, code
// single use, expiry and binding, and PKCE.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureConfig, startFixtureProvider } from './support/provider.ts';
import { UserAgent } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf, pkcePair } from './support/oauth.ts';
import { expectErrorPage, expectRedirectError, movableClock, redeemCode, redirectUriOf, refresh, userinfo, verifyIdToken } from './support/front-channel.ts';

const fixtureClientExists = (id: string) => fixtureConfig().clients.some((c) => c.client_id === id && (c.redirect_uris ?? []).length > 0);

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
/** A browser signed in as alice that has consented to `openid email` for every client used here. */
let alice: UserAgent;

beforeAll(async () => {
  provider = await startFixtureProvider();
  alice = new UserAgent(provider.url);
});
afterAll(() => provider.close());

function codeRequest(params: Record<string, string | undefined> = {}): string {
  const clientId = 'client_id' in params ? params.client_id : 'web-post';
  return authorizationUrl(provider.issuer, {
    client_id: 'web-post',
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: clientId && fixtureClientExists(clientId) ? redirectUriOf(clientId) : REDIRECT_URI,
    state: 'st-1',
    nonce: 'n-1',
    ...params,
  });
}

/** Runs a code request in alice's browser and returns the code (asserting a code response). */
async function codeFor(params: Record<string, string | undefined> = {}, ua = alice): Promise<string> {
  const result = await ua.authorize(codeRequest(params));
  expect(result.via, JSON.stringify(result.params)).toBe('query');
  expect(result.params.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return result.params.code!;
}

describe('code flow with each client authentication method', () => {
  it.each([
    ['web-basic', 'client_secret_basic'],
    ['web-post', 'client_secret_post'],
  ])('%s (%s): login, consent, code in the query, tokens at the token endpoint', async (clientId) => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ client_id: clientId }));
    expect(result.pages).toEqual(['login', 'consent']);
    expect(result.response.status).toBe(303); // the consent form was a POST: 303, never 307
    expect(`${result.location!.origin}${result.location!.pathname}`).toBe(REDIRECT_URI);
    expect(result.location!.hash).toBe('');
    expect(result.location!.search).not.toMatch(/access_token|id_token/);
    expect(Object.keys(result.params).sort()).toEqual(['code', 'iss', 'state']);

    const token = await redeemCode(provider, clientId, result.params.code!);
    expect(token.status).toBe(200);
    expect(token.headers['cache-control']).toBe('no-store');
    expect(token.body.token_type).toBe('Bearer');
    expect(token.body.expires_in).toBe(3600);
    expect(token.body.scope).toBe('openid email');
    expect(token.body).not.toHaveProperty('refresh_token');
    const idToken = await verifyIdToken(provider, String(token.body.id_token), clientId);
    expect(idToken.sub).toBe('user-alice-0001');
    expect(idToken.nonce).toBe('n-1');
    expect(typeof idToken.auth_time).toBe('number');
    const me = await userinfo(provider, String(token.body.access_token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ sub: 'user-alice-0001', email: 'alice@example.com', email_verified: true });
  });

  it('spa-public with PKCE S256: no secret, the verifier proves possession', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor({ client_id: 'spa-public', code_challenge: challenge, code_challenge_method: 'S256' });
    const token = await redeemCode(provider, 'spa-public', code, { code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(claimsOf(token.body.id_token).aud).toBe('spa-public');
  });

  it('spa-public with PKCE plain: the verifier equals the challenge', async () => {
    const { verifier } = pkcePair();
    const code = await codeFor({ client_id: 'spa-public', code_challenge: verifier, code_challenge_method: 'plain' });
    const token = await redeemCode(provider, 'spa-public', code, { code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(claimsOf(token.body.id_token).aud).toBe('spa-public');
  });

  it('an omitted code_challenge_method means plain (RFC 7636 4.3)', async () => {
    const { verifier } = pkcePair();
    const code = await codeFor({ client_id: 'spa-public', code_challenge: verifier });
    expect((await redeemCode(provider, 'spa-public', code, { code_verifier: verifier })).status).toBe(200);
  });

  it('a public client cannot redeem without the verifier even when it names itself', async () => {
    const { challenge } = pkcePair();
    const code = await codeFor({ client_id: 'spa-public', code_challenge: challenge, code_challenge_method: 'S256' });
    const token = await redeemCode(provider, 'spa-public', code);
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_grant');
  });
});

describe('state, nonce and iss', () => {
  it.each([
    ['reserved characters', 'a b+c&d=e%20f/?#;,:@$!\'()*[]'],
    ['unicode', 'état-日本語-🎉-Ωmega'],
    ['NFD form kept as sent', 'e\u0301te\u0301'],
    ['long opaque value', 'x'.repeat(300)],
  ])('state is echoed byte-exact: %s', async (_label, state) => {
    const result = await alice.authorize(codeRequest({ state }));
    expect(result.params.code).toBeDefined();
    expect(result.params.state).toBe(state);
    expect(Buffer.from(result.params.state!, 'utf8').equals(Buffer.from(state, 'utf8'))).toBe(true);
  });

  it('no state sent: none returned', async () => {
    const result = await alice.authorize(codeRequest({ state: undefined }));
    expect(result.params.code).toBeDefined();
    expect(result.params).not.toHaveProperty('state');
  });

  it('the nonce is echoed unchanged in the token-endpoint ID token', async () => {
    const nonce = 'nonce-ü+/=&%20-e\u0301-' + 'z'.repeat(100);
    const code = await codeFor({ nonce });
    const token = await redeemCode(provider, 'web-post', code);
    expect(claimsOf(token.body.id_token).nonce).toBe(nonce);
  });

  it('a code request without nonce succeeds and its ID token has no nonce', async () => {
    const code = await codeFor({ nonce: undefined });
    const token = await redeemCode(provider, 'web-post', code);
    expect(token.status).toBe(200);
    const claims = claimsOf(token.body.id_token);
    expect(claims).not.toHaveProperty('nonce');
    expect(claims.sub).toBe('user-alice-0001');
  });

  it('the iss response parameter equals the issuer and the ID token iss (RFC 9207 2)', async () => {
    const result = await alice.authorize(codeRequest());
    expect(result.params.iss).toBe(provider.issuer);
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(claimsOf(token.body.id_token).iss).toBe(result.params.iss);
  });
});

describe('redirect_uri is compared exactly (OIDC Core 3.1.2.1, RFC 9700 4.1.3)', () => {
  it.each([
    ['trailing slash', 'https://rp.example.com/callback/'],
    ['path case', 'https://rp.example.com/Callback'],
    ['host case', 'https://RP.example.com/callback'],
    ['extra path', 'https://rp.example.com/callback/extra'],
    ['added query', 'https://rp.example.com/callback?x=1'],
    ['added fragment', 'https://rp.example.com/callback#x'],
    ['other host', 'https://evil.example.com/callback'],
    ['registered host as a prefix', 'https://rp.example.com.evil.example/callback'],
    ['explicit default port', 'https://rp.example.com:443/callback'],
    ['http instead of https', 'http://rp.example.com/callback'],
    ['encoded dot segment', 'https://rp.example.com/callback/..%2Fother'],
    ['userinfo component', 'https://rp.example.com@evil.example/callback'],
    ['another client\'s URI', 'https://rp2.example.com/callback'],
    ['not a URL', 'callback'],
  ])('%s => error page, status 400, no Location', async (_label, redirectUri) => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ redirect_uri: redirectUri }));
    expectErrorPage(result, 400, 'invalid_request');
    expect(result.pages).toEqual([]);
    expect(result.trail).toHaveLength(1);
  });

  it('a missing redirect_uri is an error page, not a default (OIDC Core 3.1.2.1)', async () => {
    expectErrorPage(await new UserAgent(provider.url).authorize(codeRequest({ redirect_uri: undefined })), 400, 'invalid_request');
  });

  it('the error page is shown even for a signed-in user and prompt=none', async () => {
    const result = await alice.authorize(codeRequest({ redirect_uri: 'https://evil.example.com/callback', prompt: 'none' }));
    expectErrorPage(result, 400, 'invalid_request');
  });

  it.each([53127, 1, 65535])('loopback http://127.0.0.1:%i/callback is accepted for a URI registered without a port', async (port) => {
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const result = await alice.authorize(codeRequest({ redirect_uri: redirectUri }));
    expect(result.via).toBe('query');
    expect(`${result.location!.origin}${result.location!.pathname}`).toBe(redirectUri);
    const token = await redeemCode(provider, 'web-post', result.params.code!, { redirect_uri: redirectUri });
    expect(token.status).toBe(200);
  });

  it.each([
    ['localhost is not an IP literal', 'http://localhost:53127/callback'],
    ['loopback with another path', 'http://127.0.0.1:53127/other'],
    ['loopback with an extra path', 'http://127.0.0.1:53127/callback/x'],
    ['loopback over https', 'https://127.0.0.1:53127/callback'],
    ['port out of range', 'http://127.0.0.1:99999/callback'],
    ['loopback with an added query', 'http://127.0.0.1:53127/callback?x=1'],
  ])('loopback exception is narrow: %s => error page', async (_label, redirectUri) => {
    expectErrorPage(await alice.authorize(codeRequest({ redirect_uri: redirectUri })), 400, 'invalid_request');
  });
});

describe('unknown or missing client_id: an error page, never a redirect (RFC 6749 4.1.2.1)', () => {
  it('unknown client_id', async () => {
    expectErrorPage(await new UserAgent(provider.url).authorize(codeRequest({ client_id: 'no-such-client' })), 400, 'invalid_client');
  });

  it('missing client_id', async () => {
    expectErrorPage(await new UserAgent(provider.url).authorize(codeRequest({ client_id: undefined })), 400, 'invalid_request');
  });

  it('client_id of a machine client with no redirect URIs', async () => {
    expectErrorPage(await new UserAgent(provider.url).authorize(codeRequest({ client_id: 'machine' })), 400, 'invalid_request');
  });

  it('unknown client_id with other errors in the request still gets the page', async () => {
    const result = await new UserAgent(provider.url).authorize(codeRequest({ client_id: 'no-such-client', response_type: 'bogus', scope: 'email' }));
    expectErrorPage(result, 400, 'invalid_client');
  });
});

describe('codes are single-use, short-lived and bound (RFC 6749 4.1.2, 4.1.3)', () => {
  it('a second redemption fails with invalid_grant and revokes the tokens issued from the code', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ scope: 'openid email offline_access', prompt: 'consent' }));
    const first = await redeemCode(provider, 'web-post', result.params.code!);
    expect(first.status).toBe(200);
    expect(typeof first.body.refresh_token).toBe('string');
    expect((await userinfo(provider, String(first.body.access_token))).status).toBe(200);

    const second = await redeemCode(provider, 'web-post', result.params.code!);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect(second.body).not.toHaveProperty('access_token');

    const me = await userinfo(provider, String(first.body.access_token));
    expect(me.status).toBe(401);
    expect(me.body.error).toBe('invalid_token');
    const refreshed = await refresh(provider, 'web-post', String(first.body.refresh_token));
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('the other codes of the same user stay valid after a reuse', async () => {
    const a = await codeFor();
    const b = await codeFor();
    expect((await redeemCode(provider, 'web-post', a)).status).toBe(200);
    expect((await redeemCode(provider, 'web-post', a)).status).toBe(400);
    const tokenB = await redeemCode(provider, 'web-post', b);
    expect(tokenB.status).toBe(200);
    expect((await userinfo(provider, String(tokenB.body.access_token))).status).toBe(200);
  });

  it('a code is bound to its client: another client gets invalid_grant and cannot burn it', async () => {
    const code = await codeFor({ client_id: 'web-post' });
    const stolen = await redeemCode(provider, 'web-basic', code);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await redeemCode(provider, 'web-post', code)).status).toBe(200);
  });

  it('a garbage code gets invalid_grant', async () => {
    const res = await redeemCode(provider, 'web-post', 'not-a-code');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('redirect_uri differing from the authorization request => invalid_grant; missing => invalid_request', async () => {
    const code = await codeFor();
    const other = await redeemCode(provider, 'web-post', code, { redirect_uri: 'http://127.0.0.1/callback' });
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('invalid_grant');
    const code2 = await codeFor();
    const missing = await redeemCode(provider, 'web-post', code2, { redirect_uri: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const slash = await redeemCode(provider, 'web-post', code2, { redirect_uri: `${REDIRECT_URI}/` });
    expect(slash.body.error).toBe('invalid_grant');
  });
});

describe('code expiry (lifetimes.authorizationCode = 60 s)', () => {
  const clock = movableClock();
  let timed: Awaited<ReturnType<typeof startFixtureProvider>>;
  beforeAll(async () => {
    timed = await startFixtureProvider({ now: clock.now });
  });
  afterAll(() => timed.close());

  async function timedCode(ua: UserAgent): Promise<string> {
    const result = await ua.authorize(authorizationUrl(timed.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI }));
    expect(result.params.code).toBeDefined();
    return result.params.code!;
  }

  it('a code redeemed 59 s after issue works', async () => {
    const ua = new UserAgent(timed.url);
    const code = await timedCode(ua);
    clock.advance(59);
    expect((await redeemCode(timed, 'web-post', code)).status).toBe(200);
  });

  it('a code redeemed 61 s after issue gets invalid_grant', async () => {
    const ua = new UserAgent(timed.url);
    const code = await timedCode(ua);
    clock.advance(61);
    const res = await redeemCode(timed, 'web-post', code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('PKCE (RFC 7636, RFC 9700 2.1.1)', () => {
  it('a wrong verifier gets invalid_grant', async () => {
    const { challenge } = pkcePair();
    const code = await codeFor({ client_id: 'spa-public', code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await redeemCode(provider, 'spa-public', code, { code_verifier: pkcePair().verifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('a verifier with one character changed gets invalid_grant', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor({ client_id: 'web-post', code_challenge: challenge, code_challenge_method: 'S256' });
    const flipped = (verifier[0] === 'A' ? 'B' : 'A') + verifier.slice(1);
    const res = await redeemCode(provider, 'web-post', code, { code_verifier: flipped });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('a missing verifier for a code issued with a challenge gets invalid_grant (confidential client too)', async () => {
    const { challenge } = pkcePair();
    const code = await codeFor({ client_id: 'web-post', code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await redeemCode(provider, 'web-post', code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('downgrade: a verifier for a code issued without a challenge gets invalid_grant', async () => {
    const code = await codeFor({ client_id: 'web-post' });
    const res = await redeemCode(provider, 'web-post', code, { code_verifier: pkcePair().verifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('an S256 challenge cannot be satisfied by sending the challenge as the verifier (RFC 7636 4.5)', async () => {
    const { challenge } = pkcePair();
    const code = await codeFor({ client_id: 'spa-public', code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await redeemCode(provider, 'spa-public', code, { code_verifier: challenge });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('a public client without PKCE gets invalid_request at its redirect URI, with state', async () => {
    const result = await alice.authorize(codeRequest({ client_id: 'spa-public', state: 'no-pkce' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'no-pkce');
    expect(result.params.error_description).toMatch(/code_challenge/);
  });

  it.each(['S512', 's256', 'PLAIN'])('code_challenge_method=%s => invalid_request at the redirect URI', async (method) => {
    const result = await alice.authorize(codeRequest({ client_id: 'spa-public', code_challenge: pkcePair().challenge, code_challenge_method: method, state: 'm' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 'm');
  });

  it('a too-short verifier is refused even when it matches its challenge (RFC 7636 4.1)', async () => {
    // The challenge is S256('abc') itself: only the verifier's length can make the exchange fail.
    const challenge = createHash('sha256').update('abc').digest('base64url');
    const code = await codeFor({ client_id: 'web-post', code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await redeemCode(provider, 'web-post', code, { code_verifier: 'abc' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('a too-short code_challenge => invalid_request', async () => {
    const result = await alice.authorize(codeRequest({ client_id: 'spa-public', code_challenge: 'abc', code_challenge_method: 'plain', state: 's' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'query', 's');
  });
});

describe('a registered redirect URI with a query component keeps it (RFC 6749 3.1.2)', () => {
  const WITH_QUERY = 'https://rp.example.com/cb?tenant=a%26b&x=1';
  let custom: Awaited<ReturnType<typeof startFixtureProvider>>;
  beforeAll(async () => {
    custom = await startFixtureProvider({
      config: (c) => ({
        ...c,
        clients: [
          ...c.clients,
          {
            client_id: 'web-query',
            client_secret: 'web-query-secret-0123456789abcdef0123456789abcdef',
            token_endpoint_auth_method: 'client_secret_post',
            redirect_uris: [WITH_QUERY],
            grant_types: ['authorization_code', 'implicit'],
            response_types: ['code', 'code id_token'],
            consent_preapproved: true,
          },
        ],
      }),
    });
  });
  afterAll(() => custom.close());

  function request(params: Record<string, string>): string {
    return authorizationUrl(custom.issuer, { client_id: 'web-query', scope: 'openid', redirect_uri: WITH_QUERY, state: 'q', nonce: 'n', ...params });
  }

  it('query mode: the registered parameters stay and the response parameters are added', async () => {
    const result = await new UserAgent(custom.url).authorize(request({ response_type: 'code' }));
    expect(result.pages).toEqual(['login']);
    expect(result.location!.searchParams.get('tenant')).toBe('a&b');
    expect(result.location!.searchParams.get('x')).toBe('1');
    expect(result.params.code).toBeDefined();
    expect(result.params.state).toBe('q');
    expect(result.location!.href.startsWith(`${WITH_QUERY}&`)).toBe(true);
  });

  it('fragment mode: the registered query stays, the response goes in the fragment', async () => {
    const result = await new UserAgent(custom.url).authorize(request({ response_type: 'code id_token' }));
    expect(result.via).toBe('fragment');
    expect(result.location!.search).toBe('?tenant=a%26b&x=1');
    expect(result.params.id_token).toBeDefined();
  });

  it('the same URI without its query, or with the query reordered, is refused', async () => {
    expectErrorPage(await new UserAgent(custom.url).authorize(request({ response_type: 'code', redirect_uri: 'https://rp.example.com/cb' })), 400, 'invalid_request');
    expectErrorPage(await new UserAgent(custom.url).authorize(request({ response_type: 'code', redirect_uri: 'https://rp.example.com/cb?x=1&tenant=a%26b' })), 400, 'invalid_request');
  });
});

describe('POST authorization request (OIDC Core 3.1.2.1)', () => {
  it('the same request as a form POST succeeds, and the redirect after it is a 303', async () => {
    const ua = new UserAgent(provider.url);
    await ua.authorize(codeRequest()); // sign in and consent first
    const result = await ua.authorize(codeRequest({ state: 'posted' }), {}, 'POST');
    expect(result.pages).toEqual([]);
    expect(result.response.status).toBe(303);
    expect(result.params.state).toBe('posted');
    expect((await redeemCode(provider, 'web-post', result.params.code!)).status).toBe(200);
  });

  it('a POST with login and consent completes too', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(codeRequest({ state: 'posted-fresh' }), {}, 'POST');
    expect(result.pages).toEqual(['login', 'consent']);
    expect(result.params.state).toBe('posted-fresh');
    expect(result.params.code).toBeDefined();
  });
});

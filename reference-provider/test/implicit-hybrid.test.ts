// Every response type with every allowed response mode (OAuth 2.0 Multiple Response Types,
// Form Post Response Mode, OIDC Core 3.1-3.3): where the parameters land, which ones come back,
// at_hash / c_hash, nonce, claims placement, and what never happens (tokens in the query, refresh
// tokens from the authorization endpoint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startFixtureProvider } from './support/provider.ts';
import { UserAgent, type AuthorizationResult } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf, getJson } from './support/oauth.ts';
import { secretOf } from './support/secrets.ts';
import { expectErrorPage, expectRedirectError, leftHalfSha256, redeemCode, userinfo, verifyIdToken } from './support/front-channel.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let alice: UserAgent;

beforeAll(async () => {
  provider = await startFixtureProvider();
  alice = new UserAgent(provider.url);
  // Sign in and consent once to the scope every request below uses.
  const first = await alice.authorize(request({ response_type: 'code' }));
  expect(first.pages).toEqual(['login', 'consent']);
});
afterAll(() => provider.close());

const NONCE = 'n-0S6_WzA2Mj';
const STATE = 'af0ifjsldkj';

function request(params: Record<string, string | undefined>): string {
  return authorizationUrl(provider.issuer, {
    client_id: 'web-post',
    scope: 'openid email',
    redirect_uri: REDIRECT_URI,
    state: STATE,
    nonce: NONCE,
    ...params,
  });
}

type Mode = 'query' | 'fragment' | 'form_post';
const TOKEN_TYPES = ['id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'];
const CASES: Array<[string, Mode | undefined, Mode]> = [
  ['code', undefined, 'query'],
  ['code', 'query', 'query'],
  ['code', 'fragment', 'fragment'],
  ['code', 'form_post', 'form_post'],
  ...TOKEN_TYPES.flatMap((type): Array<[string, Mode | undefined, Mode]> => [
    [type, undefined, 'fragment'],
    [type, 'fragment', 'fragment'],
    [type, 'form_post', 'form_post'],
  ]),
];

/** The exact parameter names each response type returns (OAuth2-RT 5, OIDC Core 3.2.2.5, 3.3.2.5). */
function expectedNames(type: string): string[] {
  const words = type.split(' ');
  const names = ['state', 'iss'];
  if (words.includes('code')) names.push('code');
  if (words.includes('id_token')) names.push('id_token');
  if (words.includes('token')) names.push('access_token', 'token_type', 'expires_in', 'scope');
  return names.sort();
}

function expectPlacement(result: AuthorizationResult, via: Mode): void {
  expect(result.via).toBe(via);
  if (via === 'form_post') {
    // OAuth2-FP 2: an auto-submitting POST form to the redirect URI, not stored.
    expect(result.response.status).toBe(200);
    expect(result.response.headers.location).toBeUndefined();
    expect(result.response.headers['content-type']).toMatch(/^text\/html/);
    expect(result.response.headers['cache-control']).toBe('no-store');
    expect(result.response.body).toMatch(/<form method="post" action="https:\/\/rp\.example\.com\/callback" id="form_post">/);
    expect(result.response.body).toMatch(/\.submit\(\)/);
    return;
  }
  expect(result.response.status).toBe(302);
  expect(`${result.location!.origin}${result.location!.pathname}`).toBe(REDIRECT_URI);
  if (via === 'fragment') expect(result.location!.search).toBe('');
  else expect(result.location!.hash).toBe('');
}

describe('each response type x each allowed response mode', () => {
  it.each(CASES)('response_type=%s response_mode=%s => parameters in the %s', async (type, mode, via) => {
    const result = await alice.authorize(request({ response_type: type, response_mode: mode }));
    expect(result.pages).toEqual([]);
    expectPlacement(result, via);
    expect(Object.keys(result.params).sort()).toEqual(expectedNames(type));
    expect(result.params.state).toBe(STATE);
    expect(result.params.iss).toBe(provider.issuer);
    expect(result.params).not.toHaveProperty('refresh_token');
    const words = type.split(' ');
    if (words.includes('token')) {
      expect(result.params.token_type).toBe('Bearer');
      expect(result.params.expires_in).toBe('3600');
      expect(result.params.scope).toBe('openid email');
      const me = await userinfo(provider, result.params.access_token!);
      expect(me.status).toBe(200);
      expect(me.body.sub).toBe('user-alice-0001');
    }
    if (words.includes('id_token')) {
      const idToken = await verifyIdToken(provider, result.params.id_token!, 'web-post');
      expect(idToken.nonce).toBe(NONCE);
      expect(idToken.sub).toBe('user-alice-0001');
      expect(idToken.iss).toBe(result.params.iss);
      // at_hash: required with an access token (OIDC Core 3.2.2.10, 3.3.2.11), absent without one.
      if (words.includes('token')) expect(idToken.at_hash).toBe(leftHalfSha256(result.params.access_token!));
      else expect(idToken).not.toHaveProperty('at_hash');
      // c_hash: required with a code in the hybrid flow (OIDC Core 3.3.2.11), absent without one.
      if (words.includes('code')) expect(idToken.c_hash).toBe(leftHalfSha256(result.params.code!));
      else expect(idToken).not.toHaveProperty('c_hash');
    }
    if (words.includes('code')) {
      const token = await redeemCode(provider, 'web-post', result.params.code!);
      expect(token.status).toBe(200);
    }
  });

  it('query mode never carries a token: the tokens of every fragment-default type are absent from every query', async () => {
    for (const type of TOKEN_TYPES) {
      const result = await alice.authorize(request({ response_type: type }));
      expect(result.location!.search, type).toBe('');
      expect(result.location!.hash, type).toMatch(/state=/);
    }
  });
});

describe('response_mode errors', () => {
  it.each(TOKEN_TYPES)('response_mode=query with %s => invalid_request in the fragment, no token anywhere', async (type) => {
    const result = await alice.authorize(request({ response_type: type, response_mode: 'query' }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'fragment', STATE);
    expect(result.location!.search).toBe('');
    expect(result.location!.href).not.toMatch(/id_token=|access_token=|code=/);
  });

  it.each(['bogus', 'jwt', 'QUERY', 'fragment.jwt'])('unsupported response_mode=%s => 400 page, no redirect (OIDC Core 3.1.2.6)', async (mode) => {
    const result = await alice.authorize(request({ response_type: 'code', response_mode: mode }));
    expectErrorPage(result, 400, 'invalid_request');
  });

  it('errors are delivered in the requested mode: form_post', async () => {
    const result = await alice.authorize(request({ response_type: 'id_token', response_mode: 'form_post', nonce: undefined }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'form_post', STATE);
    expect(result.response.headers['cache-control']).toBe('no-store');
  });

  it('errors are delivered in the requested mode: fragment for code', async () => {
    const result = await alice.authorize(request({ response_type: 'code', response_mode: 'fragment', scope: 'email' }));
    expectRedirectError(result, provider.issuer, 'invalid_scope', 'fragment', STATE);
  });
});

describe('nonce (OIDC Core 3.2.2.1, 3.3.2.1)', () => {
  it.each(['id_token', 'id_token token', 'code id_token', 'code id_token token'])('%s without nonce => invalid_request in the fragment with state', async (type) => {
    const result = await alice.authorize(request({ response_type: type, nonce: undefined }));
    expectRedirectError(result, provider.issuer, 'invalid_request', 'fragment', STATE);
    expect(result.params.error_description).toMatch(/nonce/);
  });

  it('code token without nonce is allowed (nonce is optional there)', async () => {
    const result = await alice.authorize(request({ response_type: 'code token', nonce: undefined }));
    expect(result.params.code).toBeDefined();
    expect(result.params.access_token).toBeDefined();
  });

  it('an empty nonce counts as absent (RFC 6749 3.1)', async () => {
    const result = await alice.authorize(request({ response_type: 'id_token', nonce: '' }));
    expect(result.params.error).toBe('invalid_request');
  });
});

describe('claims placement (OIDC Core 5.4)', () => {
  it('response_type=id_token: the email scope claims are in the ID token', async () => {
    const result = await alice.authorize(request({ response_type: 'id_token' }));
    const claims = claimsOf(result.params.id_token);
    expect(claims.email).toBe('alice@example.com');
    expect(claims.email_verified).toBe(true);
  });

  it.each(['id_token token', 'code id_token', 'code id_token token'])('response_type=%s: an access token is issued, so the email claims are not in the front-channel ID token', async (type) => {
    const result = await alice.authorize(request({ response_type: type }));
    const claims = claimsOf(result.params.id_token);
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('email_verified');
    expect(claims.sub).toBe('user-alice-0001');
  });

  it('with id_token token the scope claims come from userinfo instead', async () => {
    const result = await alice.authorize(request({ response_type: 'id_token token' }));
    const me = await userinfo(provider, result.params.access_token!);
    expect(me.body).toEqual({ sub: 'user-alice-0001', email: 'alice@example.com', email_verified: true });
  });

  it('the hybrid token-endpoint ID token carries no scope claims either', async () => {
    const result = await alice.authorize(request({ response_type: 'code id_token' }));
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(claimsOf(token.body.id_token)).not.toHaveProperty('email');
  });
});

describe('no refresh token from the authorization endpoint (RFC 6749 4.2.2)', () => {
  it.each(TOKEN_TYPES)('%s with offline_access and prompt=consent: no refresh_token in the response', async (type) => {
    const result = await alice.authorize(request({ response_type: type, scope: 'openid email offline_access', prompt: 'consent' }));
    expect(result.pages).toEqual(['consent']);
    expect(result.params.state).toBe(STATE);
    expect(result.params).not.toHaveProperty('refresh_token');
    expect(result.params).not.toHaveProperty('error');
  });
});

describe('hybrid flow code exchange (OIDC Core 3.3.3)', () => {
  it.each(['code id_token', 'code id_token token'])('%s: the token-endpoint ID token has the same iss, sub, nonce and auth_time', async (type) => {
    const result = await alice.authorize(request({ response_type: type }));
    const front = claimsOf(result.params.id_token);
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(token.status).toBe(200);
    const back = await verifyIdToken(provider, String(token.body.id_token), 'web-post');
    expect(back.sub).toBe(front.sub);
    expect(back.iss).toBe(front.iss);
    expect(back.nonce).toBe(NONCE);
    expect(back.auth_time).toBe(front.auth_time);
    expect(back.at_hash).toBe(leftHalfSha256(String(token.body.access_token)));
  });

  it('a hybrid code is single-use too', async () => {
    const result = await alice.authorize(request({ response_type: 'code id_token' }));
    expect((await redeemCode(provider, 'web-post', result.params.code!)).status).toBe(200);
    const again = await redeemCode(provider, 'web-post', result.params.code!);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });
});

describe('response_type word order is irrelevant (RFC 6749 3.1.1)', () => {
  it.each([
    ['id_token code', 'code id_token'],
    ['token id_token', 'id_token token'],
    ['token code id_token', 'code id_token token'],
    ['id_token token code', 'code id_token token'],
    ['token code', 'code token'],
  ])('%s is handled as %s', async (sent, canonical) => {
    const result = await alice.authorize(request({ response_type: sent }));
    expect(result.via).toBe('fragment');
    expect(Object.keys(result.params).sort()).toEqual(expectedNames(canonical));
  });
});

describe('ID tokens signed with HS256 and ES256 on the front channel (OIDC Core 10.1, 3.3.2.11)', () => {
  it('web-hs256, code id_token token: MACed with the client secret, at_hash and c_hash over SHA-256', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(request({ client_id: 'web-hs256', response_type: 'code id_token token' }));
    expect(result.via).toBe('fragment');
    const { payload, protectedHeader } = await jwtVerify(result.params.id_token!, new TextEncoder().encode(secretOf('web-hs256')), {
      issuer: provider.issuer,
      audience: 'web-hs256',
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.at_hash).toBe(leftHalfSha256(result.params.access_token!));
    expect(payload.c_hash).toBe(leftHalfSha256(result.params.code!));
    expect(payload.nonce).toBe(NONCE);
  });

  it('web-es256, code id_token: ES256 verifiable with the JWKS, c_hash over SHA-256', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(request({ client_id: 'web-es256', response_type: 'code id_token' }));
    const jwks = createLocalJWKSet((await getJson(`${provider.issuer}/jwks`)).body as never);
    const { payload, protectedHeader } = await jwtVerify(result.params.id_token!, jwks, { issuer: provider.issuer, audience: 'web-es256' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.c_hash).toBe(leftHalfSha256(result.params.code!));
    expect(payload).not.toHaveProperty('at_hash');
  });
});

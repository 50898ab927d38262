// grant_type=password (RFC 6749 4.3) and grant_type=refresh_token (RFC 6749 6, OIDC Core 12),
// refresh tokens obtained through the password grant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { ALICE, fixtureClient, startFixtureProvider } from './support/provider.ts';
import { claimsOf, getJson, postForm } from './support/oauth.ts';
import { basicAuth, postAuth } from './support/secrets.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let token: string;
let clock = Math.floor(Date.now() / 1000);
beforeAll(async () => {
  provider = await startFixtureProvider({ now: () => clock });
  token = `${provider.issuer}/token`;
});
afterAll(() => provider.close());

function passwordGrant(scope: string | undefined, client = 'web-post', user = ALICE) {
  const basic = fixtureClient(client).token_endpoint_auth_method === 'client_secret_basic';
  const form: Record<string, string> = { grant_type: 'password', username: user.username, password: user.password, ...(basic ? {} : postAuth(client)) };
  if (scope !== undefined) form.scope = scope;
  return postForm(token, form, basic ? { basic: basicAuth(client) } : {});
}

describe('password grant', () => {
  it('issues tokens and a valid ID token for the right password', async () => {
    const res = await passwordGrant('openid profile');
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid profile');
    const jwks = createLocalJWKSet((await getJson(`${provider.issuer}/jwks`)).body as never);
    const { payload } = await jwtVerify(String(res.body.id_token), jwks, { issuer: provider.issuer, audience: 'web-post', currentDate: new Date(clock * 1000) });
    expect(payload.sub).toBe(ALICE.sub);
    expect(payload.iat).toBe(clock);
    expect(payload.exp).toBe(clock + 3600);
    expect(typeof payload.at_hash).toBe('string');
  });

  it('uses the documented default scope when none is sent', async () => {
    const res = await passwordGrant(undefined);
    expect(res.body.scope).toBe('openid profile email phone address');
    expect(res.body).not.toHaveProperty('refresh_token');
  });

  it('issues a refresh token only with offline_access (documented rule)', async () => {
    expect((await passwordGrant('openid')).body).not.toHaveProperty('refresh_token');
    const withOffline = await passwordGrant('openid offline_access');
    expect(typeof withOffline.body.refresh_token).toBe('string');
    expect(withOffline.body.scope).toBe('openid offline_access');
  });

  it('answers a wrong password and an unknown user with invalid_grant', async () => {
    const wrong = await postForm(token, { grant_type: 'password', username: 'alice', password: 'nope', ...postAuth('web-post') });
    expect({ status: wrong.status, error: wrong.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
    const unknown = await postForm(token, { grant_type: 'password', username: 'mallory', password: 'x', ...postAuth('web-post') });
    expect({ status: unknown.status, error: unknown.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('answers missing username or password with invalid_request', async () => {
    for (const form of [{ username: 'alice' }, { password: 'wonderland-42' }] as Array<Record<string, string>>) {
      const res = await postForm(token, { grant_type: 'password', ...form, ...postAuth('web-post') });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'invalid_request' });
    }
  });

  it('requires client authentication', async () => {
    const res = await postForm(token, { grant_type: 'password', username: 'alice', password: 'wonderland-42', client_id: 'web-post' });
    expect(res.body.error).toBe('invalid_client');
  });
});

describe('refresh token', () => {
  async function freshRefreshToken(scope = 'openid profile offline_access', client = 'web-post') {
    const res = await passwordGrant(scope, client);
    return { refresh: String(res.body.refresh_token), idToken: String(res.body.id_token) };
  }

  it('refreshes with a normal token response and a consistent ID token (OIDC Core 12.2)', async () => {
    const { refresh, idToken } = await freshRefreshToken();
    const original = claimsOf(idToken);
    clock += 5;
    const res = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.token_type).toBe('Bearer');
    const refreshed = claimsOf(res.body.id_token);
    expect(refreshed.iss).toBe(original.iss);
    expect(refreshed.sub).toBe(original.sub);
    expect(refreshed.aud).toBe(original.aud);
    expect(refreshed.auth_time).toBe(original.auth_time);
    expect(refreshed.iat).toBe(clock);
    expect(refreshed).not.toHaveProperty('nonce');
  });

  it('rotates: a new refresh token with the same scope, and the old one is retired', async () => {
    const { refresh } = await freshRefreshToken();
    const first = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
    expect(first.body.refresh_token).toBeTypeOf('string');
    expect(first.body.refresh_token).not.toBe(refresh);
    expect(first.body.scope).toBe('openid profile offline_access');
    const again = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
    expect({ status: again.status, error: again.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('revokes the whole family when a retired refresh token is reused (RFC 9700 4.14.2)', async () => {
    const { refresh } = await freshRefreshToken();
    const first = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
    await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
    const successor = await postForm(token, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token), ...postAuth('web-post') });
    expect(successor.body.error).toBe('invalid_grant');
    const userinfo = await getJson(`${provider.issuer}/me`, { authorization: `Bearer ${String(first.body.access_token)}` });
    expect(userinfo.status).toBe(401);
  });

  it('keeps the token when rotation is off (policy)', async () => {
    const never = await startFixtureProvider({ config: (c) => ({ ...c, policies: { ...c.policies, refreshToken: { rotation: 'never' } } }) });
    try {
      const grant = await postForm(`${never.issuer}/token`, { grant_type: 'password', username: 'alice', password: 'wonderland-42', scope: 'openid offline_access', ...postAuth('web-post') });
      const refresh = String(grant.body.refresh_token);
      for (let i = 0; i < 2; i++) {
        const res = await postForm(`${never.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
        expect(res.status).toBe(200);
        expect(res.body).not.toHaveProperty('refresh_token');
      }
    } finally {
      await never.close();
    }
  });

  it('is bound to its client (RFC 6749 6)', async () => {
    const { refresh } = await freshRefreshToken('openid offline_access', 'web-basic');
    const res = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh }, { basic: basicAuth('web-second') });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
    const owner = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh }, { basic: basicAuth('web-basic') });
    expect(owner.status).toBe(200);
  });

  it('can narrow the scope but never widen it', async () => {
    const { refresh } = await freshRefreshToken('openid profile offline_access');
    const wider = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, scope: 'openid profile email offline_access', ...postAuth('web-post') });
    expect({ status: wider.status, error: wider.body.error }).toEqual({ status: 400, error: 'invalid_scope' });
    const narrower = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, scope: 'openid', ...postAuth('web-post') });
    expect(narrower.status).toBe(200);
    expect(narrower.body.scope).toBe('openid');
    expect(claimsOf(narrower.body.access_token).scope).toBe('openid');
    // The successor keeps the full scope of the token presented (RFC 6749 6).
    const next = await postForm(token, { grant_type: 'refresh_token', refresh_token: String(narrower.body.refresh_token), ...postAuth('web-post') });
    expect(next.body.scope).toBe('openid profile offline_access');
  });

  it('refuses garbage, missing and expired refresh tokens', async () => {
    const garbage = await postForm(token, { grant_type: 'refresh_token', refresh_token: 'garbage', ...postAuth('web-post') });
    expect(garbage.body.error).toBe('invalid_grant');
    const missing = await postForm(token, { grant_type: 'refresh_token', ...postAuth('web-post') });
    expect(missing.body.error).toBe('invalid_request');
    const { refresh } = await freshRefreshToken();
    clock += 15 * 24 * 3600;
    const expired = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, ...postAuth('web-post') });
    expect(expired.body.error).toBe('invalid_grant');
  });

  it('requires the client to authenticate', async () => {
    const { refresh } = await freshRefreshToken();
    const res = await postForm(token, { grant_type: 'refresh_token', refresh_token: refresh, client_id: 'web-post' });
    expect(res.body.error).toBe('invalid_client');
  });
});

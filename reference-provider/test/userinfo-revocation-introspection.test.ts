// UserInfo (OIDC Core 5.3, RFC 6750), revocation (RFC 7009) and introspection (RFC 7662).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { ALICE, startFixtureProvider } from './support/provider.ts';
import { claimsOf, getJson, postForm } from './support/oauth.ts';
import { basicAuth, postAuth } from './support/secrets.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let clock = Math.floor(Date.now() / 1000);
beforeAll(async () => {
  provider = await startFixtureProvider({ now: () => clock });
});
afterAll(() => provider.close());

async function userTokens(scope = 'openid profile email phone address offline_access', client = 'web-post') {
  const res = await postForm(`${provider.issuer}/token`, { grant_type: 'password', username: 'alice', password: 'wonderland-42', scope, ...postAuth(client) });
  expect(res.status).toBe(200);
  return { access: String(res.body.access_token), refresh: res.body.refresh_token as string | undefined, idToken: String(res.body.id_token) };
}

const userinfo = (headers: Record<string, string> = {}) => getJson(`${provider.issuer}/me`, headers);

describe('userinfo', () => {
  it('answers GET with a Bearer header: sub equal to the ID token, claims by scope, typed', async () => {
    const { access, idToken } = await userTokens();
    const res = await userinfo({ authorization: `Bearer ${access}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.sub).toBe(claimsOf(idToken).sub);
    expect(res.body).toMatchObject({ email: 'alice@example.com', email_verified: true, phone_number_verified: false, updated_at: 1700000000 });
    expect(typeof res.body.address).toBe('object');
    expect(Object.values(res.body)).not.toContain(null);
  });

  it('releases only the claims of the granted scopes', async () => {
    const { access } = await userTokens('openid email');
    const res = await userinfo({ authorization: `Bearer ${access}` });
    expect(Object.keys(res.body).sort()).toEqual(['email', 'email_verified', 'sub']);
  });

  it('answers POST with the header and POST with the token in the form body', async () => {
    const { access } = await userTokens();
    const withHeader = await postForm(`${provider.issuer}/me`, {}, { bearer: access });
    expect(withHeader.body.sub).toBe(ALICE.sub);
    const inBody = await postForm(`${provider.issuer}/me`, { access_token: access });
    expect(inBody.body.sub).toBe(ALICE.sub);
  });

  it('answers a missing token with 401 and a Bearer challenge without an error code (RFC 6750 3.1)', async () => {
    const res = await userinfo();
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+"$/);
  });

  it('answers invalid, tampered and ID tokens with 401 invalid_token', async () => {
    const { access, idToken } = await userTokens();
    const tampered = `${access.slice(0, -4)}AAAA`;
    for (const bad of ['garbage', tampered, idToken]) {
      const res = await userinfo({ authorization: `Bearer ${bad}` });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
  });

  it('answers an expired token with 401', async () => {
    const { access } = await userTokens();
    clock += 3601;
    const res = await userinfo({ authorization: `Bearer ${access}` });
    expect(res.status).toBe(401);
    clock -= 3601;
  });

  it('answers a client credentials token (no openid scope) with 403 insufficient_scope', async () => {
    const cc = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', ...postAuth('machine') });
    const res = await userinfo({ authorization: `Bearer ${String(cc.body.access_token)}` });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
  });

  it('answers a token sent two ways, or in the query, with 400 invalid_request', async () => {
    const { access } = await userTokens();
    const twice = await postForm(`${provider.issuer}/me`, { access_token: access }, { bearer: access });
    expect(twice.status).toBe(400);
    expect(twice.headers['www-authenticate']).toMatch(/error="invalid_request"/);
    const query = await userinfo.call(null, {});
    expect(query.status).toBe(401);
    const inQuery = await getJson(`${provider.issuer}/me?access_token=${access}`);
    expect(inQuery.status).toBe(400);
  });
});

describe('revocation (RFC 7009)', () => {
  const revoke = (form: Record<string, string>, client = 'web-post') => postForm(`${provider.issuer}/token/revocation`, { ...form, ...postAuth(client) });

  it('revokes an access token: userinfo then answers 401', async () => {
    const { access } = await userTokens();
    const res = await revoke({ token: access, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect((await userinfo({ authorization: `Bearer ${access}` })).status).toBe(401);
  });

  it('revokes a refresh token and the access tokens of its grant, whatever the hint', async () => {
    const { access, refresh } = await userTokens();
    const res = await revoke({ token: refresh!, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    const refreshed = await postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refresh!, ...postAuth('web-post') });
    expect(refreshed.body.error).toBe('invalid_grant');
    expect((await userinfo({ authorization: `Bearer ${access}` })).status).toBe(401);
  });

  it('answers 200 for unknown tokens and unknown hints', async () => {
    expect((await revoke({ token: 'garbage' })).status).toBe(200);
    expect((await revoke({ token: 'garbage', token_type_hint: 'foo' })).status).toBe(200);
  });

  it('requires client authentication', async () => {
    const { refresh } = await userTokens();
    const res = await postForm(`${provider.issuer}/token/revocation`, { token: refresh!, client_id: 'web-post', client_secret: 'wrong' });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'invalid_client' });
  });

  it("refuses to revoke another client's token, which stays valid", async () => {
    const { refresh } = await userTokens('openid offline_access', 'web-post');
    const res = await postForm(`${provider.issuer}/token/revocation`, { token: refresh! }, { basic: basicAuth('web-basic') });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unauthorized_client');
    const still = await postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refresh!, ...postAuth('web-post') });
    expect(still.status).toBe(200);
  });

  it('answers missing token with invalid_request', async () => {
    const res = await revoke({});
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'invalid_request' });
  });
});

describe('introspection (RFC 7662)', () => {
  const introspect = (token: string, client = 'web-basic') => postForm(`${provider.issuer}/token/introspection`, { token }, { basic: basicAuth(client) });

  it('describes an active access token consistently with what was issued', async () => {
    const { access } = await userTokens('openid email');
    const res = await introspect(access);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, scope: 'openid email', client_id: 'web-post', sub: ALICE.sub, iss: provider.issuer, token_type: 'Bearer' });
    expect(res.body.exp).toBe(claimsOf(access).exp);
  });

  it('describes an active refresh token', async () => {
    const { refresh } = await userTokens();
    const res = await introspect(refresh!);
    expect(res.body).toMatchObject({ active: true, token_type: 'refresh_token', client_id: 'web-post' });
  });

  it('answers exactly {"active":false} for garbage, revoked and expired tokens', async () => {
    expect((await introspect('garbage')).text).toBe('{"active":false}');
    const { access } = await userTokens();
    await postForm(`${provider.issuer}/token/revocation`, { token: access, ...postAuth('web-post') });
    expect((await introspect(access)).text).toBe('{"active":false}');
    const { access: later } = await userTokens();
    clock += 3601;
    expect((await introspect(later)).text).toBe('{"active":false}');
    clock -= 3601;
  });

  it('requires an authenticated confidential client', async () => {
    const { access } = await userTokens();
    const anonymous = await request(`${provider.issuer}/token/introspection`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${access}` });
    expect(anonymous.statusCode).toBe(401);
    expect(((await anonymous.body.json()) as { error: string }).error).toBe('invalid_client');
    const publicClient = await postForm(`${provider.issuer}/token/introspection`, { token: access, client_id: 'spa-public' });
    expect(publicClient.status).toBe(401);
  });
});

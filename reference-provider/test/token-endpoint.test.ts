// Token endpoint generics and client authentication (RFC 6749 2.3, 3.2, 5.1, 5.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFixtureProvider } from './support/provider.ts';
import { basicHeader, postForm } from './support/oauth.ts';
import { basicAuth, postAuth, secretOf } from './support/secrets.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let token: string;
beforeAll(async () => {
  provider = await startFixtureProvider();
  token = `${provider.issuer}/token`;
});
afterAll(() => provider.close());

function expectOAuthError(res: { status: number; body: Record<string, unknown>; headers: Record<string, unknown> }, status: number, error: string) {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('client authentication', () => {
  it('accepts client_secret_basic for a basic client', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials' }, { basic: basicAuth('machine-basic') });
    expect(res.status).toBe(200);
  });

  it('accepts client_secret_post for a post client', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', ...postAuth('machine') });
    expect(res.status).toBe(200);
  });

  it('answers a wrong Basic secret with 401 and WWW-Authenticate: Basic (RFC 6749 5.2)', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials' }, { basic: { id: 'machine-basic', secret: 'wrong' } });
    expectOAuthError(res, 401, 'invalid_client');
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
  });

  it('answers a wrong post secret and an unknown client with invalid_client', async () => {
    expectOAuthError(await postForm(token, { grant_type: 'client_credentials', client_id: 'machine', client_secret: 'nope' }), 401, 'invalid_client');
    expectOAuthError(await postForm(token, { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nope' }), 401, 'invalid_client');
  });

  it('refuses a request without any client authentication', async () => {
    expectOAuthError(await postForm(token, { grant_type: 'client_credentials' }), 401, 'invalid_client');
    expectOAuthError(await postForm(token, { grant_type: 'client_credentials', client_id: 'machine' }), 401, 'invalid_client');
  });

  it('refuses two authentication methods at once with invalid_request', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', client_secret: secretOf('machine-basic') }, { basic: basicAuth('machine-basic') });
    expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a method other than the registered one', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials' }, { basic: basicAuth('machine') });
    expectOAuthError(res, 401, 'invalid_client');
    expectOAuthError(await postForm(token, { grant_type: 'client_credentials', ...postAuth('machine-basic') }), 401, 'invalid_client');
  });

  it('refuses malformed Basic headers with 401', async () => {
    for (const header of ['Basic !!!', 'Basic ' + Buffer.from('no-colon').toString('base64'), 'Basic ' + Buffer.from('%zz:x').toString('base64')]) {
      const res = await postForm(token, { grant_type: 'client_credentials' }, { headers: { authorization: header } });
      expectOAuthError(res, 401, 'invalid_client');
    }
  });

  it('form-decodes Basic credentials after base64 (RFC 6749 2.3.1)', async () => {
    const odd = await startFixtureProvider({
      config: (c) => ({ ...c, clients: [...c.clients, { client_id: 'odd:id +%', client_secret: 'se:cr et+%/-0123456789abcdef0123456789', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], response_types: [], scopes: ['a'] }] }),
    });
    try {
      const res = await postForm(`${odd.issuer}/token`, { grant_type: 'client_credentials' }, { headers: { authorization: basicHeader('odd:id +%', 'se:cr et+%/-0123456789abcdef0123456789') } });
      expect(res.status).toBe(200);
    } finally {
      await odd.close();
    }
  });

  it('refuses credentials in the URL query (RFC 6749 2.3.1) by default', async () => {
    const res = await postForm(`${token}?client_secret=${secretOf('machine')}`, { grant_type: 'client_credentials', client_id: 'machine' });
    expectOAuthError(res, 400, 'invalid_request');
  });

  it('accepts the documented query style only with the compatibility switch', async () => {
    const compat = await startFixtureProvider({ config: (c) => ({ ...c, policies: { ...c.policies, allowCredentialsInQuery: true } }) });
    try {
      const url = `${compat.issuer}/token?grant_type=client_credentials&client_id=machine&client_secret=${secretOf('machine')}`;
      const res = await postForm(url, {});
      expect(res.status).toBe(200);
    } finally {
      await compat.close();
    }
  });
});

describe('request generics', () => {
  it('refuses GET with 405 and a JSON error', async () => {
    const res = await postForm(token, {}, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.body.error).toBe('invalid_request');
    expect(res.headers.allow).toBe('POST');
  });

  it('refuses a body that is not form-encoded', async () => {
    const res = await request(token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('answers a missing grant_type with invalid_request and an unknown one with unsupported_grant_type', async () => {
    expectOAuthError(await postForm(token, { ...postAuth('machine') }), 400, 'invalid_request');
    expectOAuthError(await postForm(token, { grant_type: 'urn:x:unknown', ...postAuth('machine') }), 400, 'unsupported_grant_type');
  });

  it('answers a grant the client may not use with unauthorized_client', async () => {
    expectOAuthError(await postForm(token, { grant_type: 'password', username: 'alice', password: 'wonderland-42', ...postAuth('machine') }), 400, 'unauthorized_client');
  });

  it('refuses repeated parameters with invalid_request', async () => {
    expectOAuthError(await postForm(token, { grant_type: ['client_credentials', 'client_credentials'], ...postAuth('machine') }), 400, 'invalid_request');
    expectOAuthError(await postForm(token, { grant_type: 'client_credentials', scope: ['reports:read', 'reports:write'], ...postAuth('machine') }), 400, 'invalid_request');
  });

  it('treats empty parameters as absent and ignores unknown ones', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', scope: '', x_unknown: '1', ...postAuth('machine') });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('reports:read reports:write');
  });

  it('marks success responses no-store and JSON with numeric expires_in', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', ...postAuth('machine') });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.expires_in).toBe(3600);
    expect(res.body.token_type).toBe('Bearer');
    expect(Object.values(res.body)).not.toContain(null);
  });

  it('answers CORS preflight on the token endpoint but not on the authorization endpoint', async () => {
    const pre = await request(token, { method: 'OPTIONS', headers: { origin: 'https://rp.example', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    await pre.body.text();
    const auth = await request(`${provider.issuer}/auth`, { method: 'OPTIONS', headers: { origin: 'https://rp.example' } });
    expect(auth.headers['access-control-allow-origin']).toBeUndefined();
    await auth.body.text();
  });
});

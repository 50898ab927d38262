import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startFixtureProvider } from './support/provider.ts';
import { getJson, postForm } from './support/oauth.ts';
import { postAuth } from './support/secrets.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
beforeAll(async () => {
  provider = await startFixtureProvider();
});
afterAll(() => provider.close());

describe('discovery (OIDC Discovery 3, 4)', () => {
  it('serves the metadata at issuer + /.well-known/openid-configuration with the exact issuer', async () => {
    const res = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.issuer).toBe(provider.issuer);
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oidc$/);
  });

  it('lists every required member and the documented endpoints', async () => {
    const { body } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    for (const member of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported']) {
      expect(body, member).toHaveProperty(member);
    }
    expect(body.authorization_endpoint).toBe(`${provider.issuer}/auth`);
    expect(body.token_endpoint).toBe(`${provider.issuer}/token`);
    expect(body.userinfo_endpoint).toBe(`${provider.issuer}/me`);
    expect(body.revocation_endpoint).toBe(`${provider.issuer}/token/revocation`);
    expect(body.introspection_endpoint).toBe(`${provider.issuer}/token/introspection`);
    expect(body.end_session_endpoint).toBe(`${provider.issuer}/session/end`);
    expect(body.id_token_signing_alg_values_supported).toContain('RS256');
    expect(body.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'implicit', 'refresh_token', 'client_credentials', 'password']));
    expect(body.response_modes_supported).toEqual(['query', 'fragment', 'form_post']);
    expect(body.code_challenge_methods_supported).toEqual(['S256', 'plain']);
    expect(body.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_post', 'client_secret_basic', 'none']));
    expect(body.authorization_response_iss_parameter_supported).toBe(true);
    expect(body.request_uri_parameter_supported).toBe(false);
    for (const [name, value] of Object.entries(body)) {
      if (Array.isArray(value)) expect(value.length, `${name} is empty`).toBeGreaterThan(0);
    }
  });

  it('every advertised endpoint answers (no 404)', async () => {
    const { body } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    for (const member of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint']) {
      const res = await getJson(String(body[member]));
      expect(res.status, member).not.toBe(404);
      expect(res.status, member).toBeLessThan(500);
    }
  });

  it('publishes the same facts as RFC 8414 metadata, before the issuer path', async () => {
    const res = await getJson(`${provider.url}/.well-known/oauth-authorization-server/oidc`);
    expect(res.status).toBe(200);
    expect(res.body.issuer).toBe(provider.issuer);
    expect(res.body.jwks_uri).toBe(`${provider.issuer}/jwks`);
  });
});

describe('JWKS', () => {
  it('publishes public RS256 and ES256 keys with unique kids and no private members', async () => {
    const res = await getJson(`${provider.issuer}/jwks`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    const keys = res.body.keys as Array<Record<string, unknown>>;
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
    for (const key of keys) {
      expect(key.use).toBe('sig');
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key, member).not.toHaveProperty(member);
    }
    const rsa = keys.find((k) => k.kty === 'RSA')!;
    expect(Buffer.from(String(rsa.n), 'base64url').length).toBe(256);
  });

  it('verifies the tokens the provider signs, by kid', async () => {
    const token = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', ...postAuth('machine') });
    const jwks = createLocalJWKSet((await getJson(`${provider.issuer}/jwks`)).body as never);
    const { protectedHeader } = await jwtVerify(String(token.body.access_token), jwks, { issuer: provider.issuer, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('RS256');
  });
});

describe('a public issuer that differs from the listen address', () => {
  it('advertises the configured issuer and mounts endpoints under its path', async () => {
    const other = await startFixtureProvider({ config: (c) => ({ ...c, issuer: 'https://login.example.com/tenant-a/oidc' }) });
    try {
      const res = await getJson(`${other.url}/tenant-a/oidc/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      expect(res.body.issuer).toBe('https://login.example.com/tenant-a/oidc');
      expect(res.body.token_endpoint).toBe('https://login.example.com/tenant-a/oidc/token');
    } finally {
      await other.close();
    }
  });
});

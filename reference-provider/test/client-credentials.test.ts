// grant_type=client_credentials (RFC 6749 4.4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureProvider } from './support/provider.ts';
import { claimsOf, headerOf, postForm } from './support/oauth.ts';
import { postAuth } from './support/secrets.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let token: string;
beforeAll(async () => {
  provider = await startFixtureProvider();
  token = `${provider.issuer}/token`;
});
afterAll(() => provider.close());

describe('client credentials', () => {
  it('issues an RS256 JWT access token for the requested held scope, no ID token, no refresh token', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', scope: 'reports:read', ...postAuth('machine') });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('reports:read');
    expect(res.body).not.toHaveProperty('id_token');
    expect(res.body).not.toHaveProperty('refresh_token');
    expect(headerOf(res.body.access_token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const claims = claimsOf(res.body.access_token);
    expect(claims).toMatchObject({ iss: provider.issuer, sub: 'machine', client_id: 'machine', scope: 'reports:read', aud: provider.issuer });
    expect(typeof claims.jti).toBe('string');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('grants every held scope when none is requested (documented default)', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', ...postAuth('machine') });
    expect(res.body.scope).toBe('reports:read reports:write');
  });

  it('refuses a scope the client does not hold with invalid_scope', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', scope: 'reports:read admin', ...postAuth('machine') });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scope');
  });

  it('is refused to clients not registered for it (unauthorized_client)', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', ...postAuth('web-post') });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unauthorized_client');
  });

  it('is refused to public clients', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', client_id: 'spa-public' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unauthorized_client');
  });
});

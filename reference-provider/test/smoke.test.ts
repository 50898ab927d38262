import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureProvider } from './support/provider.ts';
import { UserAgent } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf, postForm } from './support/oauth.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
beforeAll(async () => {
  provider = await startFixtureProvider();
});
afterAll(() => provider.close());

describe('smoke', () => {
  it('runs a code flow end to end', async () => {
    const ua = new UserAgent(provider.url);
    const result = await ua.authorize(authorizationUrl(provider.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid email', redirect_uri: REDIRECT_URI, state: 's1', nonce: 'n1' }));
    expect(result.pages).toEqual(['login', 'consent']);
    expect(result.via).toBe('query');
    expect(result.params.state).toBe('s1');
    const token = await postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code: result.params.code!, redirect_uri: REDIRECT_URI, client_id: 'web-post', client_secret: 'web-post-secret-3d9a1c7e5b2f4a6d8c0e1b3f5a7d9c2e' });
    expect(token.status).toBe(200);
    expect(claimsOf(token.body.id_token).nonce).toBe('n1');
  });
});

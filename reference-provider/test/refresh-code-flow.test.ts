// The documented refresh-token rule on the front channel (DOCUMENTED-BEHAVIOUR.md "Refresh-token
// rules", OIDC Core 11): the code flow gets a refresh token only when the scope holds
// offline_access AND the request carries prompt=consent; implicit never gets one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureProvider } from './support/provider.ts';
import { UserAgent } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, pkcePair } from './support/oauth.ts';
import { redeemCode, redirectUriOf, refresh } from './support/front-channel.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let alice: UserAgent;
beforeAll(async () => {
  provider = await startFixtureProvider();
  alice = new UserAgent(provider.url);
});
afterAll(() => provider.close());

function request(params: Record<string, string | undefined>): string {
  return authorizationUrl(provider.issuer, {
    client_id: 'web-post',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    state: 'rt',
    nonce: 'n',
    ...params,
  });
}

describe('code flow: offline_access x prompt=consent', () => {
  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('offline_access=%s prompt=consent=%s', async (offline, consent) => {
    const scope = offline ? 'openid email offline_access' : 'openid email';
    const result = await alice.authorize(request({ scope, prompt: consent ? 'consent' : undefined }));
    expect(result.params.code).toBeDefined();
    if (consent) expect(result.pages.at(-1)).toBe('consent');
    const consentPage = result.trail.find((r) => r.body.includes('id="consent-form"'));
    if (consentPage) expect(consentPage.body.includes('data-scope="offline_access"')).toBe(offline && consent);

    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(token.status).toBe(200);
    const granted = String(token.body.scope).split(' ').sort();
    if (offline && consent) {
      expect(typeof token.body.refresh_token).toBe('string');
      expect(String(token.body.refresh_token).length).toBeGreaterThanOrEqual(43);
      expect(granted).toEqual(['email', 'offline_access', 'openid']);
      // The refresh token works, and rotates.
      const refreshed = await refresh(provider, 'web-post', String(token.body.refresh_token));
      expect(refreshed.status).toBe(200);
      expect(typeof refreshed.body.access_token).toBe('string');
      expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);
    } else {
      expect(token.body).not.toHaveProperty('refresh_token');
      // offline_access was ignored, so it is not granted either (OIDC Core 11).
      expect(granted).toEqual(['email', 'openid']);
    }
  });

  it('prompt=consent with offline_access for a public client (PKCE) gives a refresh token too', async () => {
    const { verifier, challenge } = pkcePair();
    const result = await alice.authorize(
      request({
        client_id: 'spa-public',
        redirect_uri: redirectUriOf('spa-public'),
        scope: 'openid offline_access',
        prompt: 'consent',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const token = await redeemCode(provider, 'spa-public', result.params.code!, { code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(typeof token.body.refresh_token).toBe('string');
  });

  it('prompt="login consent" counts as prompt=consent', async () => {
    const result = await alice.authorize(request({ scope: 'openid offline_access', prompt: 'login consent' }));
    expect(result.pages).toEqual(['login', 'consent']);
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(typeof token.body.refresh_token).toBe('string');
  });

  it('hybrid code id_token with both: the code gets a refresh token at the token endpoint, the front channel none', async () => {
    const result = await alice.authorize(request({ response_type: 'code id_token', scope: 'openid offline_access', prompt: 'consent' }));
    expect(result.via).toBe('fragment');
    expect(result.params).not.toHaveProperty('refresh_token');
    const token = await redeemCode(provider, 'web-post', result.params.code!);
    expect(typeof token.body.refresh_token).toBe('string');
  });
});

describe('implicit never gets a refresh token', () => {
  it.each(['id_token', 'id_token token'])('%s with offline_access and prompt=consent', async (type) => {
    const result = await alice.authorize(request({ response_type: type, scope: 'openid offline_access', prompt: 'consent' }));
    expect(result.via).toBe('fragment');
    expect(result.params.id_token).toBeDefined();
    expect(result.params).not.toHaveProperty('refresh_token');
    expect(result.params).not.toHaveProperty('code');
    if (type === 'id_token token') expect(result.params.scope).toBe('openid');
  });

  it('id_token token with offline_access and prompt=consent for the public client', async () => {
    const result = await alice.authorize(
      request({ client_id: 'spa-public', redirect_uri: redirectUriOf('spa-public'), response_type: 'id_token token', scope: 'openid offline_access', prompt: 'consent' }),
    );
    expect(result.params.access_token).toBeDefined();
    expect(result.params).not.toHaveProperty('refresh_token');
  });
});

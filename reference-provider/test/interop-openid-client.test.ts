// Interop with a certified relying-party library (issue 2, acceptance 2): openid-client drives the
// reference provider through discovery, code + PKCE, refresh, client credentials and password, and
// validates the ID tokens itself; front-channel ID tokens of the implicit and hybrid flows are
// verified with jose against the provider's JWK Set (OIDC Core 3.2.2.11, 3.3.2.12).
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { base64url, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, fixtureClient, startFixtureProvider } from './support/provider.ts';
import { UserAgent, type AuthorizationResult } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, pkcePair } from './support/oauth.ts';

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let jwksUri: string;

beforeAll(async () => {
  provider = await startFixtureProvider();
  const metadata = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  jwksUri = metadata.jwks_uri;
  jwks = createRemoteJWKSet(new URL(jwksUri));
});
afterAll(() => provider.close());

const secretOf = (clientId: string): string => fixtureClient(clientId).client_secret!;
/** spa-public registers the loopback callback (and its own origin), not rp.example.com. */
const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/callback';
const redirectFor = (clientId: string): string => (clientId === 'spa-public' ? LOOPBACK_REDIRECT_URI : REDIRECT_URI);

/** An openid-client Configuration from the provider's discovery document (plain http on loopback). */
function discover(clientId: string, metadata: Partial<client.ClientMetadata> | string | undefined, auth: client.ClientAuth) {
  return client.discovery(new URL(provider.issuer), clientId, metadata, auth, { execute: [client.allowInsecureRequests] });
}

/** base64url of the left half of SHA-256 of the ASCII value (OIDC Core 3.1.3.6 at_hash, 3.3.2.11 c_hash). */
function leftHalfSha256(value: string): string {
  const digest = createHash('sha256').update(Buffer.from(value, 'ascii')).digest();
  return base64url.encode(digest.subarray(0, 16));
}

/** Logs alice in, consents, and returns the provider's redirect to the client. */
async function runAuthorization(url: URL | string): Promise<AuthorizationResult & { location: URL }> {
  const result = await new UserAgent(provider.url).authorize(url.toString());
  expect(result.location, `no redirect to the client; final page:\n${result.response.body.slice(0, 400)}`).toBeDefined();
  return result as AuthorizationResult & { location: URL };
}

/** The fragment of a front-channel response moved to the query, as a code-flow client reads it. */
function fragmentAsQuery(location: URL): URL {
  const url = new URL(location.toString());
  url.search = url.hash.slice(1);
  url.hash = '';
  return url;
}

async function expectOAuthError(promise: Promise<unknown>, error: string, status: number): Promise<void> {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown, 'the request was expected to fail').toBeInstanceOf(client.ResponseBodyError);
  expect((thrown as client.ResponseBodyError).error).toBe(error);
  expect((thrown as client.ResponseBodyError).status).toBe(status);
}

describe('openid-client: discovery', () => {
  it('accepts the provider metadata and reads the documented endpoints from it', async () => {
    const config = await discover('web-basic', secretOf('web-basic'), client.ClientSecretBasic(secretOf('web-basic')));
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(provider.issuer);
    expect(meta.authorization_endpoint).toBe(`${provider.issuer}/auth`);
    expect(meta.token_endpoint).toBe(`${provider.issuer}/token`);
    expect(meta.userinfo_endpoint).toBe(`${provider.issuer}/me`);
    expect(meta.jwks_uri).toBe(`${provider.issuer}/jwks`);
    expect(meta.supportsPKCE('S256')).toBe(true);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
  });
});

describe('openid-client: authorization code + PKCE (S256)', () => {
  const cases = [
    { clientId: 'spa-public', auth: () => client.None(), metadata: undefined, method: 'none' },
    { clientId: 'web-basic', auth: () => client.ClientSecretBasic(secretOf('web-basic')), metadata: () => secretOf('web-basic'), method: 'client_secret_basic' },
    { clientId: 'web-post', auth: () => client.ClientSecretPost(secretOf('web-post')), metadata: () => secretOf('web-post'), method: 'client_secret_post' },
  ] as const;

  for (const c of cases) {
    it(`${c.clientId} (${c.method}): the library validates the RS256 ID token (signature included) and userinfo`, async () => {
      const config = await discover(c.clientId, c.metadata?.(), c.auth());
      // The library also verifies the token-endpoint ID token's signature against jwks_uri.
      client.enableNonRepudiationChecks(config);
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectFor(c.clientId),
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const result = await runAuthorization(url);
      expect(result.pages).toEqual(['login', 'consent']);
      expect(result.via).toBe('query');

      const tokens = await client.authorizationCodeGrant(config, result.location, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.expires_in).toBe(3600);
      expect(tokens.refresh_token).toBeUndefined(); // no offline_access asked
      const claims = tokens.claims()!;
      expect(claims.iss).toBe(provider.issuer);
      expect(claims.aud).toBe(c.clientId);
      expect(claims.sub).toBe(ALICE.sub);
      expect(claims.nonce).toBe(nonce);
      expect(claims.at_hash).toBe(leftHalfSha256(tokens.access_token));
      expect(typeof claims.auth_time).toBe('number');
      const header = decodeProtectedHeader(tokens.id_token!);
      expect(header.alg).toBe('RS256');
      expect(typeof header.kid).toBe('string');

      const userinfo = await client.fetchUserInfo(config, tokens.access_token, ALICE.sub);
      expect(userinfo.sub).toBe(ALICE.sub);
      expect(userinfo.email).toBe('alice@example.com');
      expect(userinfo.email_verified).toBe(true);
      expect(userinfo.name).toBe('Alice Liddell');
      expect(userinfo.phone_number).toBeUndefined(); // phone scope not granted
    });
  }

  it('the library refuses a code redeemed with the wrong PKCE verifier (invalid_grant)', async () => {
    const config = await discover('spa-public', undefined, client.None());
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: LOOPBACK_REDIRECT_URI,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const result = await runAuthorization(url);
    await expectOAuthError(
      client.authorizationCodeGrant(config, result.location, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: state }),
      'invalid_grant',
      400,
    );
  });

  it('a wrong client secret over Basic gives invalid_client with 401', async () => {
    const config = await discover('web-basic', 'not-the-secret', client.ClientSecretBasic('not-the-secret'));
    const { verifier, challenge } = pkcePair();
    const result = await runAuthorization(
      authorizationUrl(provider.issuer, { client_id: 'web-basic', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const thrown = await client.authorizationCodeGrant(config, result.location, { pkceCodeVerifier: verifier }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // RFC 6749 5.2: a 401 with a WWW-Authenticate challenge for the scheme the client used.
    expect(thrown).toBeInstanceOf(client.WWWAuthenticateChallengeError);
    const challengeError = thrown as client.WWWAuthenticateChallengeError;
    expect(challengeError.status).toBe(401);
    expect(challengeError.cause.map((c) => c.scheme)).toEqual(['basic']);
    expect(((await challengeError.response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('web-hs256: an HS256 ID token keyed with the client secret', async () => {
    const secret = secretOf('web-hs256');
    const config = await discover('web-hs256', { client_secret: secret, id_token_signed_response_alg: 'HS256' }, client.ClientSecretPost(secret));
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
    });
    const result = await runAuthorization(url);
    // The library checks the alg against the registered HS256 and validates the claims.
    const tokens = await client.authorizationCodeGrant(config, result.location, { pkceCodeVerifier: verifier, expectedNonce: nonce });
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('HS256');
    expect(tokens.claims()!.sub).toBe(ALICE.sub);
    // The signature: the client secret's octets are the key (OIDC Core 10.1).
    const { payload } = await jwtVerify(tokens.id_token!, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: provider.issuer,
      audience: 'web-hs256',
    });
    expect(payload.nonce).toBe(nonce);
    await expect(jwtVerify(tokens.id_token!, new TextEncoder().encode(secretOf('web-post')), { algorithms: ['HS256'] })).rejects.toThrow();
    expect((await client.fetchUserInfo(config, tokens.access_token, ALICE.sub)).email).toBe('alice@example.com');
  });

  it('web-es256: an ES256 ID token the library verifies against the JWK Set', async () => {
    const secret = secretOf('web-es256');
    const config = await discover('web-es256', { client_secret: secret, id_token_signed_response_alg: 'ES256' }, client.ClientSecretBasic(secret));
    client.enableNonRepudiationChecks(config);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
    });
    const result = await runAuthorization(url);
    const tokens = await client.authorizationCodeGrant(config, result.location, { pkceCodeVerifier: verifier, expectedNonce: nonce });
    const header = decodeProtectedHeader(tokens.id_token!);
    expect(header.alg).toBe('ES256');
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { algorithms: ['ES256'], issuer: provider.issuer, audience: 'web-es256' });
    expect(payload.sub).toBe(ALICE.sub);
    expect(payload.nonce).toBe(nonce);
  });
});

describe('openid-client: refresh', () => {
  async function codeFlow(prompt: string | undefined) {
    const config = await discover('web-basic', secretOf('web-basic'), client.ClientSecretBasic(secretOf('web-basic')));
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
    };
    if (prompt) params.prompt = prompt;
    const result = await runAuthorization(client.buildAuthorizationUrl(config, params));
    const tokens = await client.authorizationCodeGrant(config, result.location, { pkceCodeVerifier: verifier, expectedNonce: nonce });
    return { config, tokens };
  }

  it('code flow with offline_access and prompt=consent: a refresh token that works and rotates', async () => {
    const { config, tokens } = await codeFlow('consent');
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'openid']);
    const first = tokens.refresh_token;
    expect(typeof first).toBe('string');
    const original = tokens.claims()!;

    const refreshed = await client.refreshTokenGrant(config, first!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(typeof refreshed.refresh_token).toBe('string');
    expect(refreshed.refresh_token).not.toBe(first); // rotated
    const claims = refreshed.claims()!;
    expect(claims.sub).toBe(ALICE.sub);
    expect(claims.aud).toBe('web-basic');
    expect(claims.auth_time).toBe(original.auth_time); // OIDC Core 12.2
    expect((await client.fetchUserInfo(config, refreshed.access_token, ALICE.sub)).email).toBe('alice@example.com');

    // The successor works; the retired token is refused.
    const again = await client.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(again.refresh_token).not.toBe(refreshed.refresh_token);
    await expectOAuthError(client.refreshTokenGrant(config, first!), 'invalid_grant', 400);
  });

  it('code flow with offline_access but no prompt=consent: no refresh token (the documented rule)', async () => {
    const { tokens } = await codeFlow(undefined);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid']);
  });
});

describe('openid-client: client credentials and password', () => {
  it('machine (client_secret_post): an RS256 at+jwt access token for the held scope, nothing else', async () => {
    const config = await discover('machine', secretOf('machine'), client.ClientSecretPost(secretOf('machine')));
    const tokens = await client.clientCredentialsGrant(config, { scope: 'reports:read' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('reports:read');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: provider.issuer, typ: 'at+jwt', algorithms: ['RS256'] });
    expect(protectedHeader.kid).toBeDefined();
    expect(payload.client_id).toBe('machine');
    expect(payload.sub).toBe('machine');
    expect(payload.scope).toBe('reports:read');
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(3600);

    await expectOAuthError(client.clientCredentialsGrant(config, { scope: 'reports:delete' }), 'invalid_scope', 400);
  });

  it('web-basic password grant via genericGrantRequest: tokens for alice, a refresh token with offline_access', async () => {
    const config = await discover('web-basic', secretOf('web-basic'), client.ClientSecretBasic(secretOf('web-basic')));
    client.enableNonRepudiationChecks(config);
    const tokens = await client.genericGrantRequest(config, 'password', {
      username: ALICE.username,
      password: ALICE.password,
      scope: 'openid email offline_access',
    });
    expect(tokens.token_type).toBe('bearer');
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(ALICE.sub);
    expect(claims.aud).toBe('web-basic');
    expect(claims.iss).toBe(provider.issuer);
    expect(claims.nonce).toBeUndefined();
    expect(typeof tokens.refresh_token).toBe('string');
    expect((await client.fetchUserInfo(config, tokens.access_token, ALICE.sub)).email).toBe('alice@example.com');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()!.sub).toBe(ALICE.sub);

    const withoutOffline = await client.genericGrantRequest(config, 'password', { username: ALICE.username, password: ALICE.password, scope: 'openid' });
    expect(withoutOffline.refresh_token).toBeUndefined();
    await expectOAuthError(
      client.genericGrantRequest(config, 'password', { username: ALICE.username, password: 'not-her-password', scope: 'openid' }),
      'invalid_grant',
      400,
    );
  });
});

describe('jose: implicit and hybrid front-channel ID tokens against the JWK Set', () => {
  interface FrontChannel {
    params: Record<string, string>;
    location: URL;
    nonce: string;
    state: string;
  }

  async function frontChannel(clientId: string, responseType: string, scope = 'openid email'): Promise<FrontChannel> {
    const nonce = client.randomNonce();
    const state = client.randomState();
    const result = await runAuthorization(
      authorizationUrl(provider.issuer, { client_id: clientId, response_type: responseType, scope, redirect_uri: redirectFor(clientId), nonce, state }),
    );
    expect(result.via).toBe('fragment'); // the default mode for responses that carry tokens
    expect(result.params.state).toBe(state);
    expect(result.params.iss).toBe(provider.issuer);
    expect(result.params.error).toBeUndefined();
    return { params: result.params, location: result.location, nonce, state };
  }

  async function verifyIdToken(idToken: string | undefined, clientId: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<JWTPayload> {
    expect(typeof idToken).toBe('string');
    const { payload, protectedHeader } = await jwtVerify(idToken!, jwks, { issuer: provider.issuer, audience: clientId, algorithms: [alg] });
    expect(protectedHeader.alg).toBe(alg);
    expect(payload.sub).toBe(ALICE.sub);
    expect(typeof payload.auth_time).toBe('number');
    return payload;
  }

  it('id_token: verified, nonce echoed, scope claims in the ID token, no hashes and no token', async () => {
    const r = await frontChannel('web-basic', 'id_token');
    const claims = await verifyIdToken(r.params.id_token, 'web-basic');
    expect(claims.nonce).toBe(r.nonce);
    expect(claims.email).toBe('alice@example.com'); // OIDC Core 5.4: no access token, so claims go here
    expect(claims.at_hash).toBeUndefined();
    expect(claims.c_hash).toBeUndefined();
    expect(r.params.access_token).toBeUndefined();
    expect(r.params.code).toBeUndefined();
    expect(r.params.refresh_token).toBeUndefined();
  });

  it('id_token: openid-client implicitAuthentication accepts the response (public client)', async () => {
    const config = await discover('spa-public', undefined, client.None());
    client.useIdTokenResponseType(config);
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: LOOPBACK_REDIRECT_URI, scope: 'openid', nonce, state });
    expect(url.searchParams.get('response_type')).toBe('id_token');
    const result = await runAuthorization(url);
    const claims = await client.implicitAuthentication(config, result.location, nonce, { expectedState: state });
    expect(claims.sub).toBe(ALICE.sub);
    expect(claims.aud).toBe('spa-public');
    expect(claims.nonce).toBe(nonce);
  });

  it('id_token token: verified, at_hash matches the access token, userinfo answers for the same sub', async () => {
    const r = await frontChannel('spa-public', 'id_token token');
    const claims = await verifyIdToken(r.params.id_token, 'spa-public');
    expect(claims.nonce).toBe(r.nonce);
    expect(r.params.token_type).toBe('Bearer');
    expect(r.params.expires_in).toBe('3600');
    expect(claims.at_hash).toBe(leftHalfSha256(r.params.access_token!));
    expect(claims.email).toBeUndefined(); // an access token was issued: claims come from userinfo
    expect(r.params.refresh_token).toBeUndefined();
    const config = await discover('spa-public', undefined, client.None());
    expect((await client.fetchUserInfo(config, r.params.access_token!, ALICE.sub)).email).toBe('alice@example.com');
  });

  it('code id_token: verified, c_hash matches the code, the code redeems through openid-client', async () => {
    const r = await frontChannel('web-basic', 'code id_token');
    const claims = await verifyIdToken(r.params.id_token, 'web-basic');
    expect(claims.nonce).toBe(r.nonce);
    expect(claims.c_hash).toBe(leftHalfSha256(r.params.code!));
    expect(claims.at_hash).toBeUndefined();
    expect(r.params.access_token).toBeUndefined();

    const config = await discover('web-basic', secretOf('web-basic'), client.ClientSecretBasic(secretOf('web-basic')));
    client.useCodeIdTokenResponseType(config);
    // The library validates the front-channel ID token (JWKS signature, nonce, c_hash) before redeeming the code.
    const tokens = await client.authorizationCodeGrant(config, r.location, { expectedNonce: r.nonce, expectedState: r.state });
    expect(tokens.claims()!.sub).toBe(ALICE.sub);
    expect(tokens.claims()!.nonce).toBe(r.nonce);
  });

  it('code id_token (web-es256): an ES256 front-channel ID token verified against the JWK Set', async () => {
    const r = await frontChannel('web-es256', 'code id_token', 'openid');
    const claims = await verifyIdToken(r.params.id_token, 'web-es256', 'ES256');
    expect(claims.nonce).toBe(r.nonce);
    expect(claims.c_hash).toBe(leftHalfSha256(r.params.code!));
  });

  it('code token: no front-channel ID token; the code redeems for an ID token the library validates', async () => {
    const r = await frontChannel('web-post', 'code token');
    expect(r.params.id_token).toBeUndefined();
    expect(typeof r.params.code).toBe('string');
    expect(r.params.token_type).toBe('Bearer');
    const { payload: at } = await jwtVerify(r.params.access_token!, jwks, { issuer: provider.issuer, typ: 'at+jwt' });
    expect(at.sub).toBe(ALICE.sub);
    expect(at.client_id).toBe('web-post');

    const config = await discover('web-post', secretOf('web-post'), client.ClientSecretPost(secretOf('web-post')));
    client.enableNonRepudiationChecks(config);
    const tokens = await client.authorizationCodeGrant(config, fragmentAsQuery(r.location), { expectedNonce: r.nonce, expectedState: r.state });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(ALICE.sub);
    expect(claims.nonce).toBe(r.nonce);
    expect(claims.at_hash).toBe(leftHalfSha256(tokens.access_token));
  });

  it('code id_token token: verified, both at_hash and c_hash match', async () => {
    const r = await frontChannel('web-basic', 'code id_token token');
    const claims = await verifyIdToken(r.params.id_token, 'web-basic');
    expect(claims.nonce).toBe(r.nonce);
    expect(claims.c_hash).toBe(leftHalfSha256(r.params.code!));
    expect(claims.at_hash).toBe(leftHalfSha256(r.params.access_token!));
    expect(claims.c_hash).not.toBe(claims.at_hash);
  });

  it('code id_token token (web-hs256): the HS256 front-channel ID token verifies with the client secret only', async () => {
    const r = await frontChannel('web-hs256', 'code id_token token');
    expect(decodeProtectedHeader(r.params.id_token!).alg).toBe('HS256');
    const { payload } = await jwtVerify(r.params.id_token!, new TextEncoder().encode(secretOf('web-hs256')), {
      issuer: provider.issuer,
      audience: 'web-hs256',
      algorithms: ['HS256'],
    });
    expect(payload.sub).toBe(ALICE.sub);
    expect(payload.nonce).toBe(r.nonce);
    expect(payload.c_hash).toBe(leftHalfSha256(r.params.code!));
    expect(payload.at_hash).toBe(leftHalfSha256(r.params.access_token!));
    // Not an asymmetric token: the JWK Set cannot verify it.
    await expect(jwtVerify(r.params.id_token!, jwks)).rejects.toThrow();
    expect(decodeJwt(r.params.id_token!).aud).toBe('web-hs256');
  });
});

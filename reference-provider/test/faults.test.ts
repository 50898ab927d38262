// Every fault switch (faults.ts) proven over real HTTP: one observation per fault, made on a
// fault-free provider (the correct behaviour) and on a provider with only that fault on (the
// defect). A fault without an entry in PROOFS fails this file, so none can be added unproven.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { FAULTS } from '../faults.ts';
import { ALICE, startFixtureProvider } from './support/provider.ts';
import { UserAgent, type AuthorizationResult } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf, getJson, headerOf, pkcePair, postForm, type JsonResponse } from './support/oauth.ts';
import { clientAuth, leftHalfSha256, redeemCode, refresh, userinfo } from './support/front-channel.ts';
import { basicAuth, postAuth } from './support/secrets.ts';

type Running = Awaited<ReturnType<typeof startFixtureProvider>>;

interface Proof {
  /** What is looked at, in words (shown when the proof fails). */
  shows: string;
  observe(provider: Running): Promise<unknown>;
  /** The observation on the fault-free provider. */
  correct: unknown;
  /** The observation with only this fault switched on. */
  faulty: unknown;
}

const NONCE = 'n-0S6_WzA2Mj';
const STATE = 'af0ifjsldkj';
const GARBAGE = 'not-a-token-of-this-provider';

// ---- Ways to get tokens ------------------------------------------------------------------------

/** grant_type=password as a fixture client, with that client's own authentication method. */
function passwordGrant(p: Running, scope: string, options: { client?: string; password?: string } = {}): Promise<JsonResponse> {
  const auth = clientAuth(options.client ?? 'web-post');
  const form = { grant_type: 'password', username: ALICE.username, password: options.password ?? ALICE.password, scope, ...auth.form };
  return postForm(`${p.issuer}/token`, form, { basic: auth.basic });
}

async function passwordTokens(p: Running, scope = 'openid', client = 'web-post'): Promise<Record<string, unknown>> {
  const res = await passwordGrant(p, scope, { client });
  if (res.status !== 200) throw new Error(`password grant failed: ${res.status} ${res.text}`);
  return res.body;
}

/** An authorization request by web-post in a fresh browser that logs in as alice and consents. */
function authorize(p: Running, params: Record<string, string | undefined> = {}): Promise<AuthorizationResult> {
  const url = authorizationUrl(p.issuer, {
    client_id: 'web-post',
    response_type: 'code',
    scope: 'openid',
    redirect_uri: REDIRECT_URI,
    state: STATE,
    nonce: NONCE,
    ...params,
  });
  return new UserAgent(p.url).authorize(url);
}

async function codeOf(p: Running, params: Record<string, string | undefined> = {}): Promise<string> {
  const result = await authorize(p, params);
  if (!result.params.code) throw new Error(`no code: ${JSON.stringify(result.params)} (status ${result.response.status})`);
  return result.params.code;
}

function clientCredentials(p: Running, form: Record<string, string>, basic?: { id: string; secret: string }): Promise<JsonResponse> {
  return postForm(`${p.issuer}/token`, { grant_type: 'client_credentials', ...form }, { basic });
}

async function idTokenVerifies(p: Running, idToken: string): Promise<boolean> {
  const jwks = createLocalJWKSet((await getJson(`${p.issuer}/jwks`)).body as never);
  try {
    await compactVerify(idToken, jwks);
    return true;
  } catch {
    return false;
  }
}

const has = (body: Record<string, unknown>, name: string) => Object.hasOwn(body, name);

// ---- The proofs ----------------------------------------------------------------------------------

const PROOFS: Record<string, Proof> = {
  // discovery and JWKS
  'discovery-issuer-mismatch': {
    shows: 'discovery issuer equals the issuer exactly',
    observe: async (p) => (await getJson(`${p.issuer}/.well-known/openid-configuration`)).body.issuer === p.issuer,
    correct: true,
    faulty: false,
  },
  'discovery-missing-jwks-uri': {
    shows: 'discovery names a jwks_uri',
    observe: async (p) => has((await getJson(`${p.issuer}/.well-known/openid-configuration`)).body, 'jwks_uri'),
    correct: true,
    faulty: false,
  },
  'jwks-private-members': {
    shows: 'the JWK Set holds private members (d)',
    observe: async (p) => ((await getJson(`${p.issuer}/jwks`)).body.keys as Array<Record<string, unknown>>).some((k) => 'd' in k),
    correct: false,
    faulty: true,
  },
  'jwks-kid-mismatch': {
    shows: "the ID token's kid is listed in the JWK Set",
    observe: async (p) => {
      const { kid } = headerOf((await passwordTokens(p)).id_token);
      const keys = (await getJson(`${p.issuer}/jwks`)).body.keys as Array<Record<string, unknown>>;
      return keys.some((k) => k.kid === kid);
    },
    correct: true,
    faulty: false,
  },

  // ID token
  'id-token-wrong-iss': {
    shows: 'ID token iss equals the issuer',
    observe: async (p) => claimsOf((await passwordTokens(p)).id_token).iss === p.issuer,
    correct: true,
    faulty: false,
  },
  'id-token-wrong-aud': {
    shows: 'ID token aud contains the client_id',
    observe: async (p) => [claimsOf((await passwordTokens(p)).id_token).aud].flat().includes('web-post'),
    correct: true,
    faulty: false,
  },
  'id-token-expired': {
    shows: 'ID token exp is after iat',
    observe: async (p) => {
      const { exp, iat } = claimsOf((await passwordTokens(p)).id_token);
      return Number(exp) > Number(iat);
    },
    correct: true,
    faulty: false,
  },
  'id-token-nonce-dropped': {
    shows: 'nonce of the ID token from a code flow with a nonce',
    observe: async (p) => claimsOf((await redeemCode(p, 'web-post', await codeOf(p))).body.id_token).nonce,
    correct: NONCE,
    faulty: undefined,
  },
  'id-token-nonce-changed': {
    shows: 'nonce of the ID token from a code flow with a nonce',
    observe: async (p) => claimsOf((await redeemCode(p, 'web-post', await codeOf(p))).body.id_token).nonce,
    correct: NONCE,
    faulty: `${NONCE}-changed`,
  },
  'id-token-at-hash-wrong': {
    shows: 'at_hash matches the access token issued with it',
    observe: async (p) => {
      const tokens = await passwordTokens(p);
      return claimsOf(tokens.id_token).at_hash === leftHalfSha256(String(tokens.access_token));
    },
    correct: true,
    faulty: false,
  },
  'id-token-c-hash-missing': {
    shows: 'the front-channel ID token of "code id_token" carries a c_hash that matches the code',
    observe: async (p) => {
      const { params } = await authorize(p, { response_type: 'code id_token' });
      const cHash = claimsOf(params.id_token).c_hash;
      return cHash === undefined ? 'missing' : cHash === leftHalfSha256(String(params.code));
    },
    correct: true,
    faulty: 'missing',
  },
  'id-token-alg-none': {
    shows: 'ID token header alg',
    observe: async (p) => headerOf((await passwordTokens(p)).id_token).alg,
    correct: 'RS256',
    faulty: 'none',
  },
  'id-token-bad-signature': {
    shows: 'the ID token signature verifies against the JWK Set',
    observe: async (p) => idTokenVerifies(p, String((await passwordTokens(p)).id_token)),
    correct: true,
    faulty: false,
  },
  'id-token-sub-too-long': {
    shows: 'ID token sub is at most 255 characters',
    observe: async (p) => String(claimsOf((await passwordTokens(p)).id_token).sub).length <= 255,
    correct: true,
    faulty: false,
  },

  // authorization endpoint
  'state-dropped': {
    shows: 'state in the code response',
    observe: async (p) => (await authorize(p)).params.state,
    correct: STATE,
    faulty: undefined,
  },
  'tokens-in-query': {
    shows: 'where an "id_token token" response puts its parameters',
    observe: async (p) => (await authorize(p, { response_type: 'id_token token' })).via,
    correct: 'fragment',
    faulty: 'query',
  },
  'refresh-token-in-fragment': {
    shows: 'an "id_token token" response carries a refresh_token',
    observe: async (p) => has((await authorize(p, { response_type: 'id_token token', scope: 'openid offline_access' })).params, 'refresh_token'),
    correct: false,
    faulty: true,
  },
  'redirect-uri-prefix-match': {
    shows: 'where the browser is sent for a redirect_uri that only starts with a registered one',
    observe: async (p) => {
      const result = await authorize(p, { redirect_uri: `${REDIRECT_URI}-attacker` });
      return result.location ? `${result.location.origin}${result.location.pathname}` : `error page ${result.response.status}`;
    },
    correct: 'error page 400',
    faulty: `${REDIRECT_URI}-attacker`,
  },
  'implicit-nonce-optional': {
    shows: 'the answer to response_type=id_token without nonce',
    observe: async (p) => {
      const { params } = await authorize(p, { response_type: 'id_token', nonce: undefined });
      return params.error ?? (params.id_token ? 'id_token issued' : JSON.stringify(params));
    },
    correct: 'invalid_request',
    faulty: 'id_token issued',
  },

  // authorization code at the token endpoint
  'pkce-ignored': {
    shows: 'status of redeeming a PKCE code with the wrong code_verifier',
    observe: async (p) => {
      const code = await codeOf(p, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
      return (await redeemCode(p, 'web-post', code, { code_verifier: pkcePair().verifier })).status;
    },
    correct: 400,
    faulty: 200,
  },
  'code-reusable': {
    shows: 'status of redeeming a code a second time',
    observe: async (p) => {
      const code = await codeOf(p);
      await redeemCode(p, 'web-post', code);
      return (await redeemCode(p, 'web-post', code)).status;
    },
    correct: 400,
    faulty: 200,
  },
  'code-reuse-keeps-tokens': {
    shows: 'second redemption status, then userinfo status with the access token of the first',
    observe: async (p) => {
      const code = await codeOf(p);
      const first = await redeemCode(p, 'web-post', code);
      const second = await redeemCode(p, 'web-post', code);
      return { second: second.status, userinfo: (await userinfo(p, String(first.body.access_token))).status };
    },
    correct: { second: 400, userinfo: 401 },
    faulty: { second: 400, userinfo: 200 },
  },
  'token-redirect-uri-unchecked': {
    shows: 'status of redeeming a code with another (registered) redirect_uri than the request used',
    observe: async (p) => (await redeemCode(p, 'web-post', await codeOf(p), { redirect_uri: 'http://127.0.0.1/callback' })).status,
    correct: 400,
    faulty: 200,
  },

  // client authentication
  'client-secret-unchecked': {
    shows: 'status of client_credentials with a wrong client_secret',
    observe: async (p) => (await clientCredentials(p, { client_id: 'machine', client_secret: 'wrong-secret' })).status,
    correct: 401,
    faulty: 200,
  },
  'client-auth-not-required': {
    shows: 'status of client_credentials by a confidential client that sends its client_id without a secret',
    observe: async (p) => (await clientCredentials(p, { client_id: 'machine' })).status,
    correct: 401,
    faulty: 200,
  },
  'client-secret-in-query-accepted': {
    shows: 'status of client_credentials with client_id and client_secret in the URL query',
    observe: async (p) => {
      const query = new URLSearchParams(postAuth('machine')).toString();
      return (await postForm(`${p.issuer}/token?${query}`, { grant_type: 'client_credentials' })).status;
    },
    correct: 400,
    faulty: 200,
  },
  'basic-invalid-client-400': {
    shows: 'status and WWW-Authenticate of a failed HTTP Basic authentication',
    observe: async (p) => {
      const res = await clientCredentials(p, {}, { id: 'machine-basic', secret: 'wrong-secret' });
      return { status: res.status, error: res.body.error, challenge: typeof res.headers['www-authenticate'] === 'string' };
    },
    correct: { status: 401, error: 'invalid_client', challenge: true },
    faulty: { status: 400, error: 'invalid_client', challenge: false },
  },

  // grants
  'password-unchecked': {
    shows: 'status of the password grant with a wrong password',
    observe: async (p) => (await passwordGrant(p, 'openid', { password: 'not-the-password' })).status,
    correct: 400,
    faulty: 200,
  },
  'client-credentials-scope-unchecked': {
    shows: 'status of client_credentials for a scope the client does not hold',
    observe: async (p) => (await clientCredentials(p, { scope: 'reports:write' }, basicAuth('machine-basic'))).status,
    correct: 400,
    faulty: 200,
  },

  // refresh tokens
  'refresh-without-offline-access': {
    shows: 'a password grant for "openid" (no offline_access) returns a refresh_token',
    observe: async (p) => has(await passwordTokens(p, 'openid'), 'refresh_token'),
    correct: false,
    faulty: true,
  },
  'refresh-without-prompt-consent': {
    shows: 'a code flow for "openid offline_access" without prompt=consent returns a refresh_token',
    observe: async (p) => has((await redeemCode(p, 'web-post', await codeOf(p, { scope: 'openid offline_access' }))).body, 'refresh_token'),
    correct: false,
    faulty: true,
  },
  'refresh-to-client-credentials': {
    shows: 'client_credentials returns a refresh_token',
    observe: async (p) => has((await clientCredentials(p, postAuth('machine'))).body, 'refresh_token'),
    correct: false,
    faulty: true,
  },
  'refresh-withheld': {
    shows: 'a password grant with offline_access returns a refresh_token',
    observe: async (p) => has(await passwordTokens(p, 'openid offline_access'), 'refresh_token'),
    correct: true,
    faulty: false,
  },
  'refresh-not-client-bound': {
    shows: "status of web-second refreshing web-basic's refresh token",
    observe: async (p) => {
      const { refresh_token } = await passwordTokens(p, 'openid offline_access', 'web-basic');
      return (await refresh(p, 'web-second', String(refresh_token))).status;
    },
    correct: 400,
    faulty: 200,
  },
  'refresh-not-rotated': {
    shows: 'status of using a refresh token again after it was rotated (rotation: always)',
    observe: async (p) => {
      const { refresh_token } = await passwordTokens(p, 'openid offline_access');
      const first = await refresh(p, 'web-post', String(refresh_token));
      if (typeof first.body.refresh_token !== 'string') throw new Error('no successor refresh token');
      return (await refresh(p, 'web-post', String(refresh_token))).status;
    },
    correct: 400,
    faulty: 200,
  },
  'refresh-reuse-keeps-family': {
    shows: 'status of the successor refresh token after its rotated-out predecessor was presented again (reuse_revokes_family: true)',
    observe: async (p) => {
      const { refresh_token } = await passwordTokens(p, 'openid offline_access');
      const first = await refresh(p, 'web-post', String(refresh_token));
      if (typeof first.body.refresh_token !== 'string') throw new Error('no successor refresh token');
      await refresh(p, 'web-post', String(refresh_token));
      return (await refresh(p, 'web-post', first.body.refresh_token)).status;
    },
    correct: 400,
    faulty: 200,
  },
  'refresh-scope-widened': {
    shows: 'status of a refresh request for more scope than granted',
    observe: async (p) => {
      const { refresh_token } = await passwordTokens(p, 'openid offline_access');
      const form = { grant_type: 'refresh_token', refresh_token: String(refresh_token), scope: 'openid email offline_access', ...postAuth('web-post') };
      return (await postForm(`${p.issuer}/token`, form)).status;
    },
    correct: 400,
    faulty: 200,
  },

  // token endpoint responses
  'no-store-missing': {
    shows: 'Cache-Control of a token response',
    observe: async (p) => (await passwordGrant(p, 'openid')).headers['cache-control'],
    correct: 'no-store',
    faulty: undefined,
  },
  'token-error-200': {
    shows: 'status and error of a token request with a wrong password',
    observe: async (p) => {
      const res = await passwordGrant(p, 'openid', { password: 'not-the-password' });
      return { status: res.status, error: res.body.error };
    },
    correct: { status: 400, error: 'invalid_grant' },
    faulty: { status: 200, error: 'invalid_grant' },
  },
  'unsupported-grant-wrong-code': {
    shows: 'error code for an unknown grant_type',
    observe: async (p) => (await postForm(`${p.issuer}/token`, { grant_type: 'urn:example:unknown', ...postAuth('web-post') })).body.error,
    correct: 'unsupported_grant_type',
    faulty: 'invalid_request',
  },

  // userinfo, revocation, introspection
  'userinfo-sub-mismatch': {
    shows: 'userinfo sub equals the ID token sub',
    observe: async (p) => {
      const tokens = await passwordTokens(p);
      return (await userinfo(p, String(tokens.access_token))).body.sub === claimsOf(tokens.id_token).sub;
    },
    correct: true,
    faulty: false,
  },
  'userinfo-unauthenticated': {
    shows: 'userinfo status for a token the provider never issued',
    observe: async (p) => (await userinfo(p, GARBAGE)).status,
    correct: 401,
    faulty: 200,
  },
  'revocation-noop': {
    shows: 'revocation status, then userinfo status with the revoked access token',
    observe: async (p) => {
      const access = String((await passwordTokens(p)).access_token);
      const revoked = await postForm(`${p.issuer}/token/revocation`, { token: access, ...postAuth('web-post') });
      return { revocation: revoked.status, userinfo: (await userinfo(p, access)).status };
    },
    correct: { revocation: 200, userinfo: 401 },
    faulty: { revocation: 200, userinfo: 200 },
  },
  'revocation-ignores-client': {
    shows: 'revocation status when another client revokes a refresh token, then the owner\'s refresh status',
    observe: async (p) => {
      const refreshToken = String((await passwordTokens(p, 'openid offline_access')).refresh_token);
      const revoked = await postForm(`${p.issuer}/token/revocation`, { token: refreshToken, token_type_hint: 'refresh_token' }, { basic: basicAuth('web-second') });
      return { revocation: revoked.status, refresh: (await refresh(p, 'web-post', refreshToken)).status };
    },
    correct: { revocation: 400, refresh: 200 },
    faulty: { revocation: 200, refresh: 400 },
  },
  'introspection-always-active': {
    shows: 'introspection of a token the provider never issued',
    observe: async (p) => (await postForm(`${p.issuer}/token/introspection`, { token: GARBAGE, ...postAuth('web-post') })).body,
    correct: { active: false },
    faulty: { active: true },
  },
  'introspection-unauthenticated': {
    shows: 'introspection status for a caller that does not authenticate',
    observe: async (p) => {
      const access = String((await passwordTokens(p)).access_token);
      return (await postForm(`${p.issuer}/token/introspection`, { token: access })).status;
    },
    correct: 401,
    faulty: 200,
  },
};

// ---- The tests -----------------------------------------------------------------------------------

/**
 * Signing keys made once and configured into every provider: generating an RSA key takes most of a
 * provider's start-up, and one provider per fault starts here. Keys are not what any fault is about.
 */
let keys: Array<Record<string, unknown>>;
const start = (faults: string[] = []) => startFixtureProvider({ faults, config: (c) => ({ ...c, keys }) });

let clean: Running;
beforeAll(async () => {
  keys = await Promise.all(
    (['RS256', 'ES256'] as const).map(async (alg) => {
      const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
      return { ...(await exportJWK(privateKey)) };
    }),
  );
  clean = await start();
});
afterAll(() => clean.close());

describe('the fault table', () => {
  it('has a proof for every fault in FAULTS, and none for a fault that does not exist', () => {
    const names = FAULTS.map((f) => f.name);
    expect(names.filter((name) => !Object.hasOwn(PROOFS, name)), 'faults without a proof').toEqual([]);
    expect(Object.keys(PROOFS).filter((name) => !names.includes(name)), 'proofs of unknown faults').toEqual([]);
  });

  it('expects a different observation with each fault than without', () => {
    const same = Object.entries(PROOFS).filter(([, proof]) => JSON.stringify(proof.correct) === JSON.stringify(proof.faulty));
    expect(same.map(([name]) => name)).toEqual([]);
  });
});

describe.concurrent('each fault, with and without the switch', () => {
  for (const { name, description } of FAULTS) {
    it(`${name}: ${description}`, async ({ expect }) => {
      const proof = PROOFS[name];
      expect(proof, `no proof for ${name} in PROOFS`).toBeDefined();
      if (!proof) return;
      expect(await proof.observe(clean), `fault-free: ${proof.shows}`).toEqual(proof.correct);
      const faulty = await start([name]);
      try {
        expect(faulty.context.config.faults).toEqual(new Set([name]));
        expect(await proof.observe(faulty), `with ${name}: ${proof.shows}`).toEqual(proof.faulty);
      } finally {
        await faulty.close();
      }
    });
  }
});

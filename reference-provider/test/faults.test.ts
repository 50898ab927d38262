// Every fault switch (faults.ts) proven over real HTTP: one observation per fault, made on a
// fault-free provider (the correct behaviour) and on a provider with only that fault on (the
// defect). A fault without an entry in PROOFS fails this file, so none can be added unproven.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { FAULTS } from '../faults.ts';
import { ALICE, startFixtureProvider } from './support/provider.ts';
import { UserAgent, parseForm, type AuthorizationResult } from './support/user-agent.ts';
import { REDIRECT_URI, authorizationUrl, claimsOf, getJson, headerOf, pkcePair, postForm, type JsonResponse } from './support/oauth.ts';
import { clientAuth, leftHalfSha256, redeemCode, refresh, userinfo } from './support/front-channel.ts';
import { basicAuth, postAuth, secretOf } from './support/secrets.ts';

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

/** client_credentials as machine-jwt with a client_secret_jwt assertion (claims and alg overridable). */
function assertionGrant(p: Running, options: { claims?: Record<string, unknown>; alg?: string; type?: string; assertion?: string } = {}): Promise<JsonResponse> {
  const now = Math.floor(Date.now() / 1000);
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = { iss: 'machine-jwt', sub: 'machine-jwt', aud: `${p.issuer}/token`, jti: `jti-${Math.random()}`, iat: now, exp: now + 60, ...options.claims };
  const input = `${enc({ alg: options.alg ?? 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  const mac = options.alg === 'none' ? '' : createHmac('sha256', secretOf('machine-jwt')).update(input).digest('base64url');
  const assertion = options.assertion ?? `${input}.${mac}`;
  return postForm(`${p.issuer}/token`, {
    grant_type: 'client_credentials',
    client_assertion_type: options.type ?? 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
}

// ---- Pages and logout (authorization-security and logout faults) ------------------------------

const LOGGED_OUT = 'https://rp.example.com/logged-out';

/** The login page a fresh browser is shown for a web-post authorization request. */
function loginPage(p: Running) {
  return new UserAgent(p.url).open(authorizationUrl(p.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: STATE }));
}

function logoutUrl(p: Running, params: Record<string, string>): string {
  return `${p.issuer}/session/end?${new URLSearchParams(params).toString()}`;
}

/** alice's ID token for web-post (the password grant), an id_token_hint. */
async function idTokenFor(p: Running): Promise<string> {
  return String((await passwordTokens(p, 'openid', 'web-post')).id_token);
}

/** alice's ID token claims, signed by a key the provider never saw. */
async function forgedIdToken(p: Running): Promise<string> {
  const claims = claimsOf(await idTokenFor(p));
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
}

/** prompt=none in this browser: "code" when it still has a session, else the error. */
async function silentLogin(p: Running, ua: UserAgent): Promise<string | undefined> {
  const result = await ua.authorize(authorizationUrl(p.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: STATE, prompt: 'none' }));
  return result.params.code ? 'code' : result.params.error;
}

// ---- Request parameters (request-params faults) ------------------------------------------------

/** What the client gets back from a code request: the error code, or "code" when one was issued. */
function answerTo(result: AuthorizationResult): string {
  return result.params.error ?? (result.params.code ? 'code' : `${result.via}, status ${result.response.status}`);
}

/** The claims of the ID token of a response_type=id_token request (one front-channel step). */
async function frontIdTokenClaims(p: Running, params: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const { params: response } = await authorize(p, { response_type: 'id_token', ...params });
  if (!response.id_token) throw new Error(`no id_token: ${JSON.stringify(response)}`);
  return claimsOf(response.id_token);
}

/**
 * The pages (login, consent) a browser already signed in as alice (and consented) is shown for a
 * second code request with these parameters, after `waitMs`, and whether that request got a code.
 */
async function secondRequest(p: Running, params: Record<string, string>, waitMs = 0): Promise<{ pages: string[]; answer: string }> {
  const ua = new UserAgent(p.url);
  const base = { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: STATE };
  const first = await ua.authorize(authorizationUrl(p.issuer, base));
  if (!first.params.code) throw new Error(`first login failed: ${JSON.stringify(first.params)}`);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  const second = await ua.authorize(authorizationUrl(p.issuer, { ...base, ...params }));
  return { pages: second.pages, answer: answerTo(second) };
}

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
  'id-token-azp-wrong': {
    shows: 'ID token azp of a password grant by web-post (a single audience: no azp, or web-post)',
    observe: async (p) => claimsOf((await passwordTokens(p)).id_token).azp ?? 'no azp',
    correct: 'no azp',
    faulty: 'some-other-client',
  },
  'id-token-name-unasked': {
    shows: 'name (alice: Alice Liddell) in the ID token of a password grant with scope=openid',
    observe: async (p) => claimsOf((await passwordTokens(p)).id_token).name ?? 'no name',
    correct: 'no name',
    faulty: 'Alice Liddell',
  },
  'auth-time-missing': {
    shows: 'the ID token of a response_type=id_token request with max_age carries auth_time',
    observe: async (p) => ({ hasAuthTime: has(await frontIdTokenClaims(p, { max_age: '3600' }), 'auth_time') }),
    correct: { hasAuthTime: true },
    faulty: { hasAuthTime: false },
  },
  'updated-at-milliseconds': {
    shows: 'updated_at (alice: 1700000000 seconds) in an "openid profile" ID token (response_type=id_token) and in userinfo',
    observe: async (p) => {
      const idToken = await frontIdTokenClaims(p, { scope: 'openid profile' });
      const access = String((await passwordTokens(p, 'openid profile')).access_token);
      return { idToken: idToken.updated_at, userinfo: (await userinfo(p, access)).body.updated_at };
    },
    correct: { idToken: 1700000000, userinfo: 1700000000 },
    faulty: { idToken: 1700000000000, userinfo: 1700000000000 },
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
  'code-token-nonce-required': {
    shows: 'the answer to response_type=code token without nonce (nonce is OPTIONAL for it)',
    observe: async (p) => {
      const { params } = await authorize(p, { response_type: 'code token', nonce: undefined });
      return params.error ?? (params.code && params.access_token ? 'code and token issued' : JSON.stringify(params));
    },
    correct: 'code and token issued',
    faulty: 'invalid_request',
  },
  'hybrid-code-unredeemable': {
    shows: 'status of redeeming the code of a "code id_token" response',
    observe: async (p) => (await redeemCode(p, 'web-post', await codeOf(p, { response_type: 'code id_token' }))).status,
    correct: 200,
    faulty: 400,
  },
  'hybrid-front-sub-differs': {
    shows: 'the "code id_token" ID token names the same sub as the token endpoint\'s',
    observe: async (p) => {
      const { params } = await authorize(p, { response_type: 'code id_token' });
      const redeemed = await redeemCode(p, 'web-post', String(params.code));
      return claimsOf(params.id_token).sub === claimsOf(redeemed.body.id_token).sub;
    },
    correct: true,
    faulty: false,
  },
  'form-post-as-redirect': {
    shows: 'how a response_mode=form_post code response travels',
    observe: async (p) => (await authorize(p, { response_mode: 'form_post' })).via,
    correct: 'form_post',
    faulty: 'query',
  },
  'form-post-unescaped': {
    shows: 'the form_post page carries a state with a quote and an angle bracket HTML-escaped',
    observe: async (p) => (await authorize(p, { response_mode: 'form_post', state: 'st"a<te' })).response.body.includes('value="st&quot;a&lt;te"'),
    correct: true,
    faulty: false,
  },
  'errors-in-query': {
    shows: 'where the error for response_type=id_token without nonce goes',
    observe: async (p) => {
      const result = await authorize(p, { response_type: 'id_token', nonce: undefined });
      return `${result.params.error} in the ${result.via}`;
    },
    correct: 'invalid_request in the fragment',
    faulty: 'invalid_request in the query',
  },
  'unknown-response-mode-ignored': {
    shows: 'the answer to response_mode=bogus',
    observe: async (p) => {
      const result = await authorize(p, { response_mode: 'bogus' });
      return result.params.code ? `code in the ${result.via}` : `error page ${result.response.status}`;
    },
    correct: 'error page 400',
    faulty: 'code in the query',
  },

  // authorization request parameters (suites/request-params)
  'prompt-none-interacts': {
    shows: 'what a browser without a session gets for prompt=none: the error sent to the client, or a login page',
    observe: async (p) => {
      const res = await new UserAgent(p.url).open(authorizationUrl(p.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: STATE, prompt: 'none' }));
      const location = res.headers.location;
      if (location) return `redirect with error ${new URL(String(location)).searchParams.get('error')}`;
      return res.body.includes('id="login-form"') ? 'login page' : `page ${res.status}`;
    },
    correct: 'redirect with error login_required',
    faulty: 'login page',
  },
  'prompt-login-ignored': {
    shows: 'the pages shown for prompt=login in a browser already signed in, and the answer',
    observe: async (p) => secondRequest(p, { prompt: 'login' }),
    correct: { pages: ['login'], answer: 'code' },
    faulty: { pages: [], answer: 'code' },
  },
  'max-age-ignored': {
    shows: 'the pages shown for max_age=1 two seconds after the login, and the answer',
    observe: async (p) => secondRequest(p, { max_age: '1' }, 2100),
    correct: { pages: ['login'], answer: 'code' },
    faulty: { pages: [], answer: 'code' },
  },
  'id-token-hint-ignored': {
    shows: 'the answer to a request whose id_token_hint is signed by a key the provider never had',
    observe: async (p) => answerTo(await authorize(p, { id_token_hint: await forgedIdToken(p) })),
    correct: 'invalid_request',
    faulty: 'code',
  },
  'claims-parameter-ignored': {
    shows: 'email in the ID token of an "openid" response_type=id_token request whose claims parameter asks for it',
    observe: async (p) => (await frontIdTokenClaims(p, { claims: JSON.stringify({ id_token: { email: { essential: true } } }) })).email ?? 'no email',
    correct: 'alice@example.com',
    faulty: 'no email',
  },
  'unknown-param-rejected': {
    shows: 'the answer to a code request with an unrecognised parameter',
    observe: async (p) => answerTo(await authorize(p, { x_unknown_extension: 'ignored' })),
    correct: 'code',
    faulty: 'invalid_request',
  },
  'display-popup-rejected': {
    shows: 'the answer to a code request with display=popup',
    observe: async (p) => answerTo(await authorize(p, { display: 'popup' })),
    correct: 'code',
    faulty: 'invalid_request',
  },
  'ui-locales-rejected': {
    shows: 'the answer to a code request with ui_locales=fr-CA (not supported by the provider)',
    observe: async (p) => answerTo(await authorize(p, { ui_locales: 'fr-CA' })),
    correct: 'code',
    faulty: 'invalid_request',
  },
  'request-object-ignored': {
    shows: 'the state of the response to a request whose (unsigned) request object carries another state',
    observe: async (p) => {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const request = `${enc({ alg: 'none' })}.${enc({ client_id: 'web-post', state: 'state-of-the-request-object' })}.`;
      return (await authorize(p, { request })).params.state;
    },
    correct: 'state-of-the-request-object',
    faulty: STATE,
  },
  'request-uri-ignored': {
    shows: 'the answer to a code request with a request_uri',
    observe: async (p) => answerTo(await authorize(p, { request_uri: 'https://rp.example.com/request.jwt' })),
    correct: 'request_uri_not_supported',
    faulty: 'code',
  },
  'response-type-missing-defaults': {
    shows: 'the answer to an authorization request without response_type',
    observe: async (p) => answerTo(await authorize(p, { response_type: undefined })),
    correct: 'invalid_request',
    faulty: 'code',
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
  'code-not-client-bound': {
    shows: "status of redeeming web-post's code as web-basic (its own credentials, web-post's redirect_uri)",
    observe: async (p) => (await redeemCode(p, 'web-basic', await codeOf(p), { redirect_uri: REDIRECT_URI })).status,
    correct: 400,
    faulty: 200,
  },
  'pkce-downgrade-accepted': {
    shows: 'status of redeeming a code issued without code_challenge with a code_verifier',
    observe: async (p) => (await redeemCode(p, 'web-post', await codeOf(p), { code_verifier: pkcePair().verifier })).status,
    correct: 400,
    faulty: 200,
  },
  'code-redemption-race': {
    shows: 'statuses of 3 parallel redemptions of one code, then of one more redemption afterwards',
    observe: async (p) => {
      const code = await codeOf(p);
      const race = await Promise.all([1, 2, 3].map(() => redeemCode(p, 'web-post', code)));
      const later = await redeemCode(p, 'web-post', code);
      return { successes: race.filter((r) => r.status === 200).length, later: later.status };
    },
    correct: { successes: 1, later: 400 },
    faulty: { successes: 3, later: 400 },
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
  'refresh-rotation-race': {
    shows: 'successes among 3 parallel refreshes with one refresh token (rotation: always), then the status of one more',
    observe: async (p) => {
      const { refresh_token } = await passwordTokens(p, 'openid offline_access');
      const race = await Promise.all([1, 2, 3].map(() => refresh(p, 'web-post', String(refresh_token))));
      const later = await refresh(p, 'web-post', String(refresh_token));
      return { successes: race.filter((r) => r.status === 200).length, later: later.status };
    },
    correct: { successes: 1, later: 400 },
    faulty: { successes: 3, later: 400 },
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

  // WebFinger, signed userinfo, client assertions
  'webfinger-issuer-mismatch': {
    shows: 'the issuer link WebFinger returns for acct:alice@<host> equals the issuer',
    observe: async (p) => {
      const rel = 'http://openid.net/specs/connect/1.0/issuer';
      const query = new URLSearchParams({ resource: `acct:alice@${new URL(p.issuer).hostname}`, rel });
      const res = await getJson(`${new URL(p.issuer).origin}/.well-known/webfinger?${query.toString()}`);
      return (res.body.links as Array<{ href?: string }> | undefined)?.[0]?.href === p.issuer;
    },
    correct: true,
    faulty: false,
  },
  'userinfo-jwt-unbound': {
    shows: 'the signed userinfo response of web-es256 carries iss and aud',
    observe: async (p) => {
      const access = String((await passwordTokens(p, 'openid', 'web-es256')).access_token);
      const claims = claimsOf((await userinfo(p, access)).text);
      return { iss: claims.iss === p.issuer, aud: claims.aud === 'web-es256' };
    },
    correct: { iss: true, aud: true },
    faulty: { iss: false, aud: false },
  },
  'client-assertion-type-unchecked': {
    shows: 'status of a client_secret_jwt assertion sent with another client_assertion_type',
    observe: async (p) => (await assertionGrant(p, { type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' })).status,
    correct: 401,
    faulty: 200,
  },
  'client-assertion-signature-unchecked': {
    shows: 'status of an unsigned (alg none) client assertion',
    observe: async (p) => (await assertionGrant(p, { alg: 'none' })).status,
    correct: 401,
    faulty: 200,
  },
  'client-assertion-audience-unchecked': {
    shows: 'status of a client assertion whose aud is another server',
    observe: async (p) => (await assertionGrant(p, { claims: { aud: 'https://other.example.com/token' } })).status,
    correct: 401,
    faulty: 200,
  },
  'client-assertion-expiry-unchecked': {
    shows: 'status of a client assertion that expired an hour ago',
    observe: async (p) => (await assertionGrant(p, { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } })).status,
    correct: 401,
    faulty: 200,
  },
  'client-assertion-replay-accepted': {
    shows: 'statuses of the same client assertion sent twice',
    observe: async (p) => {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const input = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iss: 'machine-jwt', sub: 'machine-jwt', aud: `${p.issuer}/token`, jti: `replay-${Math.random()}`, exp: now + 60 })}`;
      const assertion = `${input}.${createHmac('sha256', secretOf('machine-jwt')).update(input).digest('base64url')}`;
      return [(await assertionGrant(p, { assertion })).status, (await assertionGrant(p, { assertion })).status];
    },
    correct: [200, 401],
    faulty: [200, 200],
  },
  // authorization pages and their security (suites/authorization-security)
  'unknown-client-redirects': {
    shows: 'where an unknown client_id with a redirect_uri sends the browser',
    observe: async (p) => {
      const result = await authorize(p, { client_id: 'oidc-conformance-unknown' });
      return result.location ? `${result.location.origin}${result.location.pathname}` : `error page ${result.response.status}`;
    },
    correct: 'error page 400',
    faulty: REDIRECT_URI,
  },
  'login-page-frameable': {
    shows: 'X-Frame-Options and CSP frame-ancestors of the login page',
    observe: async (p) => {
      const page = await loginPage(p);
      return [page.headers['x-frame-options'] ?? null, /frame-ancestors/.test(String(page.headers['content-security-policy']))];
    },
    correct: ['DENY', true],
    faulty: [null, false],
  },
  'login-page-third-party': {
    shows: 'the login page\'s Referrer-Policy, and whether it loads an image from another origin',
    observe: async (p) => {
      const page = await loginPage(p);
      return [page.headers['referrer-policy'] ?? null, /<img src="https:\/\/cdn\./.test(page.body)];
    },
    correct: ['no-referrer', false],
    faulty: [null, true],
  },
  'session-cookie-insecure-flags': {
    shows: 'the session cookie set at login is HttpOnly and SameSite',
    observe: async (p) => {
      const result = await authorize(p);
      const lines = result.trail.flatMap((r) => r.headers['set-cookie'] ?? []);
      const session = (Array.isArray(lines) ? lines : [lines]).find((l) => String(l).startsWith('op_session=') && !/Max-Age=0/.test(String(l)));
      return /HttpOnly/.test(String(session)) && /SameSite=Lax/.test(String(session));
    },
    correct: true,
    faulty: false,
  },
  'interaction-csrf-unchecked': {
    shows: 'the status of the login form posted by another browser without its csrf field',
    observe: async (p) => {
      const page = await loginPage(p);
      const { action } = parseForm(page.body, 'login-form');
      return (await new UserAgent(p.url).send('POST', action, { username: ALICE.username, password: ALICE.password })).status;
    },
    correct: 403,
    faulty: 303,
  },
  'login-redirect-307': {
    shows: 'the status of the answer to the login POST',
    observe: async (p) => (await authorize(p)).trail.find((r) => r.url.endsWith('/login'))?.status,
    correct: 303,
    faulty: 307,
  },
  'forwarded-host-trusted': {
    shows: 'the authorization_endpoint of discovery asked with X-Forwarded-Host',
    observe: async (p) => new URL(String((await getJson(`${p.issuer}/.well-known/openid-configuration`, { 'x-forwarded-host': 'forged.invalid' })).body.authorization_endpoint)).host === 'forged.invalid',
    correct: false,
    faulty: true,
  },
  'error-page-unescaped': {
    shows: 'whether markup in an unregistered redirect_uri comes back unescaped on the error page',
    observe: async (p) => (await new UserAgent(p.url).open(authorizationUrl(p.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: 'https://x.invalid/cb?<b>probe</b>' }))).body.includes('<b>probe</b>'),
    correct: false,
    faulty: true,
  },
  'consent-page-generic': {
    shows: 'whether the consent page names the client',
    observe: async (p) => (await authorize(p)).trail.some((r) => r.body.includes('id="consent-form"') && r.body.includes('client_secret_post')),
    correct: true,
    faulty: false,
  },
  // RP-initiated logout (suites/logout)
  'logout-open-redirect': {
    shows: 'where a logout with an unregistered post_logout_redirect_uri sends the browser',
    observe: async (p) => {
      const res = await new UserAgent(p.url).send('GET', logoutUrl(p, { id_token_hint: await idTokenFor(p), post_logout_redirect_uri: 'https://evil.example.com/logged-out' }));
      return res.headers.location ?? `page ${res.status}`;
    },
    correct: 'page 400',
    faulty: 'https://evil.example.com/logged-out',
  },
  'logout-state-dropped': {
    shows: 'the state of the post-logout redirect',
    observe: async (p) => {
      const res = await new UserAgent(p.url).send('GET', logoutUrl(p, { id_token_hint: await idTokenFor(p), post_logout_redirect_uri: LOGGED_OUT, state: STATE }));
      return new URL(String(res.headers.location)).searchParams.get('state');
    },
    correct: STATE,
    faulty: null,
  },
  'logout-keeps-session': {
    shows: 'prompt=none after a logout with id_token_hint',
    observe: async (p) => {
      const ua = new UserAgent(p.url);
      await ua.authorize(authorizationUrl(p.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: STATE }));
      await ua.send('GET', logoutUrl(p, { id_token_hint: await idTokenFor(p), post_logout_redirect_uri: LOGGED_OUT }));
      return silentLogin(p, ua);
    },
    correct: 'login_required',
    faulty: 'code',
  },
  'logout-hint-unverified': {
    shows: 'the status of a logout whose id_token_hint is signed by another key',
    observe: async (p) => (await new UserAgent(p.url).send('GET', logoutUrl(p, { id_token_hint: await forgedIdToken(p), post_logout_redirect_uri: LOGGED_OUT }))).status,
    correct: 400,
    faulty: 303,
  },
  'logout-client-id-unchecked': {
    shows: 'the status of a logout whose client_id is not the hint\'s audience',
    observe: async (p) => (await new UserAgent(p.url).send('GET', logoutUrl(p, { id_token_hint: await idTokenFor(p), client_id: 'web-basic', post_logout_redirect_uri: LOGGED_OUT }))).status,
    correct: 400,
    faulty: 303,
  },
  'logout-without-confirmation': {
    shows: 'prompt=none after a logout request without id_token_hint that nobody confirmed',
    observe: async (p) => {
      const ua = new UserAgent(p.url);
      await ua.authorize(authorizationUrl(p.issuer, { client_id: 'web-post', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: STATE }));
      await ua.send('GET', logoutUrl(p, {}));
      return silentLogin(p, ua);
    },
    correct: 'code',
    faulty: 'login_required',
  },
  'logout-post-unsupported': {
    shows: 'the status of a logout sent as a form POST',
    observe: async (p) => (await new UserAgent(p.url).send('POST', `${p.issuer}/session/end`, { id_token_hint: await idTokenFor(p), post_logout_redirect_uri: LOGGED_OUT })).status,
    correct: 303,
    faulty: 405,
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

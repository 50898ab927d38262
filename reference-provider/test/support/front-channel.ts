// Helpers for the front-channel tests: a movable clock, code redemption with each client's own
// authentication method, userinfo and refresh calls, hash recomputation, and page assertions.
import { createHash } from 'node:crypto';
import { base64url, createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import { getJson, postForm, type JsonResponse } from './oauth.ts';
import { fixtureClient } from './provider.ts';
import { basicAuth, postAuth } from './secrets.ts';
import type { AuthorizationResult, HttpResponse } from './user-agent.ts';

/**
 * A clock for StartOptions.now that stands still until a test moves it forward, so that times
 * (auth_time, code expiry) are exact and never depend on how long a test took.
 */
export function movableClock() {
  const start = Math.floor(Date.now() / 1000);
  let offset = 0;
  return {
    now: () => start + offset,
    advance(seconds: number) {
      offset += seconds;
    },
  };
}

interface Running {
  issuer: string;
}

/** The client's registered https redirect URI (REDIRECT_URI for the web clients). */
export function redirectUriOf(clientId: string): string {
  const uri = (fixtureClient(clientId).redirect_uris ?? []).find((u) => u.startsWith('https://'));
  if (!uri) throw new Error(`${clientId} has no https redirect URI`);
  return uri;
}

/** Client authentication form fields / options for a fixture client, by its registered method. */
export function clientAuth(clientId: string): { form: Record<string, string>; basic?: { id: string; secret: string } } {
  const method = fixtureClient(clientId).token_endpoint_auth_method ?? 'client_secret_post';
  if (method === 'client_secret_basic') return { form: {}, basic: basicAuth(clientId) };
  if (method === 'client_secret_post') return { form: postAuth(clientId) };
  return { form: { client_id: clientId } };
}

/** Redeems a code at the token endpoint as `clientId`, with that client's own authentication method. */
export async function redeemCode(
  provider: Running,
  clientId: string,
  code: string,
  extra: Record<string, string | undefined> = {},
): Promise<JsonResponse> {
  const auth = clientAuth(clientId);
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUriOf(clientId), ...auth.form };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete form[name];
    else form[name] = value;
  }
  return postForm(`${provider.issuer}/token`, form, { basic: auth.basic });
}

export async function refresh(provider: Running, clientId: string, refreshToken: string): Promise<JsonResponse> {
  const auth = clientAuth(clientId);
  return postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, ...auth.form }, { basic: auth.basic });
}

export async function userinfo(provider: Running, accessToken: string): Promise<JsonResponse> {
  return getJson(`${provider.issuer}/me`, { authorization: `Bearer ${accessToken}` });
}

/** at_hash / c_hash recomputed independently: left half of SHA-256, base64url (OIDC Core 3.1.3.6). */
export function leftHalfSha256(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return base64url.encode(digest.subarray(0, 16));
}

/** Verifies an ID token's RS256 signature against the provider's JWKS, its iss and its aud. */
export async function verifyIdToken(provider: Running, idToken: string, clientId: string): Promise<JWTPayload> {
  const jwks = await getJson(`${provider.issuer}/jwks`);
  const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(jwks.body as never), {
    issuer: provider.issuer,
    audience: clientId,
  });
  expect(protectedHeader.alg).toBe('RS256');
  return payload;
}

function headerOf(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An HTML error page shown to the user: the given status, HTML, never a redirect, the error code shown. */
export function expectErrorPage(result: AuthorizationResult | HttpResponse, status: number, error?: string): void {
  const response = 'response' in result ? result.response : result;
  expect(response.status).toBe(status);
  expect(headerOf(response, 'location')).toBeUndefined();
  expect(headerOf(response, 'content-type')).toMatch(/^text\/html/);
  expect(response.body).toContain('id="error"');
  if (error) expect(response.body).toContain(`<p class="error" id="error">${error}</p>`);
  if ('via' in result) {
    expect(result.via).toBe('none');
    expect(result.params).toEqual({});
  }
}

/**
 * An authorization error returned to the client: in the expected place, with `error`, the state, the
 * RFC 9207 iss, and nothing that is a credential (OIDC Core 3.1.2.6, AZ-16).
 */
export function expectRedirectError(
  result: AuthorizationResult,
  issuer: string,
  error: string,
  via: AuthorizationResult['via'],
  state?: string,
): void {
  expect(result.via).toBe(via);
  expect(result.params.error).toBe(error);
  expect(result.params.iss).toBe(issuer);
  if (state === undefined) expect(result.params).not.toHaveProperty('state');
  else expect(result.params.state).toBe(state);
  for (const name of Object.keys(result.params)) expect(['error', 'error_description', 'error_uri', 'state', 'iss']).toContain(name);
  if (result.params.error_description !== undefined) expect(result.params.error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
  if (via === 'fragment') expect(result.location!.search).toBe('');
  if (via === 'query') expect(result.location!.hash).toBe('');
}

// The node-oidc-provider interop target (fixtures/targets/node-oidc-provider): the provider starts
// on loopback and publishes what its profile declares, the profile validates and agrees with the
// provider's configuration, every expected deviation names a real check, and the profile's login
// and consent steps get through oidc-provider's own pages in Chromium. The full conformance run
// against it is CI's `npm run interop` step, not part of `npm test` (it takes as long as a full run).
import { existsSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumExecutable } from '../harness/browser/ensure-chromium.ts';
import { launchChromium } from '../harness/browser/launch.ts';
import { loadCatalogue } from '../harness/catalogue.ts';
import { loadProfile } from '../harness/profile/load-profile.ts';
import type { TargetProfile } from '../harness/profile/types.ts';
import { authorizeInBrowser, runSteps } from '../fixtures/targets/node-oidc-provider/browser-flow.ts';
import { CLIENTS, DEFAULT_PORT, MACHINE_SCOPES, USERS } from '../fixtures/targets/node-oidc-provider/config.ts';
import { PROFILE } from '../fixtures/targets/node-oidc-provider/interop.ts';
import { type RunningProvider, startNodeOidcProvider } from '../fixtures/targets/node-oidc-provider/provider.ts';
import { portFromEnv } from '../fixtures/targets/node-oidc-provider/start.ts';
import { ROOT } from './support.ts';

const profile: TargetProfile = loadProfile(PROFILE);
let provider: RunningProvider;
let metadata: Record<string, unknown>;
const serverErrors: unknown[] = [];

beforeAll(async () => {
  provider = await startNodeOidcProvider({ port: 0, onServerError: (error) => serverErrors.push(error) });
  metadata = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
});

afterAll(async () => {
  await provider?.close();
  expect(serverErrors).toEqual([]);
});

const sorted = (values: unknown) => [...(values as string[])].sort();

function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(metadata.token_endpoint as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the node-oidc-provider target', () => {
  it('serves discovery for the issuer it listens on, on loopback', () => {
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metadata.issuer).toBe(provider.issuer);
    for (const member of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint']) {
      expect(metadata[member], member).toMatch(new RegExp(`^${provider.issuer}/`));
    }
  });

  it('offers exactly the grants, response types and modes the profile declares (no password grant)', () => {
    expect(sorted(metadata.grant_types_supported)).toEqual(sorted(profile.features!.grant_types));
    expect(metadata.grant_types_supported).not.toContain('password');
    expect(sorted(metadata.response_types_supported)).toEqual(sorted(profile.features!.response_types));
    expect(sorted(metadata.response_modes_supported)).toEqual(sorted(profile.features!.response_modes));
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', ...MACHINE_SCOPES]));
    expect(sorted(metadata.id_token_signing_alg_values_supported)).toEqual(['ES256', 'HS256', 'RS256']);
  });

  it('sends the deployment headers that forbid framing on its pages (as oidc-provider\'s example puts helmet in front)', async () => {
    const page = await fetch(`${metadata.authorization_endpoint as string}?client_id=nop-web-basic&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(profile.clients.basic!.redirect_uri!)}`, { redirect: 'manual' });
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('publishes RS256 and ES256 public keys generated at start', async () => {
    const jwks = (await (await fetch(metadata.jwks_uri as string)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((k) => `${k.kty}/${k.alg}`).sort()).toEqual(['EC/ES256', 'RSA/RS256']);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('issues client-credentials tokens to the machine client for its scopes', async () => {
    const machine = profile.clients.machine!;
    const { status, json } = await token({ grant_type: 'client_credentials', scope: machine.scopes!.join(' '), client_id: machine.client_id, client_secret: machine.client_secret! });
    expect(status).toBe(200);
    expect(json).toMatchObject({ token_type: 'Bearer', scope: machine.scopes!.join(' ') });
  });

  it('refuses the password grant as unsupported, as the profile says', async () => {
    const basic = profile.clients.basic!;
    const { status, json } = await token({ grant_type: 'password', username: 'alice', password: 'wonderland-42' }, { authorization: basicAuth(basic.client_id, basic.client_secret!) });
    expect(status).toBe(400);
    expect(json.error).toBe('unsupported_grant_type');
  });
});

describe('fixtures/targets/node-oidc-provider/profile.json', () => {
  it('names the fixed loopback issuer the start script listens on', () => {
    expect(profile.issuer).toBe(`http://127.0.0.1:${DEFAULT_PORT}`);
    expect(portFromEnv({})).toBe(DEFAULT_PORT);
    expect(portFromEnv({ NODE_OIDC_PROVIDER_PORT: '4466' })).toBe(4466);
    expect(() => portFromEnv({ NODE_OIDC_PROVIDER_PORT: 'x' })).toThrow(/NODE_OIDC_PROVIDER_PORT/);
  });

  it('agrees with the clients and users config.ts registers', () => {
    for (const [role, client] of Object.entries(CLIENTS)) {
      const declared = profile.clients[role as keyof typeof CLIENTS]!;
      expect(declared.client_id, role).toBe(client.client_id);
      expect(declared.auth_method, role).toBe(client.token_endpoint_auth_method);
      expect(declared.client_secret, role).toBe('client_secret' in client ? client.client_secret : undefined);
      if (declared.redirect_uri) expect(client.redirect_uris as readonly string[], role).toContain(declared.redirect_uri);
      if (declared.post_logout_redirect_uri) expect((client as { post_logout_redirect_uris?: readonly string[] }).post_logout_redirect_uris, role).toContain(declared.post_logout_redirect_uri);
      expect(declared.id_token_signed_response_alg, role).toBe('id_token_signed_response_alg' in client ? client.id_token_signed_response_alg : undefined);
    }
    expect(profile.clients.machine!.scopes).toEqual(MACHINE_SCOPES);
    expect(profile.users.map((u) => [u.username, u.password, u.sub])).toEqual(USERS.map((u) => [u.username, u.password, u.username]));
    for (const user of profile.users) expect([...(user.claims ?? [])].sort(), user.username).toEqual(Object.keys(USERS.find((u) => u.username === user.username)!.claims).sort());
  });

  it('lists only expected deviations of checks that exist, each with a spec clause', async () => {
    const ids = new Set((await loadCatalogue(ROOT)).map((c) => c.id));
    for (const { check, reason } of profile.expected_deviations ?? []) {
      expect(ids.has(check), check).toBe(true);
      expect(reason, check).toMatch(/RFC ?\d{4}|OIDC|REQUIREMENTS/);
    }
  });
});

// Each flow is a fresh browser context through oidc-provider's login and consent pages: about a
// second each on an idle machine, several under load, hence the longer timeout.
describe.skipIf(!existsSync(chromiumExecutable()))('the profile login steps in Chromium (devInteractions pages)', { timeout: 90_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const authorize = (params: Record<string, string>) =>
    authorizeInBrowser(browser, { authorizationEndpoint: metadata.authorization_endpoint as string, params, profile, user: profile.users[0]! });

  it('log in and consent for a code flow whose code redeems to tokens for the profile user', async () => {
    const basic = profile.clients.basic!;
    const state = randomBytes(8).toString('hex');
    const result = await authorize({ client_id: basic.client_id, redirect_uri: basic.redirect_uri!, response_type: 'code', scope: 'openid email', state });
    expect(result.interactions).toEqual(['login', 'consent']);
    expect(result).toMatchObject({ via: 'query', params: { state, iss: provider.issuer } });
    const { status, json } = await token({ grant_type: 'authorization_code', code: result.params.code!, redirect_uri: basic.redirect_uri! }, { authorization: basicAuth(basic.client_id, basic.client_secret!) });
    expect(status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(json.id_token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: provider.issuer, aud: basic.client_id, sub: profile.users[0]!.sub });
    const userinfo = await fetch(metadata.userinfo_endpoint as string, { headers: { authorization: `Bearer ${String(json.access_token)}` } });
    expect(await userinfo.json()).toEqual({ sub: 'alice', email: 'alice@example.com', email_verified: true });
  });

  it('deliver a hybrid response by form_post, and a PKCE code to the public client', async () => {
    const post = profile.clients.post!;
    const hybrid = await authorize({ client_id: post.client_id, redirect_uri: post.redirect_uri!, response_type: 'code id_token', response_mode: 'form_post', scope: 'openid', state: 's1', nonce: 'n1' });
    expect(hybrid.via).toBe('form_post');
    expect(Object.keys(hybrid.params).sort()).toEqual(['code', 'id_token', 'state']);

    const pub = profile.clients.public!;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await authorize({ client_id: pub.client_id, redirect_uri: pub.redirect_uri!, response_type: 'code', scope: 'openid', state: 's2', code_challenge: challenge, code_challenge_method: 'S256' });
    const { status } = await token({ grant_type: 'authorization_code', code: code.params.code!, redirect_uri: pub.redirect_uri!, client_id: pub.client_id, code_verifier: verifier });
    expect(status).toBe(200);
  });

  it('deny consent with the deny steps (access_denied) and log out with the logout steps', async () => {
    const basic = profile.clients.basic!;
    const login = profile.login!;
    // The consent page is recognised by the consent steps' marker; the deny steps then run there.
    const denying: TargetProfile = { ...profile, login: { ...login, consent: [{ action: 'wait', selector: login.consent![0]!.selector! }, ...login.deny!] } };
    const denied = await authorizeInBrowser(browser, {
      authorizationEndpoint: metadata.authorization_endpoint as string,
      params: { client_id: basic.client_id, redirect_uri: basic.redirect_uri!, response_type: 'code', scope: 'openid', state: 's4' },
      profile: denying,
      user: profile.users[0]!,
    });
    expect(denied.interactions).toEqual(['login', 'consent']);
    expect(denied.params).toMatchObject({ error: 'access_denied', state: 's4' });

    let loggedOut: string[] = [];
    await authorizeInBrowser(browser, {
      authorizationEndpoint: metadata.authorization_endpoint as string,
      params: { client_id: basic.client_id, redirect_uri: basic.redirect_uri!, response_type: 'code', scope: 'openid', state: 's6' },
      profile,
      user: profile.users[0]!,
      after: async (page, offLoopback) => {
        const end = new URL(metadata.end_session_endpoint as string);
        end.search = new URLSearchParams({ client_id: basic.client_id, post_logout_redirect_uri: basic.post_logout_redirect_uri!, state: 'bye' }).toString();
        await page.goto(end.toString());
        await runSteps(page, login.logout!, profile.users[0]!, 10_000);
        await page.waitForURL((u) => u.hostname === 'rp.example.com', { timeout: 10_000 });
        loggedOut = [...offLoopback];
      },
    });
    expect(loggedOut.at(-1)).toBe(`${basic.post_logout_redirect_uri}?state=bye`);
  });

  it('require PKCE of the public client (RFC 9700 2.1.1)', async () => {
    const pub = profile.clients.public!;
    const result = await authorize({ client_id: pub.client_id, redirect_uri: pub.redirect_uri!, response_type: 'code', scope: 'openid', state: 's3' });
    expect(result.interactions).toEqual([]);
    expect(result.params).toMatchObject({ error: 'invalid_request', state: 's3' });
  });
});

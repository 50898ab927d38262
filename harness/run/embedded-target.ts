// The embedded default target: the reference provider started in this process, and a target
// profile derived from its configuration (so the two can never disagree).
import { loadProviderConfigFile, startProvider, type ProviderConfig } from '../../reference-provider/index.ts';
import type { ProfileClient, TargetProfile } from '../profile/types.ts';

type ConfigClient = ProviderConfig['clients'][number];

function methodOf(client: ConfigClient) {
  return client.token_endpoint_auth_method ?? 'client_secret_post';
}

function grantsOf(client: ConfigClient) {
  return client.grant_types ?? ['authorization_code', 'refresh_token'];
}

function toProfileClient(client: ConfigClient | undefined): ProfileClient | undefined {
  if (!client) return undefined;
  const profileClient: ProfileClient = { client_id: client.client_id, auth_method: methodOf(client) };
  if (client.client_secret !== undefined) profileClient.client_secret = client.client_secret;
  const redirect = client.redirect_uris?.find((u) => u.startsWith('https:')) ?? client.redirect_uris?.[0];
  if (redirect) profileClient.redirect_uri = redirect;
  const postLogout = client.post_logout_redirect_uris?.find((u) => u.startsWith('https:')) ?? client.post_logout_redirect_uris?.[0];
  if (postLogout) profileClient.post_logout_redirect_uri = postLogout;
  if (client.scopes?.length) profileClient.scopes = client.scopes;
  if (client.id_token_signed_response_alg) profileClient.id_token_signed_response_alg = client.id_token_signed_response_alg;
  if (client.userinfo_signed_response_alg) profileClient.userinfo_signed_response_alg = client.userinfo_signed_response_alg;
  return profileClient;
}

/** Picks a client for each role: user-flow clients by auth method, then a second basic one, then a machine client. */
export function profileFromProviderConfig(config: ProviderConfig, issuer: string, name = 'reference-provider'): TargetProfile {
  const userFlow = config.clients.filter((c) => grantsOf(c).includes('authorization_code') && (c.id_token_signed_response_alg ?? 'RS256') === 'RS256');
  const basics = userFlow.filter((c) => methodOf(c) === 'client_secret_basic' && grantsOf(c).includes('password'));
  const clients: TargetProfile['clients'] = {};
  const roles: Array<[keyof TargetProfile['clients'], ConfigClient | undefined]> = [
    ['basic', basics[0]],
    ['post', userFlow.find((c) => methodOf(c) === 'client_secret_post' && grantsOf(c).includes('password'))],
    ['public', userFlow.find((c) => methodOf(c) === 'none')],
    ['machine', config.clients.find((c) => grantsOf(c).includes('client_credentials'))],
    ['second', basics[1]],
    // Clients registered for other ID token algorithms (OIDC Core 10.1): HS256 (client secret), ES256.
    ['hs256', config.clients.find((c) => grantsOf(c).includes('authorization_code') && c.id_token_signed_response_alg === 'HS256')],
    ['es256', config.clients.find((c) => grantsOf(c).includes('authorization_code') && c.id_token_signed_response_alg === 'ES256')],
    // A client authenticating with a client_secret_jwt assertion (OIDC Core 9).
    ['jwt', config.clients.find((c) => methodOf(c) === 'client_secret_jwt' && grantsOf(c).includes('client_credentials'))],
  ];
  for (const [role, client] of roles) {
    const profileClient = toProfileClient(client);
    if (profileClient) clients[role] = profileClient;
  }
  const refresh = config.policies?.refreshToken ?? {};
  return {
    name,
    issuer,
    clients,
    users: config.users.map((u) => ({ username: u.username, password: u.password, sub: u.sub, ...(u.claims ? { claims: Object.keys(u.claims) } : {}) })),
    login: {
      steps: [
        { action: 'fill', selector: '#username', value: '{{username}}' },
        { action: 'fill', selector: '#password', value: '{{password}}' },
        { action: 'click', selector: '#login' },
      ],
      consent: [{ action: 'click', selector: '#approve' }],
      deny: [{ action: 'click', selector: '#deny' }],
      logout: [{ action: 'click', selector: '#confirm-logout' }],
    },
    policies: {
      refresh_token: {
        code_flow: (refresh.codeFlowRequiresPromptConsent ?? true) ? 'offline_access+prompt_consent' : 'offline_access',
        password: 'offline_access',
        rotation: refresh.rotation ?? 'always',
        reuse_revokes_family: refresh.reuseRevokesFamily ?? true,
      },
      userinfo_body_token: true,
      pkce_required: config.policies?.pkce?.required ?? 'public',
      // RFC 6749 2.3.1: the documented default method puts the secret in the body.
      client_secret_post: true,
      // Revoking an access token revokes that token only (reference-provider/endpoints/revocation.ts).
      access_token_revocation_revokes_refresh: false,
      // Introspection answers GET with 405 (RFC 7662 4).
      introspection_get: 'refused',
    },
    // No dynamic client registration (OIDC Discovery 3 registration_endpoint).
    features: { endpoints: { registration: false } },
  };
}

export interface EmbeddedTarget {
  profile: TargetProfile;
  close(): Promise<void>;
}

export async function startEmbeddedTarget(configPath: string, faults: string[]): Promise<EmbeddedTarget> {
  const config = loadProviderConfigFile(configPath);
  const provider = await startProvider(config, { port: 0, faults });
  const profile = profileFromProviderConfig(config, provider.issuer);
  return { profile, close: () => provider.close() };
}

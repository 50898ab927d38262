// Applies the documented defaults (see types.ts) to a validated configuration.
import type { ProviderConfig, ResolvedClient, ResolvedConfig } from './types.ts';

export const DEFAULT_LIFETIMES = {
  authorizationCode: 60,
  accessToken: 3600,
  idToken: 3600,
  refreshToken: 14 * 24 * 3600,
  session: 24 * 3600,
  interaction: 600,
} as const;

/** Sorts the space-separated values of a response type so that word order never matters (RFC 6749 3.1.1). */
export function normaliseResponseType(value: string): string {
  return value.split(' ').filter(Boolean).sort().join(' ');
}

function resolveClient(client: ProviderConfig['clients'][number]): ResolvedClient {
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    client_name: client.client_name ?? client.client_id,
    token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_post',
    redirect_uris: client.redirect_uris ?? [],
    post_logout_redirect_uris: client.post_logout_redirect_uris ?? [],
    grant_types: client.grant_types ?? ['authorization_code', 'refresh_token'],
    response_types: (client.response_types ?? ['code']).map(normaliseResponseType),
    scopes: client.scopes ?? [],
    id_token_signed_response_alg: client.id_token_signed_response_alg ?? 'RS256',
    ...(client.userinfo_signed_response_alg ? { userinfo_signed_response_alg: client.userinfo_signed_response_alg } : {}),
    consent_preapproved: client.consent_preapproved ?? false,
  };
}

/** `issuer` is filled in once the listen port is known (see startProvider). */
export function resolveConfig(config: ProviderConfig, listen: { host: string; port: number }): ResolvedConfig {
  const policies = config.policies ?? {};
  return {
    issuer: (config.issuer ?? `http://${listen.host}:${listen.port}/oidc`).replace(/\/$/, ''),
    host: listen.host,
    port: listen.port,
    lifetimes: { ...DEFAULT_LIFETIMES, ...config.lifetimes },
    policies: {
      refreshToken: {
        rotation: policies.refreshToken?.rotation ?? 'always',
        reuseRevokesFamily: policies.refreshToken?.reuseRevokesFamily ?? true,
        codeFlowRequiresPromptConsent: policies.refreshToken?.codeFlowRequiresPromptConsent ?? true,
      },
      pkce: {
        required: policies.pkce?.required ?? 'public',
        plainAllowed: policies.pkce?.plainAllowed ?? true,
      },
      allowCredentialsInQuery: policies.allowCredentialsInQuery ?? false,
      authorizationResponseIss: policies.authorizationResponseIss ?? true,
    },
    keys: config.keys ?? [],
    clients: config.clients.map(resolveClient),
    users: config.users,
    faults: new Set(config.faults ?? []),
  };
}

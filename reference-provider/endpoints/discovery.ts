// OpenID Provider metadata (OIDC Discovery 3, 4) and the same facts as RFC 8414 authorization
// server metadata; the JWK Set (OIDC Discovery 3 jwks_uri). All with CORS (Discovery 4).
import type { FastifyInstance } from 'fastify';
import type { ProviderContext } from '../context.ts';
import { allowCors, sendJson } from '../http/respond.ts';
import { SUPPORTED_CLAIMS } from '../tokens/claims.ts';
import { ACR_PASSWORD } from '../tokens/issue.ts';
import {
  SUPPORTED_DISPLAYS,
  SUPPORTED_PROMPTS,
  SUPPORTED_RESPONSE_MODES,
  SUPPORTED_RESPONSE_TYPES,
  SUPPORTED_SCOPES,
} from './authorization/validate-request.ts';

export function buildMetadata(ctx: ProviderContext): Record<string, unknown> {
  const e = ctx.endpoints;
  const authMethods = ['client_secret_post', 'client_secret_basic', 'none'];
  const metadata: Record<string, unknown> = {
    issuer: ctx.fault('discovery-issuer-mismatch') ? `${ctx.config.issuer}/` : ctx.config.issuer,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    userinfo_endpoint: e.userinfo,
    jwks_uri: e.jwks,
    end_session_endpoint: e.endSession,
    revocation_endpoint: e.revocation,
    introspection_endpoint: e.introspection,
    scopes_supported: SUPPORTED_SCOPES,
    response_types_supported: SUPPORTED_RESPONSE_TYPES,
    response_modes_supported: SUPPORTED_RESPONSE_MODES,
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials', 'password'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256', 'HS256'],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ctx.config.policies.pkce.plainAllowed ? ['S256', 'plain'] : ['S256'],
    claims_supported: SUPPORTED_CLAIMS,
    claim_types_supported: ['normal'],
    claims_parameter_supported: true,
    request_parameter_supported: true,
    request_uri_parameter_supported: false,
    request_object_signing_alg_values_supported: ['none'],
    authorization_response_iss_parameter_supported: ctx.config.policies.authorizationResponseIss,
    acr_values_supported: [ACR_PASSWORD],
    display_values_supported: SUPPORTED_DISPLAYS,
    prompt_values_supported: SUPPORTED_PROMPTS,
    ui_locales_supported: ['en'],
    claims_locales_supported: ['en'],
  };
  if (ctx.fault('discovery-missing-jwks-uri')) delete metadata.jwks_uri;
  return metadata;
}

export function registerDiscoveryRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  app.get(`${ctx.basePath}/.well-known/openid-configuration`, async (_req, reply) => {
    allowCors(reply);
    return sendJson(reply, 200, buildMetadata(ctx), false);
  });
  // RFC 8414 3: the well-known segment goes between the host and the issuer's path.
  app.get(`/.well-known/oauth-authorization-server${ctx.basePath}`, async (_req, reply) => {
    allowCors(reply);
    return sendJson(reply, 200, buildMetadata(ctx), false);
  });
  app.get(`${ctx.basePath}/jwks`, async (_req, reply) => {
    allowCors(reply);
    reply.header('cache-control', 'public, max-age=300');
    const keys = ctx.fault('jwks-private-members') ? { keys: ctx.keys.all().map((k) => k.privateJwk) } : ctx.keys.jwks();
    return sendJson(reply, 200, keys, false);
  });
}

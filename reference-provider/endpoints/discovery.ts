// OpenID Provider metadata (OIDC Discovery 3, 4) and the same facts as RFC 8414 authorization
// server metadata; the JWK Set (OIDC Discovery 3 jwks_uri); WebFinger issuer discovery (OIDC
// Discovery 2). All with CORS (Discovery 4).
import type { FastifyInstance } from 'fastify';
import type { ProviderContext } from '../context.ts';
import { Params, queryOf } from '../http/params.ts';
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
  const authMethods = ['client_secret_post', 'client_secret_basic', 'client_secret_jwt', 'none'];
  // client_secret_jwt assertions are MACed with HS256 (OIDC Core 9); never `none` (OIDC Discovery 3).
  const authSigningAlgs = ['HS256'];
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
    token_endpoint_auth_signing_alg_values_supported: authSigningAlgs,
    revocation_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_signing_alg_values_supported: authSigningAlgs,
    introspection_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'client_secret_jwt'],
    introspection_endpoint_auth_signing_alg_values_supported: authSigningAlgs,
    userinfo_signing_alg_values_supported: ['RS256', 'ES256', 'HS256'],
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

const ISSUER_REL = 'http://openid.net/specs/connect/1.0/issuer';

/**
 * OIDC Discovery 2: the issuer of an account on this host (`acct:user@host`, or a URL on this
 * host). Unknown accounts and other hosts get 404 (RFC 7033 4.2); the issuer link is returned when
 * no rel is asked for, or the issuer rel is.
 */
function webfinger(ctx: ProviderContext, query: Params): { status: number; body: Record<string, unknown> } {
  const resource = query.get('resource');
  if (resource === undefined) return { status: 400, body: { error: 'invalid_request', error_description: 'resource is missing' } };
  const host = new URL(ctx.config.issuer).hostname;
  const account = /^acct:(.+)@([^@]+)$/.exec(resource);
  let known = false;
  if (account) {
    let user: string | undefined;
    try {
      user = decodeURIComponent(account[1]!);
    } catch {
      user = undefined;
    }
    known = account[2] === host && user !== undefined && ctx.userByName(user) !== undefined;
  } else {
    try {
      known = new URL(resource).hostname === host;
    } catch {
      known = false;
    }
  }
  if (!known) return { status: 404, body: { error: 'not_found', error_description: 'no such resource' } };
  const rels = query.all('rel');
  const issuer = ctx.fault('webfinger-issuer-mismatch') ? `${ctx.config.issuer}/` : ctx.config.issuer;
  const links = rels.length === 0 || rels.includes(ISSUER_REL) ? [{ rel: ISSUER_REL, href: issuer }] : [];
  return { status: 200, body: { subject: resource, links } };
}

/** The forwarded-host-trusted fault: the metadata's URLs take the host of an X-Forwarded-Host the client sent. */
function forwardedHostFault(ctx: ProviderContext, metadata: Record<string, unknown>, forwarded: string | string[] | undefined): Record<string, unknown> {
  const host = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  if (!ctx.fault('forwarded-host-trusted') || !host) return metadata;
  const own = new URL(ctx.config.issuer).host;
  return Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, typeof value === 'string' ? value.replace(own, host) : value]));
}

export function registerDiscoveryRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  app.get('/.well-known/webfinger', async (req, reply) => {
    allowCors(reply);
    const { status, body } = webfinger(ctx, Params.parse(queryOf(req.raw.url)));
    reply.status(status).header('content-type', status === 200 ? 'application/jrd+json; charset=utf-8' : 'application/json; charset=utf-8');
    return reply.send(JSON.stringify(body));
  });
  app.get(`${ctx.basePath}/.well-known/openid-configuration`, async (req, reply) => {
    allowCors(reply);
    return sendJson(reply, 200, forwardedHostFault(ctx, buildMetadata(ctx), req.headers['x-forwarded-host']), false);
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

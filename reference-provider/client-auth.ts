// Client authentication at the token, revocation and introspection endpoints: client_secret_basic,
// client_secret_post, client_secret_jwt (OIDC Core 9), or none for public clients, each client with
// exactly its registered method.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ClientAuthMethod, ResolvedClient } from './config/types.ts';
import type { ProviderContext } from './context.ts';
import { InvalidClient, InvalidRequest } from './errors.ts';
import type { Params } from './http/params.ts';

export interface AuthenticatedClient {
  client: ResolvedClient;
  method: ClientAuthMethod;
}

/** Compares secrets in constant time: both sides are hashed first, so their lengths leak nothing. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

class InvalidClientWithoutChallenge extends InvalidClient {
  override readonly status: number = 400;
}

function invalidClient(ctx: ProviderContext, description: string, usedBasic: boolean): InvalidClient {
  if (usedBasic && ctx.fault('basic-invalid-client-400')) return new InvalidClientWithoutChallenge(description);
  const error = new InvalidClient(description);
  // RFC 6749 5.2: a 401 names the scheme the client may use.
  error.headers['www-authenticate'] = `Basic realm="${ctx.config.issuer}", charset="UTF-8"`;
  return error;
}

/** RFC 6749 2.3.1: id and secret are form-urlencoded before base64, so decode them after. */
function decodeFormComponent(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

function parseBasic(ctx: ProviderContext, header: string): { id: string; secret: string } {
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw invalidClient(ctx, 'malformed Basic credentials', true);
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw invalidClient(ctx, 'malformed Basic credentials', true);
  try {
    return { id: decodeFormComponent(decoded.slice(0, colon)), secret: decodeFormComponent(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient(ctx, 'malformed Basic credentials', true);
  }
}

function checkSecret(ctx: ProviderContext, client: ResolvedClient, secret: string, usedBasic: boolean): void {
  if (ctx.fault('client-secret-unchecked')) return;
  if (client.client_secret === undefined || !secretsEqual(secret, client.client_secret)) {
    throw invalidClient(ctx, 'client authentication failed', usedBasic);
  }
}

export interface AuthenticateOptions {
  /** Whether a public client (client_id only) is acceptable here. */
  allowPublic: boolean;
  /** The URL of the endpoint called: a client assertion may name it as its audience. */
  endpoint: string;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function decodeJsonPart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hmacMatches(secret: string, signingInput: string, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(signingInput).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * client_secret_jwt (OIDC Core 9, RFC 7523 3): an HS256 JWT keyed by the client secret whose iss and
 * sub are the client_id, aud names this server, exp lies ahead, and whose jti is accepted only once.
 */
async function authenticateWithAssertion(ctx: ProviderContext, params: Params, endpoint: string): Promise<AuthenticatedClient> {
  const fail = (description: string): InvalidClient => invalidClient(ctx, description, false);
  if (params.get('client_assertion_type') !== JWT_BEARER && !ctx.fault('client-assertion-type-unchecked')) {
    throw fail(`client_assertion_type must be ${JWT_BEARER}`);
  }
  const parts = (params.get('client_assertion') ?? '').split('.');
  const header = decodeJsonPart(parts[0]);
  const claims = decodeJsonPart(parts[1]);
  if (parts.length !== 3 || !header || !claims) throw fail('client_assertion is not a compact JWS');
  const clientId = typeof claims.sub === 'string' ? claims.sub : undefined;
  const bodyId = params.get('client_id');
  if (bodyId !== undefined && bodyId !== clientId) throw fail('client_id differs from the subject of the client assertion');
  const client = clientId === undefined ? undefined : ctx.client(clientId);
  if (!client || client.token_endpoint_auth_method !== 'client_secret_jwt') throw fail('client authentication failed');
  if (!ctx.fault('client-assertion-signature-unchecked')) {
    if (header.alg !== 'HS256') throw fail('the client assertion must be MACed with HS256');
    if (!hmacMatches(client.client_secret ?? '', `${parts[0]}.${parts[1]}`, parts[2]!)) throw fail('the client assertion MAC does not verify');
  }
  if (claims.iss !== client.client_id) throw fail('iss of the client assertion must be the client_id');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const accepted = [ctx.endpoints.token, ctx.config.issuer, endpoint];
  if (!audiences.some((a) => typeof a === 'string' && accepted.includes(a)) && !ctx.fault('client-assertion-audience-unchecked')) {
    throw fail('the client assertion is not meant for this server (aud)');
  }
  const now = ctx.now();
  if (typeof claims.exp !== 'number') throw fail('exp of the client assertion is missing');
  if (claims.exp <= now && !ctx.fault('client-assertion-expiry-unchecked')) throw fail('the client assertion has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw fail('the client assertion is not valid yet (nbf)');
  if (typeof claims.jti !== 'string' || claims.jti === '') throw fail('jti of the client assertion is missing');
  if (!ctx.fault('client-assertion-replay-accepted')) {
    const key = `${client.client_id} ${claims.jti}`;
    if (await ctx.store.get<boolean>('clientAssertion', key)) throw fail('the client assertion was already used (jti)');
    await ctx.store.set('clientAssertion', key, true, Math.max(claims.exp - now, 0) + 60);
  }
  return { client, method: 'client_secret_jwt' };
}

export async function authenticateClient(
  ctx: ProviderContext,
  request: FastifyRequest,
  params: Params,
  options: AuthenticateOptions,
): Promise<AuthenticatedClient> {
  const header = request.headers.authorization;
  const basic = typeof header === 'string' && /^basic /i.test(header) ? parseBasic(ctx, header) : undefined;
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const assertion = params.has('client_assertion') || params.has('client_assertion_type');

  if ([basic !== undefined, bodySecret !== undefined, assertion].filter(Boolean).length > 1) {
    throw new InvalidRequest('more than one client authentication method was used');
  }
  if (assertion) return authenticateWithAssertion(ctx, params, options.endpoint);
  if (basic && bodyId !== undefined && bodyId !== basic.id) {
    throw new InvalidRequest('client_id in the body differs from the authenticated client');
  }

  if (basic) {
    const client = ctx.client(basic.id);
    if (!client) throw invalidClient(ctx, 'client authentication failed', true);
    checkSecret(ctx, client, basic.secret, true);
    if (client.token_endpoint_auth_method !== 'client_secret_basic') {
      throw invalidClient(ctx, `this client authenticates with ${client.token_endpoint_auth_method}`, true);
    }
    return { client, method: 'client_secret_basic' };
  }

  if (bodyId === undefined) throw invalidClient(ctx, 'client authentication is required', false);
  const client = ctx.client(bodyId);
  if (!client) throw invalidClient(ctx, 'client authentication failed', false);

  if (bodySecret !== undefined) {
    checkSecret(ctx, client, bodySecret, false);
    if (client.token_endpoint_auth_method !== 'client_secret_post') {
      throw invalidClient(ctx, `this client authenticates with ${client.token_endpoint_auth_method}`, false);
    }
    return { client, method: 'client_secret_post' };
  }

  if (client.token_endpoint_auth_method !== 'none' && !ctx.fault('client-auth-not-required')) {
    throw invalidClient(ctx, 'client authentication is required', false);
  }
  if (!options.allowPublic) throw invalidClient(ctx, 'this endpoint needs an authenticated confidential client', false);
  return { client, method: 'none' };
}

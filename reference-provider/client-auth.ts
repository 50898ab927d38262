// Client authentication at the token, revocation and introspection endpoints: client_secret_basic,
// client_secret_post, or none for public clients, each client with exactly its registered method.
import { createHash, timingSafeEqual } from 'node:crypto';
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
}

export function authenticateClient(
  ctx: ProviderContext,
  request: FastifyRequest,
  params: Params,
  options: AuthenticateOptions,
): AuthenticatedClient {
  const header = request.headers.authorization;
  const basic = typeof header === 'string' && /^basic /i.test(header) ? parseBasic(ctx, header) : undefined;
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');

  if (basic && bodySecret !== undefined) {
    throw new InvalidRequest('more than one client authentication method was used');
  }
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

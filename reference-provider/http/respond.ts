// JSON answers of the back-channel endpoints. Anything carrying tokens or credentials is marked
// no-store (RFC 6749 5.1, OIDC Core 3.1.3.3); errors use the RFC 6749 5.2 body.
import type { FastifyReply } from 'fastify';
import { type OAuthError, toOAuthError } from '../errors.ts';

export function sendJson(reply: FastifyReply, status: number, body: unknown, noStore = true): FastifyReply {
  reply.status(status).header('content-type', 'application/json; charset=utf-8');
  if (noStore) reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return reply.send(JSON.stringify(body));
}

export function sendOAuthError(reply: FastifyReply, thrown: unknown, statusOverride?: number): FastifyReply {
  const error: OAuthError = toOAuthError(thrown);
  if (error.status >= 500) reply.log.error({ err: thrown }, 'internal error');
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return sendJson(reply, statusOverride ?? error.status, error.toJSON());
}

/** CORS for the endpoints browsers call directly (OIDC Discovery 3); never for the authorization endpoint. */
export function allowCors(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*');
}

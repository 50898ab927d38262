// The UserInfo endpoint (OIDC Core 5.3): GET or POST, the access token as a Bearer header or, on
// POST, as the access_token form field (RFC 6750 2.1, 2.2). Errors per RFC 6750 3. A client
// registered for userinfo_signed_response_alg gets a signed JWT (OIDC Core 5.3.2).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderContext } from '../context.ts';
import { InsufficientScope, InvalidRequest, InvalidToken, type OAuthError } from '../errors.ts';
import { Params, queryOf } from '../http/params.ts';
import { allowCors, sendJson } from '../http/respond.ts';
import { selectUserClaims } from '../tokens/claims.ts';
import { signJwt } from '../tokens/jwt.ts';
import { findActiveAccessToken } from '../tokens/validate-access-token.ts';

class MissingToken extends InvalidToken {}

function challenge(ctx: ProviderContext, error: OAuthError): string {
  const parts = [`realm="${ctx.config.issuer}"`];
  // RFC 6750 3.1: a request without any token gets no error code.
  if (!(error instanceof MissingToken)) {
    parts.push(`error="${error.error}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  }
  if (error instanceof InsufficientScope) parts.push('scope="openid"');
  return `Bearer ${parts.join(', ')}`;
}

function readToken(req: FastifyRequest): string {
  const header = req.headers.authorization;
  const fromHeader = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  const isForm = String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const body = req.method === 'POST' && isForm && typeof req.body === 'string' ? Params.parse(req.body) : Params.empty();
  if (body.duplicated().includes('access_token')) throw new InvalidRequest('access_token sent more than once');
  const fromBody = body.get('access_token');
  if (Params.parse(queryOf(req.raw.url)).has('access_token')) {
    throw new InvalidRequest('access tokens in the URL query are not accepted');
  }
  if (fromHeader !== undefined && fromBody !== undefined) throw new InvalidRequest('the access token was sent in more than one way');
  const token = fromHeader || fromBody;
  if (!token) throw new MissingToken('no access token');
  return token;
}

async function handleUserinfo(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply) {
  let record;
  try {
    record = await findActiveAccessToken(ctx, readToken(req));
    if (!record) throw new InvalidToken('the access token is invalid, expired or revoked');
  } catch (error) {
    if (!(ctx.fault('userinfo-unauthenticated') && error instanceof InvalidToken)) throw error;
    const anyone = ctx.config.users[0]!;
    return sendJson(reply, 200, { sub: anyone.sub, ...selectUserClaims(anyone, ['profile', 'email'], undefined) });
  }
  const user = ctx.userBySub(record.sub);
  if (!user || !record.scopes.includes('openid')) throw new InsufficientScope('the access token was not issued for userinfo');
  const claims = selectUserClaims(user, record.scopes, record.claims?.userinfo);
  if (ctx.fault('updated-at-milliseconds') && typeof claims.updated_at === 'number') claims.updated_at *= 1000;
  const sub = ctx.fault('userinfo-sub-mismatch') ? `${record.sub}-other` : record.sub;
  const client = ctx.client(record.clientId);
  const alg = client?.userinfo_signed_response_alg;
  if (client && alg) {
    // OIDC Core 5.3.2: a signed response carries iss (the issuer) and aud (the client).
    const bound = ctx.fault('userinfo-jwt-unbound') ? {} : { iss: ctx.config.issuer, aud: client.client_id };
    const jwt = await signJwt(ctx, { ...claims, sub, ...bound }, { alg, client });
    return reply.status(200).header('content-type', 'application/jwt; charset=utf-8').header('cache-control', 'no-store').send(jwt);
  }
  return sendJson(reply, 200, { ...claims, sub });
}

export function registerUserinfoRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    allowCors(reply);
    reply.header('access-control-expose-headers', 'WWW-Authenticate');
    try {
      return await handleUserinfo(ctx, req, reply);
    } catch (thrown) {
      const error = thrown instanceof InvalidRequest || thrown instanceof InvalidToken || thrown instanceof InsufficientScope
        ? thrown
        : undefined;
      if (!error) throw thrown;
      reply.header('www-authenticate', challenge(ctx, error));
      const body = error instanceof MissingToken ? { error: 'invalid_token', error_description: 'no access token was presented' } : error.toJSON();
      return sendJson(reply, error.status, body);
    }
  };
  app.get(`${ctx.basePath}/me`, handler);
  app.post(`${ctx.basePath}/me`, handler);
}

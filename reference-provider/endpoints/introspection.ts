// Token introspection (RFC 7662). Only authenticated confidential clients may ask (2.1, 4); an
// inactive, unknown or revoked token gets exactly {"active":false} (2.2).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../client-auth.ts';
import type { ProviderContext } from '../context.ts';
import { InvalidRequest } from '../errors.ts';
import type { RefreshTokenRecord } from '../models.ts';
import { allowCors, sendJson, sendOAuthError } from '../http/respond.ts';
import { isGrantActive } from '../tokens/issue.ts';
import { findActiveAccessToken } from '../tokens/validate-access-token.ts';
import { readBackChannelParams as readParams } from '../http/back-channel.ts';

async function describeToken(ctx: ProviderContext, token: string): Promise<Record<string, unknown>> {
  const refresh = await ctx.store.get<RefreshTokenRecord>('refreshToken', token);
  if (refresh) {
    const active = !refresh.revoked && !refresh.consumed && refresh.expiresAt > ctx.now() && (await isGrantActive(ctx, refresh.grantId));
    if (!active) return { active: false };
    return { active: true, token_type: 'refresh_token', scope: refresh.scopes.join(' '), client_id: refresh.clientId, sub: refresh.sub, iss: ctx.config.issuer, iat: refresh.issuedAt, exp: refresh.expiresAt };
  }
  const access = await findActiveAccessToken(ctx, token);
  if (!access) return { active: false };
  return {
    active: true,
    token_type: 'Bearer',
    scope: access.scopes.join(' '),
    client_id: access.clientId,
    sub: access.sub,
    iss: ctx.config.issuer,
    aud: ctx.config.issuer,
    jti: access.jti,
    iat: access.issuedAt,
    exp: access.expiresAt,
  };
}

async function handleIntrospection(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply) {
  const params = readParams(ctx, req);
  const anonymous = !req.headers.authorization && !params.has('client_id');
  if (!(anonymous && ctx.fault('introspection-unauthenticated'))) {
    await authenticateClient(ctx, req, params, { allowPublic: false, endpoint: ctx.endpoints.introspection });
  }
  const token = params.get('token');
  if (token === undefined) throw new InvalidRequest('token is missing');
  const description = ctx.fault('introspection-always-active') ? { active: true } : await describeToken(ctx, token);
  return sendJson(reply, 200, description);
}


export function registerIntrospectionRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  app.post(`${ctx.basePath}/token/introspection`, async (req, reply) => {
    allowCors(reply);
    try {
      return await handleIntrospection(ctx, req, reply);
    } catch (thrown) {
      return sendOAuthError(reply, thrown);
    }
  });
  app.get(`${ctx.basePath}/token/introspection`, async (_req, reply) =>
    sendJson(reply.header('allow', 'POST'), 405, { error: 'invalid_request', error_description: 'the introspection endpoint accepts POST only' }),
  );
}

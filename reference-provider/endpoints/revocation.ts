// Token revocation (RFC 7009). Revoking a refresh token revokes its whole grant, access tokens
// included (RFC 7009 2.1 SHOULD); revoking an access token revokes that token only. Unknown and
// invalid tokens answer 200 (2.2). A token of another client is refused and stays valid.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../client-auth.ts';
import type { ProviderContext } from '../context.ts';
import { InvalidRequest, UnauthorizedClient } from '../errors.ts';
import type { AccessTokenRecord, RefreshTokenRecord } from '../models.ts';
import { allowCors, sendJson, sendOAuthError } from '../http/respond.ts';
import { revokeGrant } from '../tokens/issue.ts';
import { accessTokenId } from '../tokens/validate-access-token.ts';
import { readBackChannelParams } from '../http/back-channel.ts';

async function handleRevocation(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply) {
  const params = readBackChannelParams(ctx, req);
  const { client } = await authenticateClient(ctx, req, params, { allowPublic: true, endpoint: ctx.endpoints.revocation });
  const token = params.get('token');
  if (token === undefined) throw new InvalidRequest('token is missing');
  // token_type_hint only orders the search; every kind is searched (RFC 7009 2.1).
  const refresh = await ctx.store.get<RefreshTokenRecord>('refreshToken', token);
  const jti = refresh ? undefined : await accessTokenId(ctx, token);
  const access = jti ? await ctx.store.get<AccessTokenRecord>('accessToken', jti) : undefined;
  const owner = refresh?.clientId ?? access?.clientId;
  if (owner !== undefined && owner !== client.client_id && !ctx.fault('revocation-ignores-client')) {
    throw new UnauthorizedClient('the token was not issued to this client');
  }
  if (!ctx.fault('revocation-noop')) {
    if (refresh) await revokeGrant(ctx, refresh.grantId);
    if (access && jti) await ctx.store.update('accessToken', jti, { ...access, revoked: true });
  }
  return reply.status(200).header('cache-control', 'no-store').send();
}

export function registerRevocationRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  app.post(`${ctx.basePath}/token/revocation`, async (req, reply) => {
    allowCors(reply);
    try {
      return await handleRevocation(ctx, req, reply);
    } catch (thrown) {
      return sendOAuthError(reply, thrown);
    }
  });
  app.get(`${ctx.basePath}/token/revocation`, async (_req, reply) =>
    sendJson(reply.header('allow', 'POST'), 405, { error: 'invalid_request', error_description: 'the revocation endpoint accepts POST only' }),
  );
}

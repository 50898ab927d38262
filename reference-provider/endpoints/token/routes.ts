// The token endpoint (RFC 6749 3.2): POST with a form body only; client authentication, then the
// grant's handler. Credentials in the URL query are refused (RFC 6749 2.3.1) unless the documented
// compatibility switch is on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../../client-auth.ts';
import type { GrantType } from '../../config/types.ts';
import type { ProviderContext } from '../../context.ts';
import { InvalidRequest, MethodNotAllowed, UnauthorizedClient, UnsupportedGrantType } from '../../errors.ts';
import { readBackChannelParams } from '../../http/back-channel.ts';
import { allowCors, sendJson, sendOAuthError } from '../../http/respond.ts';
import { authorizationCodeGrant } from './authorization-code.ts';
import { clientCredentialsGrant } from './client-credentials.ts';
import type { GrantHandler } from './grant.ts';
import { passwordGrant } from './password.ts';
import { refreshTokenGrant } from './refresh-token.ts';

const GRANTS: Record<Exclude<GrantType, 'implicit'>, GrantHandler> = {
  authorization_code: authorizationCodeGrant,
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
};

async function handleToken(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply) {
  const params = readBackChannelParams(ctx, req);
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw new InvalidRequest('grant_type is missing');
  const { client } = await authenticateClient(ctx, req, params, { allowPublic: true, endpoint: ctx.endpoints.token });
  const handler = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as keyof typeof GRANTS] : undefined;
  if (!handler) {
    if (ctx.fault('unsupported-grant-wrong-code')) throw new InvalidRequest('unknown grant_type');
    throw new UnsupportedGrantType('unsupported grant_type');
  }
  if (!client.grant_types.includes(grantType as GrantType)) throw new UnauthorizedClient('this client may not use this grant_type');
  const response = await handler(ctx, client, params);
  return sendJson(reply, 200, response, !ctx.fault('no-store-missing'));
}

export function registerTokenRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  const path = `${ctx.basePath}/token`;
  app.post(path, async (req, reply) => {
    allowCors(reply);
    try {
      return await handleToken(ctx, req, reply);
    } catch (thrown) {
      return sendOAuthError(reply, thrown, ctx.fault('token-error-200') ? 200 : undefined);
    }
  });
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: path,
    handler: async (_req, reply) => sendOAuthError(reply.header('allow', 'POST'), new MethodNotAllowed('the token endpoint accepts POST only')),
  });
}

// The HTTP server: fastify with every body kept as raw text (each endpoint parses its own
// parameters, so duplicates and empty values are seen), strict size limits, and error handlers
// that turn anything unexpected into a proper OAuth error, never a stack trace.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ProviderContext } from './context.ts';
import { InvalidRequest, NotFound, PayloadTooLarge, ServerError, type OAuthError } from './errors.ts';
import { sendErrorPage } from './http/html.ts';
import { sendOAuthError } from './http/respond.ts';
import { registerAuthorizationRoutes } from './endpoints/authorization/routes.ts';
import { registerDiscoveryRoutes } from './endpoints/discovery.ts';
import { registerEndSessionRoutes } from './endpoints/end-session.ts';
import { registerIntrospectionRoutes } from './endpoints/introspection.ts';
import { registerRevocationRoutes } from './endpoints/revocation.ts';
import { registerTokenRoutes } from './endpoints/token/routes.ts';
import { registerUserinfoRoutes } from './endpoints/userinfo.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Pages a browser shows get an HTML error; back-channel endpoints get JSON. */
function isBrowserPath(ctx: ProviderContext, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return [`${ctx.basePath}/auth`, `${ctx.basePath}/interaction`, `${ctx.basePath}/session/end`].some((p) => path.startsWith(p));
}

function toFrameworkOAuthError(error: FastifyError): OAuthError {
  const status = error.statusCode ?? 500;
  if (status === 413) return new PayloadTooLarge('the request body is too large');
  if (status >= 400 && status < 500) return new InvalidRequest('the request is malformed');
  return new ServerError('the server met an unexpected condition');
}

function sendFrameworkError(ctx: ProviderContext, error: OAuthError, request: FastifyRequest, reply: FastifyReply) {
  if (isBrowserPath(ctx, request.raw.url ?? '')) {
    return sendErrorPage(reply, error.status, error.error, error.expose ? error.description : 'the server met an unexpected condition');
  }
  return sendOAuthError(reply, error);
}

export function buildServer(ctx: ProviderContext, options: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Endpoints read the raw query themselves (see http/params.ts).
    routerOptions: { querystringParser: () => ({}), maxParamLength: 200 },
    return503OnClosing: false,
    frameworkErrors: (error, request, reply) => {
      sendFrameworkError(ctx, toFrameworkOAuthError(error as FastifyError), request, reply);
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Any other media type is read (so the size limit applies) and then ignored: the endpoint answers
  // with its own error for a missing form body.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if ((error.statusCode ?? 500) >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendFrameworkError(ctx, toFrameworkOAuthError(error), request, reply);
  });
  app.setNotFoundHandler((request, reply) => sendFrameworkError(ctx, new NotFound('no such endpoint'), request, reply));

  // CORS preflight for the endpoints browsers may call directly (never the authorization endpoint).
  app.options(`${ctx.basePath}/*`, async (request, reply) => {
    if (isBrowserPath(ctx, request.raw.url ?? '')) return sendOAuthError(reply, new NotFound('no such endpoint'));
    return reply
      .status(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'Authorization, Content-Type')
      .header('access-control-max-age', '600')
      .send();
  });

  registerDiscoveryRoutes(app, ctx);
  registerAuthorizationRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerUserinfoRoutes(app, ctx);
  registerRevocationRoutes(app, ctx);
  registerIntrospectionRoutes(app, ctx);
  registerEndSessionRoutes(app, ctx);
  return app;
}

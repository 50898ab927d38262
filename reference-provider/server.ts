// The HTTP server: fastify with every body kept as raw text (each endpoint parses its own
// parameters, so duplicates and empty values are seen), strict size limits, and error handlers
// that turn anything unexpected into a proper OAuth error, never a stack trace.
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ProviderContext } from './context.ts';
import { InvalidRequest, NotFound, PayloadTooLarge, ServerError, type OAuthError } from './errors.ts';
import { pageFaultHook, sendErrorPage } from './http/html.ts';
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

/**
 * Requests Node's HTTP parser refuses before fastify sees them (a broken request line, bytes outside
 * the URL grammar, headers over 16 KiB, a bad Content-Length) get an RFC 6749 5.2 body too, not
 * fastify's default `{"error":"Bad Request","message":...}`. The connection is closed afterwards.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, description] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request line or headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request took too long to arrive']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: 'invalid_request', error_description: description });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function buildServer(ctx: ProviderContext, options: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Endpoints read the raw query themselves (see http/params.ts).
    routerOptions: { querystringParser: () => ({}), maxParamLength: 200 },
    return503OnClosing: false,
    clientErrorHandler,
    // Checked below (RFC 9112 3.2), so that the 400 carries an OAuth error body like every other.
    http: { requireHostHeader: false },
    frameworkErrors: (error, request, reply) => {
      sendFrameworkError(ctx, toFrameworkOAuthError(error as FastifyError), request, reply);
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      return sendFrameworkError(ctx, new InvalidRequest('an HTTP/1.1 request needs a Host header'), request, reply);
    }
  });
  // An Expect other than 100-continue: 417 (RFC 9110 10.1.1), with an OAuth error body rather than Node's empty one.
  app.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify({ error: 'invalid_request', error_description: 'the Expect header cannot be met' });
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      connection: 'close',
    });
    response.end(body);
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

  if (ctx.fault('login-page-frameable') || ctx.fault('login-page-third-party')) app.addHook('onSend', pageFaultHook((name) => ctx.fault(name)));
  registerDiscoveryRoutes(app, ctx);
  registerAuthorizationRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerUserinfoRoutes(app, ctx);
  registerRevocationRoutes(app, ctx);
  registerIntrospectionRoutes(app, ctx);
  registerEndSessionRoutes(app, ctx);
  return app;
}

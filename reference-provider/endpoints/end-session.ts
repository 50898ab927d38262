// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). A valid id_token_hint for the
// current user logs out at once (documented policy); otherwise the user confirms on a page. The
// post-logout redirect happens only to a URI registered for the client named by the hint or client_id.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type JWTPayload, decodeJwt } from 'jose';
import type { ProviderContext } from '../context.ts';
import { SESSION_COOKIE, clearCookie, readCookie } from '../http/cookies.ts';
import { escapeHtml, renderPage, sendErrorPage, sendHtml } from '../http/html.ts';
import { Params, queryOf } from '../http/params.ts';
import type { Session } from '../models.ts';
import { secretsEqual } from '../client-auth.ts';
import { randomToken, verifyOwnJwt } from '../tokens/jwt.ts';

interface LogoutRequest {
  /** Validated redirect target, if any. */
  redirectUri?: string;
  state?: string;
  hintSub?: string;
}

interface PendingLogout extends LogoutRequest {
  id: string;
  csrf: string;
}

class LogoutError extends Error {}

/** The logout-hint-unverified fault: the hint's claims are read without checking its signature or issuer. */
function unverified(hint: string): { payload: JWTPayload } | undefined {
  try {
    return { payload: decodeJwt(hint) };
  } catch {
    return undefined;
  }
}

async function validateLogout(ctx: ProviderContext, params: Params): Promise<LogoutRequest> {
  if (params.duplicated().length > 0) throw new LogoutError(`parameter sent more than once: ${params.duplicated().join(', ')}`);
  let hintSub: string | undefined;
  let hintClient: string | undefined;
  const hint = params.get('id_token_hint');
  if (hint !== undefined) {
    const verified = ctx.fault('logout-hint-unverified') ? unverified(hint) : await verifyOwnJwt(ctx, hint);
    if (!verified || typeof verified.payload.sub !== 'string') throw new LogoutError('id_token_hint was not issued by this provider');
    hintSub = verified.payload.sub;
    hintClient = Array.isArray(verified.payload.aud) ? verified.payload.aud[0] : verified.payload.aud;
  }
  const clientId = params.get('client_id');
  if (clientId !== undefined && hintClient !== undefined && clientId !== hintClient && !ctx.fault('logout-client-id-unchecked')) {
    throw new LogoutError('client_id does not match the id_token_hint');
  }
  const redirectUri = params.get('post_logout_redirect_uri');
  if (redirectUri === undefined) return { hintSub, state: params.get('state') };
  const client = ctx.client(hintClient ?? clientId ?? '');
  if (!client) throw new LogoutError('post_logout_redirect_uri needs an id_token_hint or client_id naming a known client');
  if (!client.post_logout_redirect_uris.includes(redirectUri) && !ctx.fault('logout-open-redirect')) {
    throw new LogoutError('post_logout_redirect_uri is not registered for this client');
  }
  return { redirectUri, state: params.get('state'), hintSub };
}

async function endSession(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply, logout: LogoutRequest) {
  const id = readCookie(req, SESSION_COOKIE);
  if (!ctx.fault('logout-keeps-session')) {
    if (id) await ctx.store.delete('session', id);
    clearCookie(ctx, reply, SESSION_COOKIE);
  }
  if (!logout.redirectUri) return sendHtml(reply, 200, renderPage('Signed out', '<p id="logged-out">You are signed out.</p>'));
  const url = new URL(logout.redirectUri);
  if (logout.state !== undefined && !ctx.fault('logout-state-dropped')) url.searchParams.append('state', logout.state);
  return reply.status(303).header('location', url.toString()).send();
}

async function requestLogout(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply, params: Params) {
  const logout = await validateLogout(ctx, params);
  const sessionId = readCookie(req, SESSION_COOKIE);
  const session = sessionId ? await ctx.store.get<Session>('session', sessionId) : undefined;
  // A valid hint for the signed-in user (or nobody signed in: logout is idempotent) needs no confirmation.
  if (logout.hintSub !== undefined && (!session || session.sub === logout.hintSub)) return endSession(ctx, req, reply, logout);
  if (ctx.fault('logout-without-confirmation')) return endSession(ctx, req, reply, logout);
  const pending: PendingLogout = { ...logout, id: randomToken(), csrf: randomToken() };
  await ctx.store.set('interaction', pending.id, pending, ctx.config.lifetimes.interaction);
  const body = `<p>Do you want to sign out?</p>
<form method="post" action="${escapeHtml(`${ctx.basePath}/session/end/confirm`)}" id="logout-form">
<input type="hidden" name="logout" value="${escapeHtml(pending.id)}">
<input type="hidden" name="csrf" value="${escapeHtml(pending.csrf)}">
<button type="submit" id="confirm-logout">Sign out</button>
</form>`;
  return sendHtml(reply, 200, renderPage('Sign out', body));
}

async function confirmLogout(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply) {
  const params = Params.parse(typeof req.body === 'string' ? req.body : '');
  const pending = await ctx.store.get<PendingLogout>('interaction', params.get('logout') ?? '');
  if (!pending || !secretsEqual(params.get('csrf') ?? '', pending.csrf)) {
    return sendErrorPage(reply, 403, 'invalid_request', 'the sign-out form is stale or was not sent by this site');
  }
  await ctx.store.delete('interaction', pending.id);
  return endSession(ctx, req, reply, pending);
}

export function registerEndSessionRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  const guard = (handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handler(req, reply);
    } catch (error) {
      if (error instanceof LogoutError) return sendErrorPage(reply, 400, 'invalid_request', error.message);
      throw error;
    }
  };
  const path = `${ctx.basePath}/session/end`;
  app.get(path, guard((req, reply) => requestLogout(ctx, req, reply, Params.parse(queryOf(req.raw.url)))));
  app.post(
    path,
    guard(async (req, reply) =>
      ctx.fault('logout-post-unsupported')
        ? sendErrorPage(reply, 405, 'invalid_request', 'use GET')
        : requestLogout(ctx, req, reply, Params.parse(typeof req.body === 'string' ? req.body : '')),
    ),
  );
  app.post(`${path}/confirm`, guard((req, reply) => confirmLogout(ctx, req, reply)));
}

// The authorization endpoint (GET and POST, OIDC Core 3.1.2.1) and the interaction it may need:
// validate -> decide (login? consent?) -> interact -> complete -> respond.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderContext } from '../../context.ts';
import {
  AccessDenied,
  ConsentRequired,
  LoginRequired,
  UntrustedRedirectError,
  toOAuthError,
} from '../../errors.ts';
import { INTERACTION_COOKIE, SESSION_COOKIE, clearCookie, readCookie, setCookie } from '../../http/cookies.ts';
import { renderPage, sendErrorPage, sendHtml } from '../../http/html.ts';
import { Params, queryOf } from '../../http/params.ts';
import type { AuthorizationRequest, Interaction, Session } from '../../models.ts';
import { secretsEqual } from '../../client-auth.ts';
import { randomToken } from '../../tokens/jwt.ts';
import { completeAuthorization } from './complete.ts';
import { mustLogIn, needsConsent, requiredSubject } from './interaction.ts';
import { renderConsentPage, renderLoginPage } from './pages.ts';
import { RedirectableError, type ResponseTarget, sendAuthorizationError, sendAuthorizationResponse } from './respond.ts';
import { validateAuthorizationRequest } from './validate-request.ts';

function targetOf(request: AuthorizationRequest): ResponseTarget {
  return { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
}

async function loadSession(ctx: ProviderContext, req: FastifyRequest): Promise<Session | undefined> {
  const id = readCookie(req, SESSION_COOKIE);
  return id ? ctx.store.get<Session>('session', id) : undefined;
}

async function loadInteraction(ctx: ProviderContext, req: FastifyRequest, uid: string): Promise<Interaction | undefined> {
  // The interaction belongs to the browser that started it: its cookie must name it.
  if (readCookie(req, INTERACTION_COOKIE) !== uid && !ctx.fault('interaction-csrf-unchecked')) return undefined;
  return ctx.store.get<Interaction>('interaction', uid);
}

/** Finishes an authorization whose user is known: checks the subject, then completes and responds. */
async function finish(
  ctx: ProviderContext,
  reply: FastifyReply,
  request: AuthorizationRequest,
  session: Session,
  viaPost: boolean,
): Promise<FastifyReply> {
  const subject = requiredSubject(request);
  if (subject !== undefined && subject !== session.sub) {
    throw new RedirectableError(new LoginRequired('the signed-in user is not the one the request names'), targetOf(request));
  }
  const params = await completeAuthorization(ctx, request, session);
  return sendAuthorizationResponse(ctx, reply, targetOf(request), params, viaPost);
}

async function authorize(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply, params: Params, viaPost: boolean) {
  const request = await validateAuthorizationRequest(ctx, params);
  const client = ctx.client(request.clientId)!;
  const session = await loadSession(ctx, req);
  const login = mustLogIn(ctx, request, session);
  const consent = needsConsent(client, request, login ? undefined : session);
  if (request.prompt.includes('none') && !ctx.fault('prompt-none-interacts')) {
    // prompt=none: no UI at all (OIDC Core 3.1.2.1).
    if (login) throw new RedirectableError(new LoginRequired('the user is not signed in'), targetOf(request));
    if (consent) throw new RedirectableError(new ConsentRequired('consent is required'), targetOf(request));
  }
  if (!login && !consent) return finish(ctx, reply, request, session!, viaPost);

  const interaction: Interaction = { id: randomToken(), request, csrf: randomToken(), mustLogin: login };
  await ctx.store.set('interaction', interaction.id, interaction, ctx.config.lifetimes.interaction);
  setCookie(ctx, reply, INTERACTION_COOKIE, interaction.id, ctx.config.lifetimes.interaction);
  return reply.status(303).header('cache-control', 'no-store').header('location', `${ctx.basePath}/interaction/${interaction.id}`).send();
}

/** Shows the step the interaction is at, or resumes the authorization when nothing is left to do. */
async function showInteraction(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply, uid: string, loginError?: string) {
  const interaction = await loadInteraction(ctx, req, uid);
  if (!interaction) return sendErrorPage(reply, 400, 'invalid_request', 'this sign-in has expired or belongs to another browser; start again from the application');
  const client = ctx.client(interaction.request.clientId)!;
  const base = `${ctx.basePath}/interaction/${uid}`;
  const session = await loadSession(ctx, req);
  if (interaction.mustLogin && !interaction.loggedIn) {
    return sendHtml(reply, loginError ? 401 : 200, renderLoginPage(`${base}/login`, interaction, client, loginError));
  }
  if (!session) return sendErrorPage(reply, 400, 'invalid_request', 'the sign-in session is gone; start again from the application');
  if (!interaction.consented && needsConsent(client, interaction.request, session)) {
    return sendHtml(reply, 200, renderConsentPage(`${base}/consent`, interaction, client, ctx.fault('consent-page-generic')));
  }
  await ctx.store.delete('interaction', uid);
  clearCookie(ctx, reply, INTERACTION_COOKIE);
  return finish(ctx, reply, interaction.request, session, true);
}

function checkCsrf(ctx: ProviderContext, interaction: Interaction, params: Params): boolean {
  if (ctx.fault('interaction-csrf-unchecked')) return true;
  const given = params.get('csrf');
  return given !== undefined && secretsEqual(given, interaction.csrf);
}

async function submitLogin(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply, uid: string) {
  const params = Params.parse(typeof req.body === 'string' ? req.body : '');
  const interaction = await loadInteraction(ctx, req, uid);
  if (!interaction || !checkCsrf(ctx, interaction, params)) {
    return sendErrorPage(reply, 403, 'invalid_request', 'the form is stale or was not sent by this site');
  }
  const user = ctx.userByName(params.get('username') ?? '');
  if (!user || !secretsEqual(params.get('password') ?? '', user.password)) {
    return showInteraction(ctx, req, reply, uid, 'Wrong username or password.');
  }
  const old = await loadSession(ctx, req);
  const session: Session = {
    id: randomToken(),
    sub: user.sub,
    authTime: ctx.now(),
    consents: old && old.sub === user.sub ? old.consents : {},
  };
  if (old) await ctx.store.delete('session', old.id);
  await ctx.store.set('session', session.id, session, ctx.config.lifetimes.session);
  setCookie(ctx, reply, SESSION_COOKIE, session.id, ctx.config.lifetimes.session);
  interaction.loggedIn = true;
  await ctx.store.update('interaction', uid, interaction);
  return reply.status(ctx.fault('login-redirect-307') ? 307 : 303).header('location', `${ctx.basePath}/interaction/${uid}`).send();
}

async function submitConsent(ctx: ProviderContext, req: FastifyRequest, reply: FastifyReply, uid: string) {
  const params = Params.parse(typeof req.body === 'string' ? req.body : '');
  const interaction = await loadInteraction(ctx, req, uid);
  const session = await loadSession(ctx, req);
  if (!interaction || !session || !checkCsrf(ctx, interaction, params)) {
    return sendErrorPage(reply, 403, 'invalid_request', 'the form is stale or was not sent by this site');
  }
  const { request } = interaction;
  if (params.get('decision') !== 'approve') {
    await ctx.store.delete('interaction', uid);
    clearCookie(ctx, reply, INTERACTION_COOKIE);
    throw new RedirectableError(new AccessDenied('the user denied the request'), targetOf(request));
  }
  interaction.consented = true;
  await ctx.store.update('interaction', uid, interaction);
  const granted = new Set([...(session.consents[request.clientId] ?? []), ...request.scopes]);
  session.consents[request.clientId] = [...granted];
  await ctx.store.update('session', session.id, session);
  return reply.status(303).header('location', `${ctx.basePath}/interaction/${uid}`).send();
}

/** Sends what an authorization-side failure deserves: an error page, or an error at the redirect URI. */
function sendFailure(ctx: ProviderContext, reply: FastifyReply, thrown: unknown, viaPost: boolean) {
  if (thrown instanceof UntrustedRedirectError && ctx.fault('error-page-unescaped')) {
    return sendHtml(reply, thrown.status, renderPage('Sign-in error', `<p class="error">${thrown.error}: ${thrown.description}</p>`));
  }
  if (thrown instanceof UntrustedRedirectError) return sendErrorPage(reply, thrown.status, thrown.error, thrown.description);
  if (thrown instanceof RedirectableError) return sendAuthorizationError(ctx, reply, thrown, viaPost);
  const error = toOAuthError(thrown);
  reply.log.error({ err: thrown }, 'authorization failure');
  return sendErrorPage(reply, error.status, error.error, error.expose ? error.description : 'the server met an unexpected condition');
}

function formBody(req: FastifyRequest): string {
  return typeof req.body === 'string' ? req.body : '';
}

export function registerAuthorizationRoutes(app: FastifyInstance, ctx: ProviderContext): void {
  const base = ctx.basePath;
  const guard =
    (viaPost: boolean, handler: (req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) => Promise<unknown>) =>
    async (req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) => {
      try {
        return await handler(req, reply);
      } catch (thrown) {
        return sendFailure(ctx, reply, thrown, viaPost);
      }
    };
  app.get(`${base}/auth`, guard(false, (req, reply) => authorize(ctx, req, reply, Params.parse(queryOf(req.raw.url)), false)));
  app.post(`${base}/auth`, guard(true, (req, reply) => authorize(ctx, req, reply, Params.parse(formBody(req)), true)));
  app.get(`${base}/interaction/:uid`, guard(false, (req, reply) => showInteraction(ctx, req, reply, req.params.uid)));
  app.post(`${base}/interaction/:uid/login`, guard(true, (req, reply) => submitLogin(ctx, req, reply, req.params.uid)));
  app.post(`${base}/interaction/:uid/consent`, guard(true, (req, reply) => submitConsent(ctx, req, reply, req.params.uid)));
}

// Delivering an authorization response, success or error, in the requested response mode:
// query, fragment (OAuth 2.0 Multiple Response Types 2.1) or form_post (Form Post Response Mode 2).
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { ProviderContext } from '../../context.ts';
import { type OAuthError, sanitiseDescription } from '../../errors.ts';
import { escapeHtml, renderPage, sendHtml } from '../../http/html.ts';
import type { AuthorizationRequest } from '../../models.ts';

export type ResponseMode = AuthorizationRequest['responseMode'];

/** Where an authorization response goes: known once client and redirect_uri are trusted. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** code defaults to query; any type that returns a token or ID token defaults to fragment (OAuth2-RT 2.1, 5). */
export function defaultResponseMode(ctx: ProviderContext, responseType: string | undefined): ResponseMode {
  if (!responseType || responseType === 'code') return 'query';
  return ctx.fault('tokens-in-query') ? 'query' : 'fragment';
}

/** An error that travels back to the client's redirect URI. */
export class RedirectableError extends Error {
  constructor(
    readonly oauthError: OAuthError,
    readonly target: ResponseTarget,
  ) {
    super(oauthError.description);
  }
}

function withCommonParams(ctx: ProviderContext, target: ResponseTarget, params: Record<string, string>): Record<string, string> {
  const all = { ...params };
  if (target.state !== undefined && !ctx.fault('state-dropped')) all.state = target.state;
  if (ctx.config.policies.authorizationResponseIss) all.iss = ctx.config.issuer;
  return all;
}

function redirectUrl(target: ResponseTarget, params: Record<string, string>): string {
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(params).toString();
  } else {
    // A registered query component is kept; response parameters are added to it (RFC 6749 3.1.2).
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  }
  return url.toString();
}

function sendFormPost(ctx: ProviderContext, reply: FastifyReply, target: ResponseTarget, params: Record<string, string>): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  const fields = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${ctx.fault('form-post-unescaped') ? value : escapeHtml(value)}">`)
    .join('\n');
  const body = `<form method="post" action="${escapeHtml(target.redirectUri)}" id="form_post">
${fields}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script nonce="${nonce}">document.getElementById('form_post').submit();</script>`;
  return sendHtml(reply, 200, renderPage('Submitting the response', body), `; script-src 'nonce-${nonce}'`);
}

/**
 * Sends the response. `viaPost` says the request that ends here was a form POST: then the redirect
 * is a 303, never a 307, so the browser does not re-post credentials (RFC 9700 4.12).
 */
export function sendAuthorizationResponse(
  ctx: ProviderContext,
  reply: FastifyReply,
  target: ResponseTarget,
  params: Record<string, string>,
  viaPost: boolean,
): FastifyReply {
  const all = withCommonParams(ctx, target, params);
  if (target.responseMode === 'form_post' && !ctx.fault('form-post-as-redirect')) return sendFormPost(ctx, reply, target, all);
  return reply
    .status(viaPost ? 303 : 302)
    .header('cache-control', 'no-store')
    .header('location', redirectUrl(target, all))
    .send();
}

export function sendAuthorizationError(
  ctx: ProviderContext,
  reply: FastifyReply,
  error: RedirectableError,
  viaPost: boolean,
): FastifyReply {
  const params: Record<string, string> = { error: error.oauthError.error };
  if (error.oauthError.description) params.error_description = sanitiseDescription(error.oauthError.description);
  const target = ctx.fault('errors-in-query') ? { ...error.target, responseMode: 'query' as const } : error.target;
  return sendAuthorizationResponse(ctx, reply, target, params, viaPost);
}

// The two cookies the provider sets: the login session and the pending interaction. Both are
// HttpOnly, SameSite=Lax (sent on the top-level navigations an RP starts), and scoped to the issuer path.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderContext } from '../context.ts';

export const SESSION_COOKIE = 'op_session';
export const INTERACTION_COOKIE = 'op_interaction';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || undefined;
  }
  return undefined;
}

function cookieAttributes(ctx: ProviderContext, maxAge: number): string {
  const secure = ctx.config.issuer.startsWith('https:') ? '; Secure' : '';
  if (ctx.fault('session-cookie-insecure-flags')) return `Path=${ctx.basePath || '/'}; Max-Age=${maxAge}`;
  return `Path=${ctx.basePath || '/'}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

export function setCookie(ctx: ProviderContext, reply: FastifyReply, name: string, value: string, maxAge: number): void {
  const existing = reply.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  reply.header('set-cookie', [...list, `${name}=${value}; ${cookieAttributes(ctx, maxAge)}`]);
}

export function clearCookie(ctx: ProviderContext, reply: FastifyReply, name: string): void {
  setCookie(ctx, reply, name, '', 0);
}

// Reusable steps: the I/O several suites need (the JWK Set, a password grant, a client
// credentials token). A suite wraps them in suite.step(...) so each runs once per file.
import type { SuiteContext } from '../suite.ts';
import type { Exchange } from '../http/types.ts';
import type { ClientRole } from '../profile/types.ts';
import { clientPost, type Form } from '../oauth/token-request.ts';
import type { JWK } from 'jose';

export async function fetchJwks({ target, http }: SuiteContext): Promise<{ exchange: Exchange; jwks: { keys: JWK[] } }> {
  const exchange = await http.send({ method: 'GET', url: target.endpoint('jwks'), label: 'JWK Set' });
  const json = exchange.response?.json as { keys?: JWK[] } | undefined;
  return { exchange, jwks: { keys: Array.isArray(json?.keys) ? json.keys : [] } };
}

/** A token request to the token endpoint as the client playing `role`. */
export function tokenRequest({ target, http }: SuiteContext, role: ClientRole, form: Form, label: string): Promise<Exchange> {
  return http.send(clientPost(target.endpoint('token'), target.client(role), form, label));
}

/** grant_type=password for the first test user (SKIP when the target has no password grant). */
export function passwordGrant(ctx: SuiteContext, options: { role?: ClientRole; scope?: string; label?: string } = {}): Promise<Exchange> {
  ctx.target.requireGrant('password');
  const user = ctx.target.user();
  const form: Form = { grant_type: 'password', username: user.username, password: user.password };
  if (options.scope !== undefined) form.scope = options.scope;
  return tokenRequest(ctx, options.role ?? 'basic', form, options.label ?? `password grant (${options.scope ?? 'default scope'})`);
}

/** grant_type=client_credentials as the machine client (SKIP when not offered). */
export function clientCredentialsGrant(ctx: SuiteContext, options: { scope?: string; label?: string } = {}): Promise<Exchange> {
  ctx.target.requireGrant('client_credentials');
  const form: Form = { grant_type: 'client_credentials' };
  if (options.scope !== undefined) form.scope = options.scope;
  return tokenRequest(ctx, 'machine', form, options.label ?? `client credentials (${options.scope ?? 'default scope'})`);
}

/** The JSON body's string member, for chaining steps (e.g. the refresh token a grant returned). */
export function memberOf(exchange: Exchange, name: string): string | undefined {
  const json = exchange.response?.json as Record<string, unknown> | undefined;
  const value = json?.[name];
  return typeof value === 'string' ? value : undefined;
}

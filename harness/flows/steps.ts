// Reusable steps: the I/O several suites need (the JWK Set, a password grant, a client
// credentials token). A suite wraps them in suite.step(...) so each runs once per file.
import type { SuiteContext } from '../suite.ts';
import type { Exchange, HttpRequest } from '../http/types.ts';
import type { ClientRole } from '../profile/types.ts';
import { clientPost, type Form } from '../oauth/token-request.ts';
import type { JWK } from 'jose';
import { CheckSkip } from '../checks.ts';

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

/** A UserInfo request (OIDC Core 5.3.1): the token as a Bearer header when given; GET unless told otherwise. */
export function userinfoRequest(
  { target, http }: SuiteContext,
  options: { token?: string; method?: 'GET' | 'POST'; form?: Form; headers?: Record<string, string>; label?: string } = {},
): Promise<Exchange> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const request: HttpRequest = { method: options.method ?? 'GET', url: target.endpoint('userinfo'), headers, label: options.label ?? 'userinfo' };
  if (options.form !== undefined) request.form = options.form;
  return http.send(request);
}

/** Token revocation (RFC 7009 2.1) as the client playing `role` (default basic); SKIP when not offered. */
export function revokeToken(ctx: SuiteContext, token: string, options: { role?: ClientRole; hint?: string; label?: string } = {}): Promise<Exchange> {
  return backChannelTokenCall(ctx, 'revocation', token, options);
}

/** Token introspection (RFC 7662 2.1) as the client playing `role` (default basic); SKIP when not offered. */
export function introspectToken(ctx: SuiteContext, token: string, options: { role?: ClientRole; hint?: string; label?: string } = {}): Promise<Exchange> {
  return backChannelTokenCall(ctx, 'introspection', token, options);
}

function backChannelTokenCall(
  { target, http }: SuiteContext,
  endpoint: 'revocation' | 'introspection',
  token: string,
  options: { role?: ClientRole; hint?: string; label?: string },
): Promise<Exchange> {
  const form: Form = { token };
  if (options.hint !== undefined) form.token_type_hint = options.hint;
  return http.send(clientPost(target.endpoint(endpoint), target.client(options.role ?? 'basic'), form, options.label ?? endpoint));
}

/** grant_type=refresh_token as the client playing `role` (default basic). */
export function refreshTokenGrant(ctx: SuiteContext, refreshToken: string, options: { role?: ClientRole; scope?: string; label?: string } = {}): Promise<Exchange> {
  const form: Form = { grant_type: 'refresh_token', refresh_token: refreshToken };
  if (options.scope !== undefined) form.scope = options.scope;
  return tokenRequest(ctx, options.role ?? 'basic', form, options.label ?? 'refresh');
}

export interface IssuedTokens {
  exchange: Exchange;
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
}

/**
 * The tokens a password grant issued, for suites that only consume them (userinfo, revocation,
 * introspection): SKIP, naming the answer, when no access token came (the password suite judges
 * the grant itself).
 */
export async function passwordTokens(ctx: SuiteContext, options: { role?: ClientRole; scope?: string; label?: string } = {}): Promise<IssuedTokens> {
  return issuedTokens(await passwordGrant(ctx, options), 'the password grant');
}

/** The tokens of a token response (`what` issued it); SKIP, naming the answer, when no access token came. */
export function issuedTokens(exchange: Exchange, what: string): IssuedTokens {
  const accessToken = memberOf(exchange, 'access_token');
  if (exchange.response?.status !== 200 || accessToken === undefined) {
    const error = memberOf(exchange, 'error');
    throw new CheckSkip(`no access token to test with: ${what} answered HTTP ${exchange.response?.status ?? 'nothing'}${error ? ` ${error}` : ''} (${exchange.id})`);
  }
  const tokens: IssuedTokens = { exchange, accessToken };
  const refreshToken = memberOf(exchange, 'refresh_token');
  const idToken = memberOf(exchange, 'id_token');
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  if (idToken !== undefined) tokens.idToken = idToken;
  return tokens;
}

/** The discovery document fetched again inside a suite, so checks judging metadata cite an exchange of their own. */
export async function fetchDiscovery({ target, http }: SuiteContext): Promise<{ exchange: Exchange; metadata: Record<string, unknown> }> {
  target.metadata(); // ERROR at once when the preflight could not reach the target
  const exchange = await http.send({ method: 'GET', url: target.discoveryUrl, label: 'discovery' });
  const json = exchange.response?.json;
  const metadata = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : target.metadata();
  return { exchange, metadata };
}

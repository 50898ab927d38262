// Many authorization requests in one browser session, each kept apart: a suite that judges
// several response types and modes (implicit, hybrid, response modes) runs them in one login
// session (after the first login the provider answers at once), and one request that the target
// does not offer (SKIP) or that breaks (ERROR) must not take the others' verdicts with it. Each
// request becomes an Attempt; a check unwraps the attempts it judges.
import type { JWK } from 'jose';
import type { Exchange } from '../http/types.ts';
import type { ClientRole } from '../profile/types.ts';
import type { Target } from '../target.ts';
import type { SuiteContext } from '../suite.ts';
import type { Observed } from '../judge/authorization-response.ts';
import { type AuthorizationRun, type AuthorizationSpec, type BrowserSession, buildAuthorizationRequest, requireResponseType } from './authorization.ts';

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `run`, keeping what it threw (a CheckSkip, an HttpError, a browser failure) for the checks that need its result. */
export async function attempt<T>(run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The attempt's value, or what it threw, thrown again for the check that judges it (SKIP/ERROR as it was). */
export function unwrap<T>(result: Attempt<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}

/** The values of the attempts that worked; when none did, the first failure is thrown. */
export function unwrapSome<T>(results: Array<Attempt<T>>): T[] {
  const values = results.filter((r): r is { ok: true; value: T } => r.ok).map((r) => r.value);
  if (values.length === 0 && results.length > 0) throw (results[0] as { error: unknown }).error;
  return values;
}

/** The request's exchanges as the recorder holds them, for the pure judges. */
export function observe(ctx: SuiteContext, run: AuthorizationRun): Observed {
  const exchanges = run.result.exchanges.map((id) => ctx.http.exchange(id)).filter((e): e is Exchange => e !== undefined);
  return { run, exchanges };
}

export interface FrontChannelOptions {
  /** false: the login form, if the provider shows it, is not filled in (prompt=none must never show it). */
  login?: boolean;
}

/**
 * One authorization request in the session, as an Attempt: SKIP when the target does not offer
 * the response type (or the requested response mode), otherwise what the browser saw.
 */
export function tryAuthorize(ctx: SuiteContext, session: BrowserSession, spec: AuthorizationSpec, label: string, options: FrontChannelOptions = {}): Promise<Attempt<Observed>> {
  return attempt(async () => {
    requireResponseType(ctx.target, spec.responseType, spec.responseMode);
    const sent = buildAuthorizationRequest(ctx.target, spec);
    const result = await session.authorize({ endpoint: ctx.target.endpoint('authorization'), params: sent.params, method: spec.method ?? 'GET', label }, { login: options.login ?? true });
    return observe(ctx, { sent, result });
  });
}

/** A redirect_uri the client did not register: the registered one with a path segment added (RFC 6749 3.1.2.4). */
export function unregisteredRedirectUri(registered: string): string {
  const url = new URL(registered);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/oidc-conformance-unregistered`;
  return url.toString();
}

/** What validating an ID token needs besides the response: the provider's keys and names, the test user. */
export interface IdTokenContext {
  issuer: string;
  clientId: string;
  /** HS256 ID tokens are MACed with it (OIDC Core 10.1). */
  clientSecret?: string;
  jwks: { keys: JWK[] };
  /** The profile's subject for the test user, when it knows it. */
  sub?: string;
  /** The JWK Set exchange, cited beside the response. */
  jwksExchange?: string;
}

/** The issuer discovery names (the profile's when discovery has none). */
export function issuerOf(target: Target): string {
  const issuer = target.metadata().issuer;
  return typeof issuer === 'string' ? issuer : target.issuer;
}

/** The ID token expectations for the client playing `role` and the first test user. */
export function idTokenContext(ctx: SuiteContext, role: ClientRole, jwks: { exchange: Exchange; jwks: { keys: JWK[] } }): IdTokenContext {
  const client = ctx.target.client(role);
  const context: IdTokenContext = { issuer: issuerOf(ctx.target), clientId: client.client_id, jwks: jwks.jwks, jwksExchange: jwks.exchange.id };
  if (client.client_secret !== undefined) context.clientSecret = client.client_secret;
  const sub = ctx.target.profile.users[0]?.sub;
  if (sub !== undefined) context.sub = sub;
  return context;
}

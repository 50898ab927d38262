// Judges of revocation (RFC 7009): pure functions of the revocation exchange and of what the
// token did afterwards (a refresh attempt, an introspection or userinfo probe).
import { CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectInvalidClient, expectOAuthError } from '../../harness/judge/exchange.ts';

/** How a later request showed whether an access token still works. */
export interface Probe {
  kind: 'introspection' | 'userinfo';
  exchange: Exchange;
}

function errorOf(exchange: Exchange): string | undefined {
  const json = exchange.response?.json as Record<string, unknown> | undefined;
  return typeof json?.error === 'string' ? json.error : undefined;
}

function describe(exchange: Exchange): string {
  const error = errorOf(exchange);
  return `HTTP ${exchange.response?.status ?? 'no response'}${error ? ` ${error}` : ''}`;
}

/** RFC 7009 2.2: 200 for a revoked token, and for an invalid or unknown one. */
export function judgeRevocation200(exchange: Exchange, what: string): void {
  if (exchange.response?.status !== 200) {
    failCheck(`${what} was answered with ${describe(exchange)} instead of 200`, { expected: 200, actual: { status: exchange.response?.status, error: errorOf(exchange) }, exchanges: [exchange.id] });
  }
}

/** The refresh token was revoked (200), and the refresh request made right after is refused. */
export function judgeRefreshRefused(revocation: Exchange, refresh: Exchange): void {
  judgeRevocation200(revocation, 'revoking the refresh token');
  if (refresh.response?.status === 200) {
    failCheck('the revoked refresh token still works: the token endpoint issued new tokens', {
      expected: { status: 400, error: 'invalid_grant' },
      actual: 200,
      exchanges: [revocation.id, refresh.id],
    });
  }
  expectOAuthError(refresh, { status: 400, error: 'invalid_grant' });
}

function probeSaysAlive(probe: Probe): boolean | undefined {
  const response = probe.exchange.response;
  if (!response) return undefined;
  if (probe.kind === 'userinfo') return response.status >= 200 && response.status < 300;
  if (response.status !== 200) return undefined;
  const active = (response.json as Record<string, unknown> | undefined)?.active;
  return typeof active === 'boolean' ? active : undefined;
}

function probeSummary(probes: Probe[]): Record<string, unknown> {
  return Object.fromEntries(probes.map((p) => [p.kind, p.kind === 'userinfo' ? p.exchange.response?.status : (p.exchange.response?.json ?? describe(p.exchange))]));
}

/** The probes that could tell (introspection that answered 200 with a boolean, any userinfo answer); SKIP when none could. */
function conclusive(probes: Probe[]): Probe[] {
  const usable = probes.filter((p) => probeSaysAlive(p) !== undefined);
  if (usable.length === 0) {
    throw new CheckSkip(`nothing could tell whether the token still works (${probes.map((p) => `${p.kind} ${p.exchange.id}: ${describe(p.exchange)}`).join('; ')})`);
  }
  return usable;
}

/** Every conclusive probe shows the token dead (introspection active:false, userinfo refused). */
export function judgeTokenDead(probes: Probe[], what: string, cited: string[] = []): void {
  const exchanges = [...cited, ...probes.map((p) => p.exchange.id)];
  for (const probe of conclusive(probes)) {
    if (probeSaysAlive(probe)) {
      failCheck(`${what} still works: ${probe.kind === 'userinfo' ? 'userinfo accepts it' : 'introspection says active:true'}`, { expected: 'refused / active:false', actual: probeSummary(probes), exchanges });
    }
  }
}

/** Every conclusive probe shows the token still working. */
export function judgeTokenAlive(probes: Probe[], what: string, cited: string[] = []): void {
  const exchanges = [...cited, ...probes.map((p) => p.exchange.id)];
  for (const probe of conclusive(probes)) {
    if (!probeSaysAlive(probe)) {
      failCheck(`${what} no longer works (${probe.kind}: ${probe.kind === 'introspection' ? JSON.stringify(probe.exchange.response?.json ?? null) : describe(probe.exchange)})`, {
        expected: 'the token still valid',
        actual: probeSummary(probes),
        exchanges,
      });
    }
  }
}

/**
 * An access token revocation: 200 and the token dead at once. unsupported_token_type is the
 * honest answer of a server that cannot revoke access tokens (RFC 7009 2.2.1), which the SHOULD
 * of RFC 7009 2 still counts against it; a 200 that leaves the token working is a false 200.
 */
export function judgeAccessTokenRevoked(revocation: Exchange, probes: Probe[]): void {
  if (errorOf(revocation) === 'unsupported_token_type') {
    failCheck('the server does not revoke access tokens (unsupported_token_type)', { expected: 200, actual: describe(revocation), exchanges: [revocation.id] });
  }
  judgeRevocation200(revocation, 'revoking the access token');
  judgeTokenDead(probes, 'the access token revoked with a 200', [revocation.id]);
}

/** What showed afterwards that a token survived a refused revocation: a refresh, or probes of the access token. */
export type Afterwards = { refresh: Exchange } | { probes: Probe[] };

function judgeStillValid(revocation: Exchange, after: Afterwards, why: string): void {
  if ('probes' in after) {
    judgeTokenAlive(after.probes, `the access token, after ${why},`, [revocation.id]);
    return;
  }
  const refresh = after.refresh;
  if (refresh.response?.status !== 200) {
    failCheck(`the refresh token no longer works after ${why}: ${describe(refresh)}`, { expected: 200, actual: { status: refresh.response?.status, error: errorOf(refresh) }, exchanges: [revocation.id, refresh.id] });
  }
}

/** A wrong client secret: invalid_client as at the token endpoint (RFC 7009 2.2.1), and the token untouched. */
export function judgeWrongSecretRefused(revocation: Exchange, after: Afterwards): void {
  if (revocation.response?.status === 200) {
    failCheck('a revocation request with a wrong client secret was accepted (HTTP 200)', { expected: 'invalid_client', actual: 200, exchanges: [revocation.id] });
  }
  expectInvalidClient(revocation);
  judgeStillValid(revocation, after, 'a revocation request with a wrong client secret');
}

/** Another client's request: 200 or a 4xx (policy), never a 5xx; the token must still work (RFC 7009 2.1). */
export function judgeOtherClientRefused(revocation: Exchange, after: Afterwards): void {
  const status = revocation.response?.status;
  if (status === undefined || status >= 500 || (status > 200 && status < 400)) {
    failCheck(`another client's revocation request was answered with ${describe(revocation)}`, { expected: '200 or a 4xx error', actual: status, exchanges: [revocation.id] });
  }
  judgeStillValid(revocation, after, 'another client asked to revoke it');
}

// ---- revoking an access token: the refresh token's fate (REV-09) --------------------------------

/**
 * REV-09 (RFC 7009 2.1: the server MAY revoke the refresh token too): what a refresh right after
 * the access token's revocation showed, against the declared policy; recorded when none is declared.
 */
export function judgeAccessRevokesRefresh(revocation: Exchange, refresh: Exchange, declared: boolean | undefined): string {
  if (revocation.response?.status !== 200) {
    throw new CheckSkip(`the access token was not revoked (${revocation.id}: ${describe(revocation)}; see revocation/access-token-revoked)`);
  }
  const exchanges = [revocation.id, refresh.id];
  let revokes: boolean;
  if (refresh.response?.status === 200) revokes = false;
  else if (refresh.response?.status === 400 && errorOf(refresh) === 'invalid_grant') revokes = true;
  else {
    failCheck(`the refresh after the access token's revocation was answered with ${describe(refresh)}, neither tokens nor invalid_grant`, { expected: '200, or 400 invalid_grant', actual: describe(refresh), exchanges });
  }
  const observed = revokes ? 'revokes the refresh token too' : 'leaves the refresh token valid';
  if (declared === undefined) return `revoking an access token ${observed} (recorded: the profile declares no policy, policies.access_token_revocation_revokes_refresh)`;
  if (declared !== revokes) {
    failCheck(`revoking an access token ${observed}, but the profile declares that it ${declared ? 'revokes' : 'leaves'} the refresh token${declared ? ' too' : ' valid'}`, {
      expected: declared ? 'the refresh token revoked' : 'the refresh token still valid',
      actual: describe(refresh),
      exchanges,
    });
  }
  return `revoking an access token ${observed}, as declared`;
}

// ---- tokens obtained through a race (REV-17) ------------------------------------------------------

/** A token some concurrent refresh issued, and what a later request showed about it. */
export interface RaceToken {
  what: string;
  /** A refresh attempt with a refresh token. */
  refresh?: Exchange;
  /** Probes of an access token. */
  probes?: Probe[];
}

/** REV-17: after the grant's refresh token was revoked, no token any of the racing refreshes obtained still works. */
export function judgeRaceTokensRevoked(revocation: Exchange, tokens: RaceToken[]): void {
  judgeRevocation200(revocation, 'revoking the refresh token of the raced grant');
  if (tokens.length === 0) throw new CheckSkip('none of the concurrent refreshes obtained a token');
  const alive: string[] = [];
  const exchanges = [revocation.id];
  for (const token of tokens) {
    if (token.refresh) {
      exchanges.push(token.refresh.id);
      if (token.refresh.response?.status === 200) alive.push(`${token.what} (${token.refresh.id}: it refreshes)`);
    }
    if (token.probes) {
      exchanges.push(...token.probes.map((p) => p.exchange.id));
      const usable = token.probes.filter((p) => probeSaysAlive(p) !== undefined);
      if (usable.some((p) => probeSaysAlive(p))) alive.push(`${token.what} (${usable.filter((p) => probeSaysAlive(p)).map((p) => `${p.kind} ${p.exchange.id}`).join(', ')})`);
    }
  }
  if (alive.length > 0) {
    failCheck(`tokens obtained by the concurrent refreshes survive the revocation: ${alive.join('; ')}`, { expected: 'every token of the grant revoked', actual: alive, exchanges });
  }
}

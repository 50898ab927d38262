// Refresh tokens (RFC 6749 6, OIDC Core 12, RFC 9700 4.14.2), obtained through the password grant
// (else the code flow) as the basic client. Steps are memoised per file, so every scenario that
// consumes, replays or may lose its refresh token has its own grant; checks that only look share one.
import { randomBytes } from 'node:crypto';
import { CheckSkip, skipCheck } from '../../harness/checks.ts';
import { fetchJwks, memberOf, refreshTokenGrant } from '../../harness/flows/steps.ts';
import { refreshScope, sourceName, userGrants, userRefreshRule } from '../../harness/flows/user-tokens.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { clientPost } from '../../harness/oauth/token-request.ts';
import { type SuiteContext, createSuite } from '../../harness/suite.ts';
import type { Target } from '../../harness/target.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';
import { sinceAnswer } from '../support/timing.ts';

const suite = createSuite('refresh-token');
const userGrant = userGrants(suite, 'refresh-token');

interface Issued {
  exchange: Exchange;
  /** The scope the grant asked for. */
  requested: string[];
  refreshToken?: string;
}

/** The scope that makes the grant (password, else code flow) issue a refresh token under the documented rule. */
function grantScope(target: Target): string[] {
  if (userRefreshRule(target) === 'never') skipCheck(`the profile documents that ${sourceName(target)} issues no refresh token`);
  return refreshScope(target, ['openid', 'profile']);
}

function ruleText(target: Target): string {
  const rule = userRefreshRule(target);
  const text = rule === 'always' ? 'always' : rule === 'offline_access+prompt_consent' ? 'with offline_access and prompt=consent' : 'with offline_access';
  return `${sourceName(target).replace(/^the /, '')}: ${text}`;
}

/** The basic client plays the refreshing client; a public one would make rotation a MUST. */
function isPublic(target: Target): boolean {
  return target.client('basic').auth_method === 'none';
}

/** `separate`: a scenario that may end its whole grant (a replay) gets a code flow session of its own. */
function grantStep(scenario: string, separate = false): () => Promise<Issued> {
  return suite.step(`grant (${scenario})`, async (ctx) => {
    const requested = grantScope(ctx.target);
    const exchange = await userGrant(ctx, { scope: requested.join(' '), label: scenario, separate });
    const issued: Issued = { exchange, requested };
    const refreshToken = memberOf(exchange, 'refresh_token');
    if (refreshToken !== undefined) issued.refreshToken = refreshToken;
    return issued;
  });
}

/** The refresh token to test with; SKIP (naming the answer) when the grant issued none. */
function usable(issued: Issued): string {
  if (issued.refreshToken !== undefined) return issued.refreshToken;
  const { exchange } = issued;
  const error = memberOf(exchange, 'error');
  throw new CheckSkip(`no refresh token to test with: the grant answered HTTP ${exchange.response?.status ?? 'nothing'}${error ? ` ${error}` : ' without one'} (${exchange.id}; see refresh-token/refresh-works)`);
}

/** A step's result, or undefined when it SKIPs (for checks that judge whatever there is). */
async function optional<T>(step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CheckSkip) return undefined;
    throw error;
  }
}

/**
 * The token with one character near its middle changed. Not the last character of a base64url run
 * (before a "." or the end), whose low bits may be padding that decoders ignore: there every bit
 * counts, so a structured token changes its bytes too.
 */
function tamper(token: string): string {
  const chars = [...token];
  for (let offset = 0; offset < chars.length; offset++) {
    const i = (Math.floor(chars.length / 2) + offset) % chars.length;
    const next = chars[i + 1];
    if (/[A-Za-z0-9]/.test(chars[i]!) && next !== undefined && next !== '.') {
      chars[i] = chars[i] === 'A' ? 'B' : 'A';
      return chars.join('');
    }
  }
  return `${token}A`;
}

// ---- main scenario: refresh without scope, judged by every check that only looks --------------

const jwks = suite.step('JWK Set', fetchJwks);
const mainGrant = grantStep('main');
const mainRefresh = suite.step('refresh without scope (main)', async (ctx) => {
  const issued = await mainGrant();
  const token = usable(issued);
  await sinceAnswer(issued.exchange, 1100); // so that an ID token keeping the original iat shows
  return refreshTokenGrant(ctx, token, { label: 'refresh: without scope' });
});

suite.check(check.refreshWorks, async ({ target }) => {
  const issued = await mainGrant();
  if (memberOf(issued.exchange, 'access_token') === undefined) {
    skipCheck(`${sourceName(target)} itself failed (${issued.exchange.id}, HTTP ${issued.exchange.response?.status ?? 'nothing'}): the password and code-flow suites judge it`);
  }
  const refresh = issued.refreshToken === undefined ? undefined : await mainRefresh();
  return judge.judgeRefreshWorks(issued.exchange, refresh, ruleText(target));
});

suite.check(check.noStore, async () => judge.judgeNoStore(await mainRefresh()));

suite.check(check.scopeKept, async () => {
  const issued = await mainGrant();
  return judge.judgeScopeKept(issued.exchange, issued.requested, await mainRefresh());
});

suite.check(check.rotation, async ({ target }) => {
  const issued = await mainGrant();
  return judge.judgeRotation(usable(issued), await mainRefresh(), target.refreshPolicy(), isPublic(target));
});

// ---- the refreshed ID token -----------------------------------------------------------------------

async function idTokens(): Promise<judge.IdTokenPair> {
  const issued = await mainGrant();
  return judge.idTokenPair(issued.exchange, await mainRefresh());
}

suite.check(check.idTokenValid, async ({ target }) => {
  const refresh = await mainRefresh();
  const client = target.client('basic');
  const { jwks: keys, exchange } = await jwks();
  const expectations: Parameters<typeof judge.judgeRefreshedIdTokenValid>[1] = { issuer: target.issuer, clientId: client.client_id, jwks: keys };
  if (client.client_secret !== undefined) expectations.clientSecret = client.client_secret;
  const sub = target.user().sub;
  if (sub !== undefined) expectations.sub = sub;
  const passed = await judge.judgeRefreshedIdTokenValid(refresh, expectations);
  return { ...passed, exchanges: [...(passed.exchanges ?? []), exchange.id] };
});

suite.check(check.accessTokenAuthClaims, async () => judge.judgeAccessTokenAuthClaims((await mainGrant()).exchange, await mainRefresh()));

suite.check(check.idTokenSameIdentity, async () => judge.judgeSameIdentity(await idTokens()));
suite.check(check.idTokenNewIat, async () => judge.judgeNewIat(await idTokens()));
suite.check(check.idTokenAuthTime, async () => judge.judgeAuthTime(await idTokens()));
suite.check(check.idTokenNonce, async () => judge.judgeNonce(await idTokens()));

// ---- rotation: use once, replay the retired token, then try its successor -------------------------

const reuseGrant = grantStep('reuse', true);
const reuseFirst = suite.step('refresh (reuse: first use)', async (ctx) => {
  const presented = usable(await reuseGrant());
  return { presented, exchange: await refreshTokenGrant(ctx, presented, { label: 'refresh: first use' }) };
});
const reuseReplay = suite.step('refresh with the rotated-out token', async (ctx) => {
  const first = await reuseFirst();
  judge.requireRotated(first.presented, first.exchange, ctx.target.refreshPolicy());
  return refreshTokenGrant(ctx, first.presented, { label: 'refresh: replay of the rotated-out token' });
});
const reuseSuccessor = suite.step('refresh with the successor after the replay', async (ctx) => {
  const first = await reuseFirst();
  await reuseReplay();
  const successor = memberOf(first.exchange, 'refresh_token');
  if (successor === undefined) skipCheck('no successor refresh token');
  return refreshTokenGrant(ctx, successor, { label: 'refresh: successor after the replay' });
});

suite.check(check.reuseRefused, async ({ target }) => {
  const first = await reuseFirst();
  const policy = target.refreshPolicy();
  judge.requireRotated(first.presented, first.exchange, policy);
  return judge.judgeReuseRefused(first.presented, first.exchange, await reuseReplay(), policy, isPublic(target));
});

suite.check(check.reuseRevokesFamily, async ({ target }) => {
  const first = await reuseFirst();
  const policy = target.refreshPolicy();
  judge.requireRotated(first.presented, first.exchange, policy);
  const replay = await reuseReplay();
  const successor = judge.issuedTokens(replay) ? undefined : await reuseSuccessor();
  return judge.judgeFamilyRevoked(first.presented, first.exchange, replay, successor, policy, isPublic(target));
});

// ---- scope: wider, narrower, and what the successor of a narrowed refresh keeps -------------------

const EXTRA_SCOPES = ['email', 'phone', 'address', 'profile'];

const widerGrant = grantStep('wider scope');
const widerRefresh = suite.step('refresh with a wider scope', async (ctx) => {
  const issued = await widerGrant();
  const token = usable(issued);
  const original = judge.grantedScope(issued.exchange, issued.requested);
  const extra = EXTRA_SCOPES.find((s) => !original.includes(s));
  if (extra === undefined) skipCheck(`the grant already holds every standard scope (${original.join(' ')}): nothing to widen with`);
  const requested = [...original, extra];
  return { requested, extra, exchange: await refreshTokenGrant(ctx, token, { scope: requested.join(' '), label: `refresh: scope widened by ${extra}` }) };
});

suite.check(check.scopeNotWidened, async () => {
  const { requested, extra, exchange } = await widerRefresh();
  return judge.judgeScopeNotWidened(requested, extra, exchange);
});

const narrowGrant = grantStep('narrower scope');
const narrowRefresh = suite.step('refresh with a narrower scope', async (ctx) => {
  const issued = await narrowGrant();
  const token = usable(issued);
  const original = judge.grantedScope(issued.exchange, issued.requested);
  const dropped = original.find((s) => s !== 'openid' && s !== 'offline_access');
  if (dropped === undefined) skipCheck(`the grant holds no scope besides openid and offline_access (${original.join(' ')}): nothing to narrow`);
  const requested = original.filter((s) => s !== dropped);
  return { original, requested, exchange: await refreshTokenGrant(ctx, token, { scope: requested.join(' '), label: `refresh: scope narrowed (without ${dropped})` }) };
});
const narrowFollowUp = suite.step('refresh the successor of the narrowed refresh', async (ctx) => {
  const { exchange } = await narrowRefresh();
  const successor = memberOf(exchange, 'refresh_token');
  if (successor === undefined) skipCheck('no successor refresh token');
  return refreshTokenGrant(ctx, successor, { label: 'refresh: successor of the narrowed refresh, without scope' });
});

suite.check(check.scopeNarrowed, async () => {
  const { requested, exchange } = await narrowRefresh();
  return judge.judgeScopeNarrowed(requested, exchange);
});

suite.check(check.successorScope, async () => {
  const { original, exchange } = await narrowRefresh();
  const followUp = judge.issuedTokens(exchange) && memberOf(exchange, 'refresh_token') !== undefined ? await narrowFollowUp() : undefined;
  return judge.judgeSuccessorScope(original, exchange, followUp);
});

// ---- refusals: another client, no client authentication, invalid tokens ---------------------------

const boundGrant = grantStep('client binding');
const boundAttempt = suite.step('refresh as the second client', async (ctx) => {
  const second = ctx.target.client('second');
  if (second.client_id === ctx.target.client('basic').client_id) skipCheck('the "second" client of the profile is the basic client itself');
  const token = usable(await boundGrant());
  return refreshTokenGrant(ctx, token, { role: 'second', label: 'refresh: as the second client' });
});

suite.check(check.clientBound, async () => judge.judgeClientBound(await boundAttempt()));

const authGrant = grantStep('client authentication');
const authAttempts = suite.step('refresh without valid client authentication', async (ctx: SuiteContext) => {
  const client = ctx.target.client('basic');
  if (client.auth_method === 'none') skipCheck('the basic client of the profile is public: it has no credentials to leave out');
  const token = usable(await authGrant());
  const url = ctx.target.endpoint('token');
  const form = { grant_type: 'refresh_token', refresh_token: token };
  const attempts: judge.Attempt[] = [];
  const send = async (what: string, request: Parameters<SuiteContext['http']['send']>[0]) => {
    attempts.push({ what, exchange: await ctx.http.send(request) });
  };
  await send('no client credentials', { method: 'POST', url, form, label: 'refresh: no client authentication' });
  await send('a client_id and no secret', { method: 'POST', url, form: { ...form, client_id: client.client_id }, label: 'refresh: client_id only' });
  await send('a wrong client secret', clientPost(url, { ...client, client_secret: `${client.client_secret ?? ''}-wrong` }, form, 'refresh: wrong client secret'));
  return attempts;
});

suite.check(check.clientAuthRequired, async () => judge.judgeClientAuthRequired(await authAttempts()));

const tamperGrant = grantStep('altered token');
const garbageAttempt = suite.step('refresh with a made-up token', async (ctx) => {
  // A refresh token issued is proof enough that refresh is offered; without one, ask the target.
  if ((await optional(tamperGrant))?.refreshToken === undefined) ctx.target.requireGrant('refresh_token');
  return refreshTokenGrant(ctx, randomBytes(32).toString('base64url'), { label: 'refresh: made-up refresh token' });
});
const tamperedAttempt = suite.step('refresh with an altered token', async (ctx) => {
  const token = usable(await tamperGrant());
  return refreshTokenGrant(ctx, tamper(token), { label: 'refresh: refresh token with one character changed' });
});

suite.check(check.invalidTokenRefused, async () => {
  const attempts: judge.Attempt[] = [{ what: 'a made-up refresh token', exchange: await garbageAttempt() }];
  const tampered = await optional(tamperedAttempt);
  if (tampered) attempts.push({ what: 'a real refresh token with one character changed', exchange: tampered });
  return judge.judgeInvalidTokenRefused(attempts);
});

suite.check(check.errorFormat, async () => {
  const exchanges = [await garbageAttempt(), ...((await optional(authAttempts)) ?? []).map((a) => a.exchange)];
  return judge.judgeErrorFormat(exchanges);
});

// ---- guessing: every refresh token this file was issued ------------------------------------------

suite.check(check.unguessable, async () => {
  const issued: judge.IssuedToken[] = [];
  // Each grant issues its own token; a refresh response counts only when it rotated.
  for (const grant of [mainGrant, reuseGrant, narrowGrant, widerGrant]) {
    const result = await optional(grant);
    if (result?.refreshToken !== undefined) issued.push({ token: result.refreshToken, exchange: result.exchange.id });
  }
  const rotated = [
    { presented: (await optional(mainGrant))?.refreshToken, exchange: await optional(mainRefresh) },
    { presented: (await optional(reuseFirst))?.presented, exchange: (await optional(reuseFirst))?.exchange },
  ];
  for (const { presented, exchange } of rotated) {
    const token = exchange && judge.issuedTokens(exchange) ? memberOf(exchange, 'refresh_token') : undefined;
    if (exchange && token !== undefined && token !== presented) issued.push({ token, exchange: exchange.id });
  }
  return judge.judgeUnguessable(issued);
});

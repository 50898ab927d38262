// What the code flow's grants may and may not do afterwards: the refresh-token rule (offline_access
// x prompt=consent, as the profile documents it), refresh use, rotation and client binding; one-time
// use of the code, at once and after a delay, with the tokens of a reused code revoked; and the
// concurrency rows of REQUIREMENTS.md section 20 (parallel redemptions and refreshes, revocation
// without a window, logout against silent login). The file's requests share one browser session (one
// login), each sent when a selected check first needs it; the logout test has a session of its own,
// since it ends its login.
import { lookup } from 'node:dns/promises';
import { CheckSkip, skipCheck } from '../../harness/checks.ts';
import { type AuthorizationRun, type AuthorizationSpec, authorizeIn, redeemCode, requireResponseType, withBrowser } from '../../harness/flows/authorization.ts';
import { memberOf, refreshTokenGrant, revokeToken, userinfoRequest } from '../../harness/flows/steps.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { type Form, clientPost } from '../../harness/oauth/token-request.ts';
import type { ClientRole } from '../../harness/profile/types.ts';
import { type SuiteContext, createSuite } from '../../harness/suite.ts';
import type { EndpointName, Target } from '../../harness/target.ts';
import * as refreshJudge from '../refresh-token/judges.ts';
import * as check from './checks.ts';
import { authorizationSteps, codeRequest, redemptionSteps, refreshMatrixRequest, requireCodeFlow } from './flows.ts';
import * as judge from './judges.ts';
import { sinceAnswer } from '../support/timing.ts';

const suite = createSuite('refresh-and-reuse');
const PARALLEL = 5;

type MatrixFlow = 'plain' | 'consent' | 'offline' | 'offline-consent';
type Flow =
  | MatrixFlow
  | 'reuse'
  | 'parallel-code'
  | 'per-node'
  | 'parallel-refresh'
  | 'revocation'
  | 'implicit-offline';

/**
 * The four cells of the offline_access x prompt=consent matrix, as the basic client. The code of
 * the "offline" cell is also the one redeemed again after a delay: its first redemption is that
 * cell's answer, the second is made by the file's last check.
 */
const MATRIX: Array<[MatrixFlow, boolean, boolean]> = [
  ['plain', false, false],
  ['consent', false, true],
  ['offline', true, false],
  ['offline-consent', true, true],
];

/** A request the documented rule answers with a refresh token, whatever the rule (but "never"). */
const withRefresh = (role: ClientRole): AuthorizationSpec => refreshMatrixRequest(role, true, true);

const REQUESTS: Record<Flow, () => AuthorizationSpec> = {
  ...(Object.fromEntries(MATRIX.map(([flow, offline, consent]) => [flow, () => refreshMatrixRequest('basic', offline, consent)])) as Record<MatrixFlow, () => AuthorizationSpec>),
  reuse: () => withRefresh('basic'),
  'parallel-code': () => codeRequest('basic'),
  'per-node': () => codeRequest('basic'),
  'parallel-refresh': () => withRefresh('public'),
  revocation: () => withRefresh('basic'),
  'implicit-offline': () => ({ role: 'basic', responseType: 'id_token token', scope: 'openid offline_access', params: { prompt: 'consent' } }),
};

const run = authorizationSteps(suite, 'code flows for refresh and reuse', REQUESTS, (target, flow) =>
  flow === 'implicit-offline' ? requireResponseType(target, 'id_token token') : requireCodeFlow(target),
);

/** The addresses the token endpoint's host resolves to: the nodes CON-02 races. */
const tokenEndpointNodes = suite.step("the token endpoint's addresses (DNS)", async ({ target }) => {
  const host = new URL(target.endpoint('token')).hostname;
  try {
    return [...new Set((await lookup(host, { all: true })).map((a) => a.address))];
  } catch {
    return [];
  }
});

/** Whether the target offers the endpoint (false where it would SKIP). */
function offersEndpoint(target: Target, name: EndpointName): boolean {
  try {
    target.endpoint(name);
    return true;
  } catch (error) {
    if (error instanceof CheckSkip) return false;
    throw error;
  }
}

const redeemed = redemptionSteps(suite, run, ['plain', 'consent', 'offline', 'offline-consent', 'reuse', 'revocation', 'parallel-refresh'] as const);

/** The refresh token a redemption issued; SKIP (naming the rule) when none. */
function refreshTokenOf(grant: Exchange, target: Target): string {
  judge.requireRedeemed(grant, 'code-flow/refresh-token-rule');
  const token = memberOf(grant, 'refresh_token');
  if (token === undefined) skipCheck(`no refresh token to test with (${grant.id}; the rule "${target.refreshPolicy().codeFlow}", see code-flow/refresh-token-rule)`);
  return token;
}

/** Tries the access token (at UserInfo) and the refresh token a redemption issued. */
async function tryTokens(ctx: SuiteContext, grant: Exchange, role: ClientRole, whose: string): Promise<judge.Attempt[]> {
  const attempts: judge.Attempt[] = [];
  const accessToken = memberOf(grant, 'access_token');
  const refreshToken = memberOf(grant, 'refresh_token');
  if (accessToken !== undefined && offersEndpoint(ctx.target, 'userinfo')) {
    attempts.push({ what: `the access token ${whose}`, exchange: await userinfoRequest(ctx, { token: accessToken, label: `userinfo: the access token ${whose}` }) });
  }
  if (refreshToken !== undefined) {
    attempts.push({ what: `the refresh token ${whose}`, exchange: await refreshTokenGrant(ctx, refreshToken, { role, label: `refresh: the refresh token ${whose}` }) });
  }
  return attempts;
}

// ---- the refresh-token rule -------------------------------------------------------------------------

suite.check(check.refreshTokenRule, async ({ target }) => {
  const combinations: judge.RefreshCombination[] = [];
  for (const [flow, offlineAccess, promptConsent] of MATRIX) {
    const flowRun = await run(flow);
    const answered = flowRun.result.params.code === undefined ? `the authorization endpoint answered ${judge.describeAnswer(flowRun)}` : await redeemed[flow]();
    combinations.push({ offlineAccess, promptConsent, redemption: answered });
  }
  return judge.judgeRefreshRule(combinations, target.refreshPolicy().codeFlow);
});

suite.check(check.offlineAccessConsent, async ({ http }) => {
  const offline = await run('offline-consent');
  const pages = offline.result.exchanges.map((id) => http.exchange(id)).filter((e): e is Exchange => e !== undefined);
  return judge.judgeOfflineAccessConsent(await run('consent'), offline, pages);
});

suite.check(check.offlineAccessNeedsCode, async ({ target }) => {
  requireResponseType(target, 'id_token token');
  return judge.judgeOfflineNeedsCode(await run('implicit-offline'));
});

// ---- refresh use, client binding and rotation (the basic client's offline_access + consent grant) ----

const firstRefresh = suite.step('refresh with the code flow refresh token', async (ctx) => {
  const presented = refreshTokenOf(await redeemed['offline-consent'](), ctx.target);
  return { presented, exchange: await refreshTokenGrant(ctx, presented, { label: 'refresh: the code flow refresh token' }) };
});

suite.check(check.refreshWorks, async ({ target }) => {
  const rule = target.refreshPolicy().codeFlow;
  if (rule === 'never') skipCheck('the profile documents that the code flow issues no refresh token (policies.refresh_token.code_flow "never")');
  const grant = await redeemed['offline-consent']();
  const refresh = memberOf(grant, 'refresh_token') === undefined ? undefined : (await firstRefresh()).exchange;
  return judge.judgeRefreshWorks(grant, refresh, rule);
});

// Before the rotation check replays the retired token: a replay may revoke the whole grant.
suite.check(check.refreshClientBound, async (ctx) => {
  const second = ctx.target.client('second');
  if (second.client_id === ctx.target.client('basic').client_id) skipCheck('the "second" client of the profile is the basic client itself');
  const first = await firstRefresh();
  if (!judge.issuedTokens(first.exchange)) skipCheck(`the refresh (${first.exchange.id}) did not succeed (see code-flow/refresh-works)`);
  const live = memberOf(first.exchange, 'refresh_token') ?? first.presented;
  return refreshJudge.judgeClientBound(await refreshTokenGrant(ctx, live, { role: 'second', label: 'refresh: as the second client' }));
});

suite.check(check.refreshRotated, async (ctx) => {
  const policy = ctx.target.refreshPolicy();
  const publicClient = ctx.target.client('basic').auth_method === 'none';
  const first = await firstRefresh();
  const rotation = refreshJudge.judgeRotation(first.presented, first.exchange, policy, publicClient);
  if (policy.rotation === 'never') return rotation;
  const replay = await refreshTokenGrant(ctx, first.presented, { label: 'refresh: the rotated-out token again' });
  const reuse = refreshJudge.judgeReuseRefused(first.presented, first.exchange, replay, policy, publicClient);
  return { exchanges: [first.exchange.id, replay.id], message: `${rotation.message ?? ''}; ${reuse.message ?? ''}` };
});

// ---- one-time use of the code --------------------------------------------------------------------

const reuseSecond = suite.step('the same code redeemed again', async (ctx) => {
  await redeemed.reuse();
  return redeemCode(ctx, await run('reuse'), { label: 'code redemption: the same code again' });
});

suite.check(check.codeReuseRefused, async () => judge.judgeReuseRefused(await redeemed.reuse(), await reuseSecond()));

suite.check(check.codeReuseRevokesTokens, async (ctx) => {
  const first = await redeemed.reuse();
  const second = await reuseSecond();
  judge.requireRedeemed(first, 'code-flow/code-reuse-refused');
  if (judge.issuedTokens(second)) skipCheck(`the second redemption (${second.id}) was accepted (see code-flow/code-reuse-refused)`);
  const attempts = await tryTokens(ctx, first, 'basic', 'of the first redemption');
  return judge.judgeTokensDead(attempts, 'after the code was redeemed a second time');
});

// ---- races: one code, one refresh token ---------------------------------------------------------------

/** The redemption form of a run's code, without client authentication. */
function redemptionForm(flowRun: AuthorizationRun, code: string): Form {
  const form: Form = { grant_type: 'authorization_code', code, redirect_uri: flowRun.sent.redirectUri };
  if (flowRun.sent.codeVerifier !== undefined) form.code_verifier = flowRun.sent.codeVerifier;
  return form;
}

const codeRace = suite.step(`${PARALLEL} parallel redemptions of one code`, async (ctx) => {
  const flowRun = await run('parallel-code');
  judge.requireCode(flowRun, 'race');
  return Promise.all(Array.from({ length: PARALLEL }, (_, i) => redeemCode(ctx, flowRun, { label: `code redemption: parallel ${i + 1} of ${PARALLEL}` })));
});

suite.check(check.parallelRedemptionOnce, async () => judge.judgeAtMostOnce(await codeRace(), 'one code'));

suite.check(check.parallelRedemptionPerNode, async (ctx) => {
  const nodes = await tokenEndpointNodes();
  if (nodes.length < 2) {
    skipCheck(`the token endpoint resolves to ${nodes.length === 1 ? `a single address (${nodes[0]})` : 'no address the harness could look up'}: no nodes to race (code-flow/parallel-redemption-once covers one node)`);
  }
  const flowRun = await run('per-node');
  const code = judge.requireCode(flowRun, 'race across nodes');
  const url = ctx.target.endpoint('token');
  const race = await Promise.all(nodes.map((address) => ctx.http.send({ ...clientPost(url, flowRun.sent.client, redemptionForm(flowRun, code), `code redemption: node ${address}`), connectTo: address })));
  return judge.judgeAtMostOnce(race, `one code sent to ${nodes.length} nodes`);
});

suite.check(check.parallelRedemptionRevokes, async (ctx) => {
  const { winners, refused } = judge.raceOutcome(await codeRace());
  if (winners.length === 0) skipCheck('no parallel redemption succeeded: no token to try');
  if (refused.length === 0) skipCheck('every parallel redemption succeeded (see code-flow/parallel-redemption-once)');
  ctx.target.endpoint('userinfo');
  const attempts: judge.Attempt[] = [];
  for (const winner of winners) {
    attempts.push({ what: `the access token of ${winner.id}`, exchange: await userinfoRequest(ctx, { token: memberOf(winner, 'access_token')!, label: `userinfo: access token of the race winner ${winner.id}` }) });
  }
  return judge.judgeTokensDead(attempts, `after ${refused.length} parallel redemptions of its code were refused`);
});

const refreshRace = suite.step(`${PARALLEL} parallel refreshes with one refresh token (public client)`, async (ctx) => {
  const grant = await redeemed['parallel-refresh']();
  const presented = refreshTokenOf(grant, ctx.target);
  const race = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => refreshTokenGrant(ctx, presented, { role: 'public', label: `refresh: parallel ${i + 1} of ${PARALLEL}` })));
  return { grant, presented, race };
});

suite.check(check.parallelRefreshOnce, async ({ target }) => {
  if (target.refreshPolicy().rotation === 'never') skipCheck('the documented policy is no rotation ("never"): parallel refreshes with one token are all legitimate');
  return judge.judgeAtMostOnce((await refreshRace()).race, 'one refresh token');
});

suite.check(check.parallelRefreshRevokesFamily, async (ctx) => {
  const policy = ctx.target.refreshPolicy();
  if (policy.rotation === 'never') skipCheck('the documented policy is no rotation ("never"): no reuse to detect');
  const { presented, race } = await refreshRace();
  const { winners, refused } = judge.raceOutcome(race);
  if (winners.length !== 1 || refused.length === 0) skipCheck(`${winners.length} of ${race.length} parallel refreshes succeeded: no single winner next to refused reuses (see code-flow/parallel-refresh-once)`);
  const winner = winners[0]!;
  const successor = memberOf(winner, 'refresh_token');
  const attempt = successor === undefined ? undefined : await refreshTokenGrant(ctx, successor, { role: 'public', label: "refresh: the race winner's new refresh token" });
  return refreshJudge.judgeFamilyRevoked(presented, winner, refused[0]!, attempt, policy, true);
});

suite.check(check.raceTokensRevokedWithGrant, async (ctx) => {
  ctx.target.endpoint('revocation');
  const { grant, presented, race } = await refreshRace();
  const revocation = await revokeToken(ctx, presented, { role: 'public', hint: 'refresh_token', label: 'revocation: the refresh token the race started from' });
  if (revocation.response?.status !== 200) skipCheck(`the revocation (${revocation.id}) answered HTTP ${revocation.response?.status ?? 'nothing'} (the revocation suite judges it)`);
  const attempts = await tryTokens(ctx, grant, 'public', 'of the redemption');
  for (const winner of judge.raceOutcome(race).winners) attempts.push(...(await tryTokens(ctx, winner, 'public', `won in the race (${winner.id})`)));
  const judged = judge.judgeTokensDead(attempts, 'after the refresh token of their grant was revoked');
  return { ...judged, exchanges: [revocation.id, ...(judged.exchanges ?? [])] };
});

suite.check(check.revocationImmediate, async (ctx) => {
  ctx.target.endpoint('revocation');
  const grant = await redeemed.revocation();
  const refreshToken = refreshTokenOf(grant, ctx.target);
  const accessToken = memberOf(grant, 'access_token')!;
  const userinfo = offersEndpoint(ctx.target, 'userinfo');
  // Recorded, not judged: a request racing the revocation may legitimately still pass.
  const during = userinfo ? userinfoRequest(ctx, { token: accessToken, label: 'userinfo: in parallel with the revocation' }) : undefined;
  const revocation = await revokeToken(ctx, refreshToken, { hint: 'refresh_token', label: 'revocation: the refresh token' });
  const [refresh, afterwards] = await Promise.all([
    refreshTokenGrant(ctx, refreshToken, { label: 'refresh: right after the revocation answered' }),
    userinfo ? userinfoRequest(ctx, { token: accessToken, label: 'userinfo: right after the revocation answered' }) : undefined,
  ]);
  const raced = await during;
  const judged = judge.judgeRevocationImmediate(revocation, refresh, afterwards);
  return raced ? { ...judged, evidence: { inParallelWithRevocation: { exchange: raced.id, status: raced.response?.status } } } : judged;
});

// ---- logout against silent login (a session of its own: it ends its login) ------------------------------

const logoutSession = suite.step('browser session: logout, then prompt=none', (ctx) => {
  requireCodeFlow(ctx.target);
  const endSession = ctx.target.endpoint('end_session');
  return withBrowser(ctx, 'logout then prompt=none', async (browser) => {
    const signedIn = await authorizeIn(ctx, browser, codeRequest('basic'), 'code flow before the logout');
    judge.requireCode(signedIn, 'get an ID token for id_token_hint from');
    const grant = await redeemCode(ctx, signedIn, { label: 'code redemption: the ID token for the logout' });
    const idToken = memberOf(grant, 'id_token');
    if (idToken === undefined) skipCheck(`the redemption (${grant.id}) returned no ID token to use as id_token_hint`);
    // login: false, so a provider that shows its login form after the logout is not signed in again;
    // the profile's logout steps confirm the logout where the provider asks.
    const confirm = ctx.target.profile.login?.logout;
    const logout = await browser.authorize({ endpoint: endSession, params: { id_token_hint: idToken }, label: 'RP-initiated logout' }, { login: false, ...(confirm ? { confirm } : {}) });
    const silent = await authorizeIn(ctx, browser, codeRequest('basic', { params: { prompt: 'none' } }), 'prompt=none after the logout');
    return { logout, silent };
  });
});

suite.check(check.logoutEndsSilentLogin, async ({ http }) => {
  const { logout, silent } = await logoutSession();
  const pages = logout.exchanges.map((id) => http.exchange(id)).filter((e): e is Exchange => e !== undefined);
  return judge.judgeLogoutEndsSilentLogin(logout, pages, silent);
});

// ---- reuse after a delay: last, so the file's other codes are redeemed before it waits -------------------

const delayMs = suite.target.codeReuseDelayMs();

suite.check(
  check.codeReuseAfterDelay,
  async (ctx) => {
    const flowRun = await run('offline');
    judge.requireCode(flowRun, 'reuse after a delay');
    const delayedFirst = await redeemed.offline();
    judge.requireRedeemed(delayedFirst, 'code-flow/code-reuse-refused');
    await sinceAnswer(delayedFirst, delayMs);
    const second = await redeemCode(ctx, flowRun, { label: `code redemption: the same code ${delayMs} ms after the first` });
    const refused = judge.judgeReuseRefused(delayedFirst, second);
    const attempts = await tryTokens(ctx, delayedFirst, 'basic', 'of the first redemption');
    if (attempts.length === 0) return refused;
    const dead = judge.judgeTokensDead(attempts, `after the code was redeemed again ${delayMs / 1000} s later`, { warnOnly: true });
    return { exchanges: [...(refused.exchanges ?? []), ...(dead.exchanges ?? [])], message: `${delayMs / 1000} s later: ${refused.message ?? ''}; ${dead.message ?? ''}` };
  },
  { waitsMs: delayMs },
);

// Token revocation (RFC 7009): every check revokes tokens of its own grant, so no check can
// spoil another's; whether a token still works is asked of the token endpoint (refresh tokens)
// or of introspection and userinfo (access tokens).
import { CheckSkip } from '../../harness/checks.ts';
import { type IssuedTokens, introspectToken, memberOf, refreshTokenGrant, revokeToken, userinfoRequest } from '../../harness/flows/steps.ts';
import { refreshScope, sourceName, userGrants, userRefreshRule, userTokens } from '../../harness/flows/user-tokens.ts';
import type { EndpointName } from '../../harness/target.ts';
import { clientPost } from '../../harness/oauth/token-request.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { judgeCors, judgeHttpsUrl } from '../discovery/judges.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('revocation');
const userGrant = userGrants(suite, 'revocation');
const GARBAGE_TOKEN = 'oidc-conformance-never-issued-3b8e51d0';
const UNKNOWN_HINT = 'oidc-conformance-unknown-hint';
const WRONG_SECRET = 'oidc-conformance-wrong-secret';
const CORS_ORIGIN = 'https://spa.example.org';

function offers({ target }: SuiteContext, endpoint: EndpointName): boolean {
  try {
    target.endpoint(endpoint);
    return true;
  } catch (error) {
    if (error instanceof CheckSkip) return false;
    throw error;
  }
}

/**
 * Fresh tokens of a new grant; the scope asks for a refresh token when the documented rule needs
 * offline_access. `separate`: a code flow in a browser session of its own, for a check that revokes
 * the refresh token or races it (which may end every token of the grant).
 */
function freshTokens(ctx: SuiteContext, label: string, separate = false): Promise<IssuedTokens> {
  ctx.target.endpoint('revocation');
  const scope = refreshScope(ctx.target, ['openid']).join(' ');
  return userTokens(userGrant, ctx, { scope, label, separate });
}

async function withRefreshToken(ctx: SuiteContext, label: string, separate = false): Promise<IssuedTokens & { refreshToken: string }> {
  if (userRefreshRule(ctx.target) === 'never') throw new CheckSkip(`the profile documents that ${sourceName(ctx.target)} issues no refresh tokens`);
  const issued = await freshTokens(ctx, label, separate);
  if (issued.refreshToken === undefined) throw new CheckSkip(`${sourceName(ctx.target)} issued no refresh token (${issued.exchange.id}; the refresh-token suite judges that)`);
  return { ...issued, refreshToken: issued.refreshToken };
}

/** Asks introspection and userinfo, whichever the target offers, whether the access token works. */
async function probe(ctx: SuiteContext, token: string, what: string): Promise<judge.Probe[]> {
  const probes: judge.Probe[] = [];
  if (offers(ctx, 'introspection')) probes.push({ kind: 'introspection', exchange: await introspectToken(ctx, token, { label: `introspect ${what}` }) });
  if (offers(ctx, 'userinfo')) probes.push({ kind: 'userinfo', exchange: await userinfoRequest(ctx, { token, label: `userinfo with ${what}` }) });
  if (probes.length === 0) throw new CheckSkip('the target offers neither introspection nor userinfo to tell whether an access token still works');
  return probes;
}

// The refresh token of one grant revoked the way RFC 7009 2.1 shows, then used at once.
const revokedRefresh = suite.step('revoke a refresh token, then refresh with it', async (ctx) => {
  const issued = await withRefreshToken(ctx, 'a refresh token to revoke', true);
  const revocation = await revokeToken(ctx, issued.refreshToken, { hint: 'refresh_token', label: 'revoke the refresh token' });
  const refresh = await refreshTokenGrant(ctx, issued.refreshToken, { label: 'refresh with the revoked refresh token' });
  return { issued, revocation, refresh };
});

// The access token of another grant revoked, then probed.
const revokedAccess = suite.step('revoke an access token, then use it', async (ctx) => {
  const issued = await freshTokens(ctx, 'an access token to revoke');
  const revocation = await revokeToken(ctx, issued.accessToken, { hint: 'access_token', label: 'revoke the access token' });
  const probes = await probe(ctx, issued.accessToken, 'the revoked access token');
  return { issued, revocation, probes };
});

suite.check(check.requestAccepted, async () => {
  const { issued, revocation } = await revokedRefresh();
  judge.judgeRevocation200(revocation, 'revoking a refresh token');
  return { exchanges: [issued.exchange.id, revocation.id] };
});

suite.check(check.refreshTokenRevoked, async () => {
  const { issued, revocation, refresh } = await revokedRefresh();
  judge.judgeRefreshRefused(revocation, refresh);
  return { exchanges: [issued.exchange.id, revocation.id, refresh.id] };
});

suite.check(check.refreshRevokesAccessTokens, async (ctx) => {
  const { issued, revocation } = await revokedRefresh();
  if (revocation.response?.status !== 200) throw new CheckSkip(`the refresh token was not revoked (${revocation.id}; see revocation/request-accepted)`);
  const access = await revokedAccess();
  if (access.revocation.response?.status !== 200) {
    throw new CheckSkip(`the server did not revoke an access token (${access.revocation.id}), so RFC 7009 2.1 does not ask this of it`);
  }
  const probes = await probe(ctx, issued.accessToken, 'the access token of the revoked refresh token');
  judge.judgeTokenDead(probes, 'the access token of a revoked refresh token', [revocation.id]);
  return { exchanges: [issued.exchange.id, revocation.id, ...probes.map((p) => p.exchange.id)] };
});

suite.check(check.accessTokenRevoked, async () => {
  const { issued, revocation, probes } = await revokedAccess();
  judge.judgeAccessTokenRevoked(revocation, probes);
  return { exchanges: [issued.exchange.id, revocation.id, ...probes.map((p) => p.exchange.id)] };
});

suite.check(check.wrongHintIgnored, async (ctx) => {
  const issued = await withRefreshToken(ctx, 'a refresh token sent with the wrong hint', true);
  const revocation = await revokeToken(ctx, issued.refreshToken, { hint: 'access_token', label: 'revoke the refresh token with token_type_hint=access_token' });
  const refresh = await refreshTokenGrant(ctx, issued.refreshToken, { label: 'refresh with the refresh token revoked under the wrong hint' });
  judge.judgeRefreshRefused(revocation, refresh);
  return { exchanges: [issued.exchange.id, revocation.id, refresh.id] };
});

const unknownToken = suite.step('revoke a token never issued', (ctx) => revokeToken(ctx, GARBAGE_TOKEN, { label: 'revoke a token never issued' }));

suite.check(check.unknownToken200, async () => {
  const revocation = await unknownToken();
  judge.judgeRevocation200(revocation, 'revoking a token the server never issued');
  return { exchanges: [revocation.id] };
});

suite.check(check.unknownHint200, async (ctx) => {
  // A refresh token (which every server must revoke) makes the server look the token up; without
  // one, a token never issued still shows whether the hint changes the answer.
  let token = GARBAGE_TOKEN;
  const cited: string[] = [];
  try {
    const issued = await withRefreshToken(ctx, 'a refresh token sent with an unknown hint', true);
    token = issued.refreshToken;
    cited.push(issued.exchange.id);
  } catch (error) {
    if (!(error instanceof CheckSkip)) throw error;
  }
  const revocation = await revokeToken(ctx, token, { hint: UNKNOWN_HINT, label: `revoke with token_type_hint=${UNKNOWN_HINT}` });
  judge.judgeRevocation200(revocation, `a revocation request with token_type_hint=${UNKNOWN_HINT}`);
  return { exchanges: [...cited, revocation.id] };
});

suite.check(check.clientAuthRequired, async (ctx) => {
  const client = ctx.target.client('basic');
  if (client.auth_method === 'none') throw new CheckSkip('the "basic" client is public and has no secret to get wrong');
  const issued = await freshTokens(ctx, 'a token to revoke with a wrong secret');
  const token = issued.refreshToken ?? issued.accessToken;
  const form = { token, token_type_hint: issued.refreshToken ? 'refresh_token' : 'access_token' };
  const revocation = await ctx.http.send(clientPost(ctx.target.endpoint('revocation'), { ...client, client_secret: WRONG_SECRET }, form, 'revoke with a wrong client secret'));
  const after: judge.Afterwards = issued.refreshToken
    ? { refresh: await refreshTokenGrant(ctx, issued.refreshToken, { label: 'refresh: the token is still valid' }) }
    : { probes: await probe(ctx, issued.accessToken, 'the access token') };
  judge.judgeWrongSecretRefused(revocation, after);
  const later = 'refresh' in after ? [after.refresh.id] : after.probes.map((p) => p.exchange.id);
  return { exchanges: [issued.exchange.id, revocation.id, ...later] };
});

suite.check(check.otherClientTokenKept, async (ctx) => {
  ctx.target.client('second');
  const issued = await freshTokens(ctx, 'a token another client tries to revoke');
  const token = issued.refreshToken ?? issued.accessToken;
  const revocation = await revokeToken(ctx, token, { role: 'second', hint: issued.refreshToken ? 'refresh_token' : 'access_token', label: 'revoke as another client' });
  const after: judge.Afterwards = issued.refreshToken
    ? { refresh: await refreshTokenGrant(ctx, issued.refreshToken, { label: 'refresh as the owner: the token is still valid' }) }
    : { probes: await probe(ctx, issued.accessToken, 'the access token') };
  judge.judgeOtherClientRefused(revocation, after);
  const later = 'refresh' in after ? [after.refresh.id] : after.probes.map((p) => p.exchange.id);
  return { exchanges: [issued.exchange.id, revocation.id, ...later] };
});

suite.check(check.tls, async () => {
  const exchange = await unknownToken();
  judgeHttpsUrl('revocation_endpoint', exchange.request.url, [exchange.id], true);
  return { exchanges: [exchange.id] };
});

suite.check(check.publicClientIdOnly, async (ctx) => {
  const client = ctx.target.client('public');
  if (client.auth_method !== 'none') throw new CheckSkip(`the "public" client authenticates with ${client.auth_method}`);
  const revocation = await revokeToken(ctx, GARBAGE_TOKEN, { role: 'public', label: 'revoke as a public client (client_id only)' });
  judge.judgeRevocation200(revocation, "a public client's revocation request with client_id alone");
  return { exchanges: [revocation.id] };
});

// ---- revoking an access token: what happens to the refresh token (policy) -----------------------

suite.check(check.accessRevokesRefresh, async (ctx) => {
  const issued = await withRefreshToken(ctx, 'an access token to revoke, its refresh token watched', true);
  const revocation = await revokeToken(ctx, issued.accessToken, { hint: 'access_token', label: 'revoke the access token (its refresh token watched)' });
  const refresh = await refreshTokenGrant(ctx, issued.refreshToken, { label: 'refresh with the refresh token of the revoked access token' });
  const message = judge.judgeAccessRevokesRefresh(revocation, refresh, ctx.target.profile.policies?.access_token_revocation_revokes_refresh);
  return { exchanges: [issued.exchange.id, revocation.id, refresh.id], message };
});

// ---- CORS for browser clients ----------------------------------------------------------------------

suite.check(check.cors, async (ctx) => {
  const client = ctx.target.client('public');
  if (client.auth_method !== 'none') throw new CheckSkip(`the "public" client authenticates with ${client.auth_method}: no browser client to revoke for`);
  const exchange = await ctx.http.send({
    ...clientPost(ctx.target.endpoint('revocation'), client, { token: GARBAGE_TOKEN }, 'revoke as a browser client, with an Origin header'),
    headers: { origin: CORS_ORIGIN },
  });
  judgeCors(exchange, CORS_ORIGIN);
  return { exchanges: [exchange.id] };
});

// ---- tokens obtained through concurrent refreshes ----------------------------------------------------

const RACERS = 3;

suite.check(check.raceTokensRevoked, async (ctx) => {
  const issued = await withRefreshToken(ctx, 'a refresh token to refresh concurrently', true);
  const raced = await Promise.all(
    Array.from({ length: RACERS }, (_, i) => refreshTokenGrant(ctx, issued.refreshToken, { label: `concurrent refresh ${i + 1} of ${RACERS}` })),
  );
  const winners = raced.filter((e) => e.response?.status === 200 && memberOf(e, 'access_token') !== undefined);
  if (winners.length === 0) throw new CheckSkip(`none of the ${RACERS} concurrent refreshes obtained tokens (${raced.map((e) => `${e.id}: HTTP ${e.response?.status ?? 'none'}`).join(', ')})`);
  // The live refresh token of the grant: the first winner's successor, or the original when refresh tokens do not rotate.
  const live = memberOf(winners[0]!, 'refresh_token') ?? issued.refreshToken;
  const revocation = await revokeToken(ctx, live, { hint: 'refresh_token', label: 'revoke the refresh token of the raced grant' });
  const tokens: judge.RaceToken[] = [];
  for (const [i, winner] of winners.entries()) {
    const accessToken = memberOf(winner, 'access_token')!;
    tokens.push({ what: `the access token of ${winner.id}`, probes: await probe(ctx, accessToken, `the access token of concurrent refresh ${i + 1}`) });
    const refreshToken = memberOf(winner, 'refresh_token');
    if (refreshToken !== undefined && refreshToken !== live) {
      tokens.push({ what: `the refresh token of ${winner.id}`, refresh: await refreshTokenGrant(ctx, refreshToken, { label: `refresh with the refresh token of concurrent refresh ${i + 1}` }) });
    }
  }
  judge.judgeRaceTokensRevoked(revocation, tokens);
  return {
    exchanges: [issued.exchange.id, ...raced.map((e) => e.id), revocation.id],
    message: `${winners.length} of ${RACERS} concurrent refreshes obtained tokens; none survives the revocation of the grant's refresh token`,
  };
});

// UserInfo: tokens from the password grant, the endpoint called the ways OIDC Core 5.3 and
// RFC 6750 allow, then refused the ways RFC 6750 3 describes.
import { CheckSkip } from '../../harness/checks.ts';
import { clientCredentialsGrant, memberOf, passwordTokens, revokeToken, userinfoRequest } from '../../harness/flows/steps.ts';
import { decodeIdToken } from '../../harness/tokens/id-token.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { judgeCors, judgeHttpsUrl } from '../discovery/judges.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('userinfo');
const CORS_ORIGIN = 'https://rp.example.org';
const GARBAGE_TOKEN = 'oidc-conformance-not-a-token-7f3c9a1e';
const STANDARD_SCOPES = ['profile', 'email', 'address', 'phone'];

/** openid plus the standard claim scopes discovery lists, so the claim types have something to judge. */
function userScope({ target }: SuiteContext): string {
  const listed = target.metadata().scopes_supported;
  const extra = Array.isArray(listed) ? STANDARD_SCOPES.filter((s) => listed.includes(s)) : ['profile', 'email'];
  return ['openid', ...extra].join(' ');
}

const tokens = suite.step('password grant', (ctx) => {
  ctx.target.endpoint('userinfo');
  return passwordTokens(ctx, { scope: userScope(ctx), label: 'password grant for userinfo' });
});

const getWithHeader = suite.step('GET with a Bearer header', async (ctx) => {
  const { accessToken } = await tokens();
  return userinfoRequest(ctx, { token: accessToken, headers: { origin: CORS_ORIGIN }, label: 'userinfo: GET, Bearer header' });
});

/** The claims of the GET, once it was accepted (checks that judge the claims need them). */
const claims = async () => {
  const exchange = await getWithHeader();
  judge.judgeAccepted(exchange, 'GET with the Bearer header');
  return exchange;
};

/** The refusals whose challenges are judged: no token, a garbage token. */
const noToken = suite.step('no token', (ctx) => userinfoRequest(ctx, { label: 'userinfo: no token' }));
const garbageToken = suite.step('garbage token', (ctx) => userinfoRequest(ctx, { token: GARBAGE_TOKEN, label: 'userinfo: a token never issued' }));

suite.judgeExchange(check.getBearerHeader, getWithHeader, (exchange) => judge.judgeAccepted(exchange, 'GET with the Bearer header'));

suite.check(check.postBearerHeader, async (ctx) => {
  const { accessToken } = await tokens();
  const exchange = await userinfoRequest(ctx, { method: 'POST', token: accessToken, form: {}, label: 'userinfo: POST, Bearer header' });
  judge.judgeAccepted(exchange, 'POST with the Bearer header');
  return { exchanges: [exchange.id] };
});

suite.check(check.postFormToken, async (ctx) => {
  if (ctx.target.profile.policies?.userinfo_body_token === false) {
    throw new CheckSkip('the profile documents that userinfo does not take the token in the form body (policies.userinfo_body_token: false)');
  }
  const { accessToken } = await tokens();
  const exchange = await userinfoRequest(ctx, { method: 'POST', form: { access_token: accessToken }, label: 'userinfo: POST, access_token in the form body' });
  judge.judgeAccepted(exchange, 'POST with access_token in the form body');
  return { exchanges: [exchange.id] };
});

suite.judgeExchange(check.jsonResponse, getWithHeader, (exchange) => judge.judgeJsonResponse(exchange));

suite.check(check.subMatchesIdToken, async () => {
  const [exchange, issued] = [await claims(), await tokens()];
  if (issued.idToken === undefined) {
    judge.judgeSubMatches(exchange, undefined);
    return { exchanges: [exchange.id, issued.exchange.id], message: 'sub is present (the password grant returned no ID token to compare it with)' };
  }
  const { claims: idClaims } = decodeIdToken(issued.idToken, [issued.exchange.id]);
  const idSub = typeof idClaims.sub === 'string' ? idClaims.sub : undefined;
  judge.judgeSubMatches(exchange, idSub, issued.exchange.id);
  return { exchanges: [exchange.id, issued.exchange.id], evidence: { idTokenSub: idSub } };
});

suite.judgeExchange(check.claimTypes, claims, (exchange) => judge.judgeClaimTypes(exchange));

suite.judgeExchange(check.noNullClaims, claims, (exchange) => judge.judgeNoNullClaims(exchange));

suite.judgeExchange(check.noTokenChallenge, noToken, (exchange) => judge.judgeNoTokenChallenge(exchange));

suite.judgeExchange(check.invalidTokenRefused, garbageToken, (exchange) => judge.judgeTokenRefused(exchange, 'a token the provider never issued'));

suite.check(check.tamperedTokenRefused, async (ctx) => {
  const { accessToken } = await tokens();
  const exchange = await userinfoRequest(ctx, { token: judge.tamper(accessToken), label: 'userinfo: the access token with one character changed' });
  judge.judgeTokenRefused(exchange, 'the access token with one character changed');
  return { exchanges: [exchange.id] };
});

suite.check(check.revokedTokenRefused, async (ctx) => {
  ctx.target.endpoint('userinfo');
  ctx.target.endpoint('revocation');
  const issued = await passwordTokens(ctx, { scope: 'openid', label: 'password grant (a token to revoke)' });
  const revocation = await revokeToken(ctx, issued.accessToken, { hint: 'access_token', label: 'revoke the access token' });
  if (revocation.response?.status !== 200) {
    const error = memberOf(revocation, 'error');
    throw new CheckSkip(`the revocation endpoint did not revoke the access token (HTTP ${revocation.response?.status ?? 'nothing'}${error ? ` ${error}` : ''}; see the revocation suite)`);
  }
  const exchange = await userinfoRequest(ctx, { token: issued.accessToken, label: 'userinfo: the revoked access token' });
  judge.judgeTokenRefused(exchange, 'a revoked access token');
  return { exchanges: [issued.exchange.id, revocation.id, exchange.id] };
});

suite.check(check.idTokenRefused, async (ctx) => {
  const { idToken, exchange: grant } = await tokens();
  if (idToken === undefined) throw new CheckSkip(`the password grant returned no ID token (${grant.id})`);
  const exchange = await userinfoRequest(ctx, { token: idToken, label: 'userinfo: the ID token as a Bearer token' });
  judge.judgeTokenRefused(exchange, 'the ID token presented as an access token');
  return { exchanges: [grant.id, exchange.id] };
});

suite.check(check.challengeWellFormed, async () => {
  const judged = judge.judgeChallengesWellFormed([await noToken(), await garbageToken()]);
  return { exchanges: judged };
});

suite.check(check.cors, async () => {
  const exchange = await getWithHeader();
  judgeCors(exchange, CORS_ORIGIN);
  return { exchanges: [exchange.id] };
});

suite.check(check.insufficientScope, async (ctx) => {
  ctx.target.endpoint('userinfo');
  const grant = await clientCredentialsGrant(ctx, { label: 'client credentials (a token without openid)' });
  const accessToken = memberOf(grant, 'access_token');
  if (grant.response?.status !== 200 || accessToken === undefined) {
    throw new CheckSkip(`no client credentials token to test with: HTTP ${grant.response?.status ?? 'nothing'} (${grant.id})`);
  }
  const scope = memberOf(grant, 'scope');
  if (scope?.split(' ').includes('openid')) throw new CheckSkip(`the client credentials token carries openid (scope "${scope}"), so it is not under-scoped`);
  const exchange = await userinfoRequest(ctx, { token: accessToken, label: 'userinfo: a client credentials token' });
  judge.judgeInsufficientScope(exchange);
  return { exchanges: [grant.id, exchange.id] };
});

suite.check(check.tls, async () => {
  const exchange = await getWithHeader();
  judgeHttpsUrl('userinfo_endpoint', exchange.request.url, [exchange.id], true);
  return { exchanges: [exchange.id] };
});

suite.check(check.queryTokenRefused, async ({ target, http }) => {
  const { accessToken } = await tokens();
  const exchange = await http.send({ method: 'GET', url: target.endpoint('userinfo'), query: { access_token: accessToken }, label: 'userinfo: access_token in the URL query' });
  judge.judgeQueryTokenRefused(exchange);
  return { exchanges: [exchange.id] };
});

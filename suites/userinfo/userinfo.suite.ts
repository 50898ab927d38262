// UserInfo: tokens from the password grant (else the code flow), the endpoint called the ways
// OIDC Core 5.3 and RFC 6750 allow, then refused the ways RFC 6750 3 describes.
import { CheckSkip } from '../../harness/checks.ts';
import { clientCredentialsGrant, fetchJwks, memberOf, revokeToken, userinfoRequest } from '../../harness/flows/steps.ts';
import { sourceName, userGrants, userTokens } from '../../harness/flows/user-tokens.ts';
import type { ClientRole, ProfileClient } from '../../harness/profile/types.ts';
import { decodeIdToken } from '../../harness/tokens/id-token.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { judgeCors, judgeHttpsUrl } from '../discovery/judges.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('userinfo');
const userGrant = userGrants(suite, 'userinfo');
const CORS_ORIGIN = 'https://rp.example.org';
const GARBAGE_TOKEN = 'oidc-conformance-not-a-token-7f3c9a1e';
const STANDARD_SCOPES = ['profile', 'email', 'address', 'phone'];

/** openid plus the standard claim scopes discovery lists, so the claim types have something to judge. */
function userScope({ target }: SuiteContext): string {
  const listed = target.metadata().scopes_supported;
  const extra = Array.isArray(listed) ? STANDARD_SCOPES.filter((s) => listed.includes(s)) : ['profile', 'email'];
  return ['openid', ...extra].join(' ');
}

const tokens = suite.step("the user's tokens", (ctx) => {
  ctx.target.endpoint('userinfo');
  return userTokens(userGrant, ctx, { scope: userScope(ctx), label: 'for userinfo' });
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

suite.check(check.subMatchesIdToken, async ({ target }) => {
  const [exchange, issued] = [await claims(), await tokens()];
  if (issued.idToken === undefined) {
    judge.judgeSubMatches(exchange, undefined);
    return { exchanges: [exchange.id, issued.exchange.id], message: `sub is present (${sourceName(target)} returned no ID token to compare it with)` };
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
  const issued = await userTokens(userGrant, ctx, { scope: 'openid', label: 'a token to revoke' });
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
  if (idToken === undefined) throw new CheckSkip(`${sourceName(ctx.target)} returned no ID token (${grant.id})`);
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

// ---- signed responses, claims of the granted scopes, error codes and statuses ---------------------

suite.check(check.signedResponse, async (ctx) => {
  ctx.target.endpoint('userinfo');
  const entry = (Object.entries(ctx.target.profile.clients) as Array<[ClientRole, ProfileClient | undefined]>).find(([, c]) => c?.userinfo_signed_response_alg !== undefined);
  if (!entry) throw new CheckSkip('no profile client is registered for signed userinfo responses (clients.<role>.userinfo_signed_response_alg)');
  const [role, client] = entry as [ClientRole, ProfileClient & { userinfo_signed_response_alg: string }];
  const issued = await userTokens(userGrant, ctx, { role, scope: 'openid profile email', label: `as the ${role} client, signed userinfo` });
  const exchange = await userinfoRequest(ctx, { token: issued.accessToken, label: `userinfo: signed response for the ${role} client` });
  const keys = await fetchJwks(ctx);
  const metadata = ctx.target.metadata();
  const expect: judge.SignedUserinfoExpectations = {
    issuer: typeof metadata.issuer === 'string' ? metadata.issuer : ctx.target.issuer,
    clientId: client.client_id,
    alg: client.userinfo_signed_response_alg,
    jwks: keys.jwks,
    jwksExchange: keys.exchange.id,
  };
  if (client.client_secret !== undefined) expect.clientSecret = client.client_secret;
  const claims = await judge.judgeSignedUserinfo(exchange, expect);
  return { exchanges: [issued.exchange.id, exchange.id, keys.exchange.id], message: `a ${client.userinfo_signed_response_alg} JWS for the ${role} client (${client.client_id}) with iss and aud`, evidence: { claims } };
});

suite.check(check.scopeClaims, async ({ target }) => {
  const [exchange, issued] = [await claims(), await tokens()];
  const response = issued.exchange.response?.json as Record<string, unknown> | undefined;
  const granted = (typeof response?.scope === 'string' ? response.scope : userScope({ target, http: suite.http })).split(' ').filter(Boolean);
  const message = judge.judgeScopeClaims(exchange, granted, target.user().claims, [issued.exchange.id]);
  return { exchanges: [issued.exchange.id, exchange.id], message };
});

/** A step's result, or the reason it SKIPped. */
async function attempt<T>(run: () => Promise<T>): Promise<T | CheckSkip> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CheckSkip) return error;
    throw error;
  }
}

suite.check(check.errorStatusCodes, async (ctx) => {
  ctx.target.endpoint('userinfo');
  const notes: string[] = [];
  // An under-scoped token: a client credentials token without openid.
  let machineToken: string | undefined;
  const grant = await attempt(() => clientCredentialsGrant(ctx, { label: 'client credentials (an under-scoped token for userinfo)' }));
  if (grant instanceof CheckSkip) notes.push(`no under-scoped token to try (${grant.reason})`);
  else if (grant.response?.status === 200 && memberOf(grant, 'access_token') !== undefined && !(memberOf(grant, 'scope') ?? '').split(' ').includes('openid')) machineToken = memberOf(grant, 'access_token');
  else notes.push(`no under-scoped token to try (${grant.id}: HTTP ${grant.response?.status ?? 'none'})`);
  // The token sent two ways is a malformed request whatever the token: a user's when there is one.
  const user = await attempt(tokens);
  const twoWaysToken = user instanceof CheckSkip ? (machineToken ?? GARBAGE_TOKEN) : user.accessToken;
  const probes: judge.ErrorProbe[] = [];
  const twoWays = await userinfoRequest(ctx, { method: 'POST', token: twoWaysToken, form: { access_token: twoWaysToken }, label: 'userinfo: the token in the header and the form body' });
  probes.push({ what: 'a token sent two ways', exchange: twoWays, codes: ['invalid_request'] });
  probes.push({ what: 'a token never issued', exchange: await garbageToken(), codes: ['invalid_token'] });
  if (machineToken !== undefined) {
    const exchange = await userinfoRequest(ctx, { token: machineToken, label: 'userinfo: a client credentials token (no openid)' });
    // The token is valid but not for userinfo: insufficient_scope, or invalid_token for a server that
    // does not accept it there at all; either way the status must be the one its code goes with.
    probes.push({ what: 'a token issued without openid', exchange, codes: ['insufficient_scope', 'invalid_token'] });
  }
  const message = judge.judgeErrorStatusCodes(probes);
  return { exchanges: probes.map((p) => p.exchange.id), message: notes.length > 0 ? `${message}; ${notes.join('; ')}` : message };
});

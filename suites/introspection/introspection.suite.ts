// Token introspection (RFC 7662): the introspecting caller is the confidential client the tokens
// were issued to ("basic"); revocation, when offered, makes the revoked tokens to describe.
import { CheckSkip } from '../../harness/checks.ts';
import { introspectToken, memberOf, revokeToken } from '../../harness/flows/steps.ts';
import { refreshScope, userGrants, userRefreshRule, userTokens } from '../../harness/flows/user-tokens.ts';
import { clientPost } from '../../harness/oauth/token-request.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { judgeHttpsUrl } from '../discovery/judges.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('introspection');
const userGrant = userGrants(suite, 'introspection');
const GARBAGE_TOKEN = 'oidc-conformance-never-issued-c41d7e92';
const WRONG_SECRET = 'oidc-conformance-wrong-secret';
const SCOPE = 'openid';

const tokens = suite.step("the user's tokens", (ctx) => {
  ctx.target.endpoint('introspection');
  return userTokens(userGrant, ctx, { scope: SCOPE, label: 'a token to introspect' });
});

const active = suite.step('introspect the access token', async (ctx) => {
  const { accessToken } = await tokens();
  return introspectToken(ctx, accessToken, { label: 'introspect the access token' });
});

const unknown = suite.step('introspect a token never issued', (ctx) => introspectToken(ctx, GARBAGE_TOKEN, { label: 'introspect a token never issued' }));

const withHint = suite.step('introspect with the wrong hint', async (ctx) => {
  const { accessToken } = await tokens();
  return introspectToken(ctx, accessToken, { hint: 'refresh_token', label: 'introspect the access token with token_type_hint=refresh_token' });
});

suite.check(check.activeToken, async () => {
  const exchange = await active();
  judge.judgeActive(exchange);
  return { exchanges: [(await tokens()).exchange.id, exchange.id] };
});

suite.check(check.memberTypes, async () => {
  const exchanges = [await active(), await unknown()];
  judge.judgeMemberTypes(exchanges);
  return { exchanges: exchanges.map((e) => e.id) };
});

suite.check(check.consistentWithIssue, async ({ target }) => {
  const [issued, exchange] = [await tokens(), await active()];
  const message = judge.judgeConsistent(exchange, { exchange: issued.exchange, requestedScope: SCOPE, clientId: target.client('basic').client_id });
  return { exchanges: [issued.exchange.id, exchange.id], message };
});

suite.judgeExchange(check.unknownTokenInactive, unknown, (exchange) => judge.judgeInactive(exchange, 'a token never issued'));

suite.check(check.revokedTokenInactive, async (ctx) => {
  ctx.target.endpoint('introspection');
  ctx.target.endpoint('revocation');
  const cited: string[] = [];
  const judged: Array<() => void> = [];
  const notRevoked: string[] = [];

  // Two grants, so revoking the refresh token (often the whole grant) cannot decide the access token's fate.
  const forAccess = await userTokens(userGrant, ctx, { scope: SCOPE, label: 'an access token to revoke' });
  const accessRevocation = await revokeToken(ctx, forAccess.accessToken, { hint: 'access_token', label: 'revoke the access token' });
  cited.push(forAccess.exchange.id, accessRevocation.id);
  if (accessRevocation.response?.status === 200) {
    const exchange = await introspectToken(ctx, forAccess.accessToken, { label: 'introspect the revoked access token' });
    cited.push(exchange.id);
    judged.push(() => judge.judgeInactive(exchange, 'a revoked access token'));
  } else {
    notRevoked.push(`access token: ${accessRevocation.id} HTTP ${accessRevocation.response?.status ?? 'nothing'} ${memberOf(accessRevocation, 'error') ?? ''}`.trim());
  }

  if (userRefreshRule(ctx.target) !== 'never') {
    // A grant of its own: revoking its refresh token may end every token of the grant.
    const scope = refreshScope(ctx.target, [SCOPE]).join(' ');
    const forRefresh = await userTokens(userGrant, ctx, { scope, label: 'a refresh token to revoke', separate: true });
    if (forRefresh.refreshToken !== undefined) {
      const refreshRevocation = await revokeToken(ctx, forRefresh.refreshToken, { hint: 'refresh_token', label: 'revoke the refresh token' });
      cited.push(forRefresh.exchange.id, refreshRevocation.id);
      if (refreshRevocation.response?.status === 200) {
        const exchange = await introspectToken(ctx, forRefresh.refreshToken, { label: 'introspect the revoked refresh token' });
        cited.push(exchange.id);
        judged.push(() => judge.judgeInactive(exchange, 'a revoked refresh token'));
      } else {
        notRevoked.push(`refresh token: ${refreshRevocation.id} HTTP ${refreshRevocation.response?.status ?? 'nothing'}`);
      }
    }
  }

  if (judged.length === 0) throw new CheckSkip(`no token was revoked to describe (${notRevoked.join('; ') || 'no token'}; see the revocation suite)`);
  for (const run of judged) run();
  return { exchanges: cited, message: `${judged.length} revoked token(s) described as inactive${notRevoked.length ? `; not revoked: ${notRevoked.join('; ')}` : ''}` };
});

suite.check(check.requiresAuthentication, async ({ target, http }: SuiteContext) => {
  const { accessToken } = await tokens();
  const exchange = await http.send({ method: 'POST', url: target.endpoint('introspection'), form: { token: accessToken }, label: 'introspect without client credentials' });
  judge.judgeUnauthenticatedRefused(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.badCredentials401, async ({ target, http }) => {
  const client = target.client('basic');
  if (client.auth_method === 'none') throw new CheckSkip('the "basic" client is public and has no secret to get wrong');
  const { accessToken } = await tokens();
  const exchange = await http.send(clientPost(target.endpoint('introspection'), { ...client, client_secret: WRONG_SECRET }, { token: accessToken }, 'introspect with a wrong client secret'));
  judge.judgeBadCredentials(exchange);
  return { exchanges: [exchange.id] };
});

suite.judgeExchange(check.hintIgnored, withHint, (exchange) => judge.judgeActive(exchange, 'an access token sent with token_type_hint=refresh_token'));

suite.check(check.tls, async () => {
  const exchange = await unknown();
  judgeHttpsUrl('introspection_endpoint', exchange.request.url, [exchange.id], true);
  return { exchanges: [exchange.id] };
});

suite.check(check.getPolicy, async ({ target, http }) => {
  const url = target.endpoint('introspection');
  // Authenticated with HTTP Basic, so a refusal is about GET and not about the credentials; the token
  // in the query is one never issued, so nothing real reaches a log.
  const role = (['basic', 'second', 'machine', 'post'] as const).find((r) => target.profile.clients[r]?.auth_method === 'client_secret_basic');
  if (role === undefined) throw new CheckSkip('no profile client authenticates with client_secret_basic, so a GET cannot carry client credentials');
  const client = target.client(role);
  const exchange = await http.send({ method: 'GET', url, query: { token: GARBAGE_TOKEN }, basicAuth: { username: client.client_id, password: client.client_secret ?? '' }, label: `introspect with GET as the ${role} client` });
  return { exchanges: [exchange.id], message: judge.judgeGetPolicy(exchange, target.profile.policies?.introspection_get) };
});

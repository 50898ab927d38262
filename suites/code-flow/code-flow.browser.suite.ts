// The authorization code flow of each client kind (client_secret_basic, client_secret_post, public
// with PKCE), its ID token and UserInfo, and the request variants a provider must take (no nonce,
// a form POST, extra and empty parameters, an unknown scope). The file's requests share one browser
// session (one login); each is a step, sent when a selected check first needs it, and each code is
// redeemed by the step of the check that needs it.
import { skipCheck } from '../../harness/checks.ts';
import type { AuthorizationSpec } from '../../harness/flows/authorization.ts';
import { idTokenContext, issuerOf, observe } from '../../harness/flows/front-channel.ts';
import { fetchJwks, userinfoRequest } from '../../harness/flows/steps.ts';
import * as response from '../../harness/judge/authorization-response.ts';
import type { ClientRole } from '../../harness/profile/types.ts';
import { createSuite } from '../../harness/suite.ts';
import * as check from './checks.ts';
import { authorizationSteps, awkwardState, codeRequest, redemptionSteps } from './flows.ts';
import * as judge from './judges.ts';

const suite = createSuite('code-flow');
const UNKNOWN_SCOPE = 'oidc-conformance-unknown-scope';

type Flow = 'basic' | 'post' | 'public' | 'pkce-confidential' | 'no-nonce' | 'post-request' | 'extra-parameters' | 'unknown-scope';

const REQUESTS: Record<Flow, () => AuthorizationSpec> = {
  basic: () => codeRequest('basic', { state: awkwardState() }),
  post: () => codeRequest('post'),
  public: () => codeRequest('public'),
  'pkce-confidential': () => codeRequest('basic', { pkce: 'S256' }),
  'no-nonce': () => codeRequest('basic', { nonce: false }),
  'post-request': () => codeRequest('basic', { method: 'POST' }),
  // Empty values count as absent (RFC 6749 3.1): an empty max_age is no invalid max_age.
  'extra-parameters': () => codeRequest('basic', { params: { x_oidc_conformance: 'to-be-ignored', max_age: '', display: '', ui_locales: '' } }),
  'unknown-scope': () => codeRequest('basic', { scope: `openid ${UNKNOWN_SCOPE}` }),
};

const run = authorizationSteps(suite, 'code flows', REQUESTS);
const redeemed = redemptionSteps(suite, run, Object.keys(REQUESTS) as Flow[]);
const jwks = suite.step('JWK Set', fetchJwks);

// ---- the authorization response -------------------------------------------------------------------

suite.check(check.codeResponse, async () => {
  const basic = await run('basic');
  judge.judgeCodeResponse(basic);
  return { exchanges: judge.evidenceOf(basic) };
});

// The same rules as for every front-channel response (harness/judge/authorization-response.ts).
suite.check(check.stateEchoed, async (ctx) => {
  const basic = await run('basic');
  response.judgeStateEchoed([observe(ctx, basic)]);
  return { exchanges: judge.evidenceOf(basic) };
});

suite.check(check.issParameter, async (ctx) => {
  const basic = await run('basic');
  response.judgeIssParameter([observe(ctx, basic)], ctx.target.metadata(), issuerOf(ctx.target));
  return { exchanges: judge.evidenceOf(basic), message: `iss is the issuer (${issuerOf(ctx.target)})` };
});

// ---- the token response of each client kind -------------------------------------------------------

/** The check's own flow: no code is its FAIL; then the redemption must be a token response with an ID token. */
async function judgeTokenExchange(flow: Flow, what: string) {
  const flowRun = await run(flow);
  judge.judgeCodeIssued(flowRun, what);
  const exchange = await redeemed[flow]();
  judge.judgeTokenExchange(exchange);
  return { exchanges: [...judge.evidenceOf(flowRun), exchange.id] };
}

suite.check(check.tokenExchangeBasic, () => judgeTokenExchange('basic', 'the code flow of the client_secret_basic client'));
suite.check(check.tokenExchangePost, () => judgeTokenExchange('post', 'the code flow of the client_secret_post client'));
suite.check(check.tokenExchangePublic, () => judgeTokenExchange('public', 'the code flow of the public client (PKCE S256)'));
suite.check(check.pkceS256Confidential, () => judgeTokenExchange('pkce-confidential', 'the code flow of the confidential client with PKCE S256'));

async function judgeIdToken(flow: Flow, role: ClientRole) {
  const exchange = await redeemed[flow]();
  const expect = idTokenContext(suite, role, await jwks());
  const passed = await judge.judgeIdToken(exchange, await run(flow), expect);
  return { ...passed, exchanges: [...(passed.exchanges ?? []), expect.jwksExchange!] };
}

suite.check(check.idTokenValidBasic, () => judgeIdToken('basic', 'basic'));
suite.check(check.idTokenValidPost, () => judgeIdToken('post', 'post'));
suite.check(check.idTokenValidPublic, () => judgeIdToken('public', 'public'));

suite.check(check.idTokenOpenidScopeOnly, async () => {
  const basic = await run('basic');
  return judge.judgeIdTokenOpenidScopeOnly(await redeemed.basic(), basic.sent.params.scope ?? '');
});

suite.check(check.nonceInIdToken, async () => judge.judgeNonceInIdToken(await redeemed.basic(), await run('basic')));

suite.judgeExchange(check.noStore, redeemed.basic, (exchange) => judge.judgeNoStore(exchange));
suite.judgeExchange(check.expiresIn, redeemed.basic, (exchange) => judge.judgeExpiresIn(exchange));

// ---- UserInfo with the code flow's access token ---------------------------------------------------

async function userinfoAfterFlow(flow: 'basic' | 'post' = 'basic') {
  const exchange = await redeemed[flow]();
  const json = judge.requireRedeemed(exchange, `code-flow/token-exchange-${flow}`);
  return { redemption: exchange, accessToken: String(json.access_token), sub: judge.idTokenSubOf(exchange) };
}

suite.check(check.userinfoGet, async (ctx) => {
  const { redemption: flow, accessToken, sub } = await userinfoAfterFlow();
  const exchange = await userinfoRequest(ctx, { token: accessToken, label: 'userinfo: GET with the code flow access token' });
  return judge.judgeUserinfo(exchange, 'GET with the Bearer header', sub, flow.id);
});

suite.check(check.userinfoClientSecretPost, async (ctx) => {
  const { redemption: flow, accessToken, sub } = await userinfoAfterFlow('post');
  const exchange = await userinfoRequest(ctx, { token: accessToken, label: 'userinfo: GET with the access token of the client_secret_post code flow' });
  return judge.judgeUserinfo(exchange, 'GET with the Bearer header (client_secret_post flow)', sub, flow.id);
});

suite.check(check.userinfoPost, async (ctx) => {
  const { redemption: flow, accessToken, sub } = await userinfoAfterFlow();
  // RFC 6750 2.2 makes the form body optional: the profile says whether the target takes it there.
  const inBody = ctx.target.profile.policies?.userinfo_body_token !== false;
  const exchange = inBody
    ? await userinfoRequest(ctx, { method: 'POST', form: { access_token: accessToken }, label: 'userinfo: POST, code flow access token in the form body' })
    : await userinfoRequest(ctx, { method: 'POST', token: accessToken, form: {}, label: 'userinfo: POST, code flow access token as a Bearer header' });
  return judge.judgeUserinfo(exchange, inBody ? 'POST with access_token in the form body' : 'POST with the Bearer header', sub, flow.id);
});

// ---- request variants -----------------------------------------------------------------------------

suite.check(check.noNonceSucceeds, async () => {
  const flowRun = await run('no-nonce');
  judge.judgeCodeIssued(flowRun, 'a request without nonce');
  return judge.judgeNoNonce(flowRun, await redeemed['no-nonce']());
});

/** A variant's flow: a code, and its redemption granted tokens. */
async function judgeVariant(flow: Flow, what: string) {
  const flowRun = await run(flow);
  judge.judgeCodeIssued(flowRun, what);
  return judge.judgeFlowSucceeds(flowRun, await redeemed[flow](), what);
}

suite.check(check.postAuthorizationRequest, () => judgeVariant('post-request', 'an authorization request sent as a form POST'));
suite.check(check.extraParametersIgnored, () => judgeVariant('extra-parameters', 'a request with an unknown parameter and empty max_age, display and ui_locales'));
suite.check(check.unknownScopeIgnored, () => judgeVariant('unknown-scope', `a request with the unknown scope value ${UNKNOWN_SCOPE}`));

suite.check(check.scopeReturnedWhenChanged, async () => {
  const flowRun = await run('unknown-scope');
  if (flowRun.result.params.code === undefined) skipCheck('the request with an unknown scope value got no code (see code-flow/unknown-scope-ignored)');
  return judge.judgeScopeReturned(await redeemed['unknown-scope'](), flowRun.sent.params.scope!.split(' '));
});

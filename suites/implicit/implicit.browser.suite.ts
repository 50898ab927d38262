// The implicit flow in the browser (OIDC Core 3.2), in two sessions of a few requests each (each
// logs in once). One: prompt=none while it has no login, then response_type=id_token and id_token
// token. Two: both types without nonce (refused), with scope=openid email (claims in the ID token),
// and an unregistered redirect_uri. Each request is an attempt of its own: a type the target does
// not offer SKIPs only the checks that need it.
import { type CheckDefinition, CheckSkip } from '../../harness/checks.ts';
import { type AuthorizationSpec, type BrowserSession, withBrowser } from '../../harness/flows/authorization.ts';
import { type Attempt, idTokenContext, issuerOf, tryAuthorize, unregisteredRedirectUri, unwrap, unwrapSome } from '../../harness/flows/front-channel.ts';
import { fetchJwks, userinfoRequest } from '../../harness/flows/steps.ts';
import { type Observed, evidenceOf, evidenceOfAll } from '../../harness/judge/authorization-response.ts';
import { type Judge, createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('implicit');
/**
 * The check that first awaits a browser session waits for all of its requests (a login and a few
 * authorization requests): more than one request's worth on a slow provider or a loaded machine.
 */
const SESSION_WAIT = { waitsMs: 30_000 };
const register = (definition: CheckDefinition, judge: Judge) => suite.check(definition, judge, SESSION_WAIT);

type Pair = { idToken: Attempt<Observed>; idTokenToken: Attempt<Observed> };

interface Responses {
  promptNone: Pair;
  success: Pair;
}

interface Refusals {
  withoutNonce: Pair;
  emailScope: Pair;
  unregisteredRedirect: Attempt<Observed>;
}

function skipped(reason: string): Attempt<Observed> {
  return { ok: false, error: new CheckSkip(reason) };
}

function offersScope(ctx: SuiteContext, scope: string): boolean {
  const scopes = ctx.target.metadata().scopes_supported;
  return !Array.isArray(scopes) || scopes.includes(scope);
}

function runner(ctx: SuiteContext, session: BrowserSession) {
  return (responseType: string, label: string, spec: Omit<AuthorizationSpec, 'responseType'> = {}, login = true) =>
    tryAuthorize(ctx, session, { responseType, ...spec }, `implicit: ${label}`, { login });
}

/** Session one: prompt=none while the session has no login, then both implicit types (the login happens here). */
function implicitResponses(ctx: SuiteContext): Promise<Responses> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'implicit responses', async (session) => {
    const run = runner(ctx, session);
    const promptNone: Pair = {
      idToken: await run('id_token', 'prompt=none without a session (id_token)', { params: { prompt: 'none' } }, false),
      idTokenToken: await run('id_token token', 'prompt=none without a session (id_token token)', { params: { prompt: 'none' } }, false),
    };
    const success: Pair = {
      idToken: await run('id_token', 'response_type=id_token'),
      idTokenToken: await run('id_token token', 'response_type=id_token token'),
    };
    return { promptNone, success };
  });
}

/** Session two, logged in: the requests the provider must refuse or treat specially (no nonce, scope=email, an unregistered redirect_uri). */
function implicitRefusals(ctx: SuiteContext): Promise<Refusals> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'implicit refusals and scope claims', async (session) => {
    const run = runner(ctx, session);
    const withoutNonce: Pair = {
      idToken: await run('id_token', 'id_token without nonce', { nonce: false }),
      idTokenToken: await run('id_token token', 'id_token token without nonce', { nonce: false }),
    };
    const email = offersScope(ctx, 'email');
    const noEmail = skipped('discovery does not list the email scope in scopes_supported');
    const emailScope: Pair = {
      idToken: email ? await run('id_token', 'id_token with scope=openid email', { scope: 'openid email' }) : noEmail,
      idTokenToken: email ? await run('id_token token', 'id_token token with scope=openid email', { scope: 'openid email' }) : noEmail,
    };
    const registered = ctx.target.client('basic').redirect_uri;
    const type = ctx.target.responseTypes().includes('id_token') ? 'id_token' : 'id_token token';
    const unregisteredRedirect = registered
      ? await run(type, `${type} with an unregistered redirect_uri`, { redirectUri: unregisteredRedirectUri(registered) })
      : skipped('the basic client of the profile has no redirect_uri');
    return { withoutNonce, emailScope, unregisteredRedirect };
  });
}

const responses = suite.step('implicit responses (browser session one)', (ctx) => implicitResponses(ctx));
const refusals = suite.step('implicit refusals and scope claims (browser session two)', (ctx) => implicitRefusals(ctx));
const jwks = suite.step('JWK Set', (ctx) => fetchJwks(ctx));

/** The access token of the id_token token response (SKIP when there is none to use). */
async function accessTokenOf(attempt: Attempt<Observed>): Promise<{ token: string; sub: string; o: Observed }> {
  const o = unwrap(attempt);
  const token = o.run.result.params.access_token;
  if (token === undefined) throw new CheckSkip(`response_type=id_token token returned no access token (${evidenceOf(o).join(', ')}); the response check judges that`);
  return { token, sub: judge.subOf(o), o };
}

const userinfoGet = suite.step('UserInfo GET with the implicit access token', async (ctx) => {
  const { token } = await accessTokenOf((await responses()).success.idTokenToken);
  return userinfoRequest(ctx, { token, label: 'userinfo GET (id_token token access token)' });
});
const userinfoPost = suite.step('UserInfo POST with the implicit access token', async (ctx) => {
  const { token } = await accessTokenOf((await responses()).success.idTokenToken);
  return userinfoRequest(ctx, { token, method: 'POST', label: 'userinfo POST (id_token token access token)' });
});
const userinfoEmail = suite.step('UserInfo with the scope=openid email access token', async (ctx) => {
  const { token } = await accessTokenOf((await refusals()).emailScope.idTokenToken);
  return userinfoRequest(ctx, { token, label: 'userinfo GET (scope=openid email access token)' });
});

/** Every response of the suite that worked (pages and successes alike), for the cross-cutting checks. */
async function everyResponse(): Promise<Observed[]> {
  const f = { ...(await responses()), ...(await refusals()) };
  return unwrapSome([f.promptNone.idToken, f.promptNone.idTokenToken, f.success.idToken, f.success.idTokenToken, f.withoutNonce.idToken, f.withoutNonce.idTokenToken, f.emailScope.idToken, f.emailScope.idTokenToken]);
}

register(check.idTokenResponse, async () => {
  const o = unwrap((await responses()).success.idToken);
  judge.judgeSuccessParameters(o);
  return { exchanges: evidenceOf(o) };
});

register(check.idTokenTokenResponse, async () => {
  const o = unwrap((await responses()).success.idTokenToken);
  judge.judgeSuccessParameters(o);
  return { exchanges: evidenceOf(o) };
});

register(check.responseInFragment, async () => {
  const f = await responses();
  const os = unwrapSome([f.success.idToken, f.success.idTokenToken]);
  for (const o of os) judge.judgeDelivery(o, 'fragment', `response_type=${o.run.sent.params.response_type}`);
  return { exchanges: evidenceOfAll(os) };
});

register(check.stateEchoed, async () => {
  const os = await everyResponse();
  judge.judgeStateEchoed(os);
  return { exchanges: evidenceOfAll(os) };
});

register(check.idTokenValid, async (ctx) => {
  const f = await responses();
  const env = idTokenContext(ctx, 'basic', await jwks());
  const os = unwrapSome([f.success.idToken, f.success.idTokenToken]);
  for (const o of os) await judge.judgeImplicitIdToken(o, env);
  return { exchanges: [...evidenceOfAll(os), env.jwksExchange!] };
});

register(check.idTokenOpenidScopeOnly, async () => {
  const f = await responses();
  return judge.judgeOpenidScopeOnly(unwrapSome([f.success.idToken, f.success.idTokenToken]));
});

register(check.atHash, async () => {
  const o = unwrap((await responses()).success.idTokenToken);
  judge.judgeAtHash(o);
  return { exchanges: evidenceOf(o) };
});

register(check.noAtHashWithoutAccessToken, async () => {
  const o = unwrap((await responses()).success.idToken);
  judge.judgeNoAtHash(o);
  return { exchanges: evidenceOf(o) };
});

register(check.nonceRequired, async () => {
  const f = await refusals();
  const os = unwrapSome([f.withoutNonce.idToken, f.withoutNonce.idTokenToken]);
  const answers = os.map((o) => `${o.run.sent.params.response_type}: ${judge.judgeRefused(o, `response_type=${o.run.sent.params.response_type} without nonce`, ['invalid_request'])}`);
  return { exchanges: evidenceOfAll(os), message: `requests without nonce were refused (${answers.join('; ')})` };
});

register(check.noRefreshToken, async () => {
  const f = await responses();
  const os = unwrapSome([f.success.idToken, f.success.idTokenToken]);
  for (const o of os) judge.judgeNoRefreshToken(o);
  return { exchanges: evidenceOfAll(os) };
});

register(check.expiresIn, async () => {
  const o = unwrap((await responses()).success.idTokenToken);
  judge.judgeExpiresIn(o);
  return { exchanges: evidenceOf(o) };
});

register(check.promptNoneWithoutSession, async () => {
  const f = await responses();
  const os = unwrapSome([f.promptNone.idToken, f.promptNone.idTokenToken]);
  for (const o of os) judge.judgePromptNoneWithoutSession(o);
  return { exchanges: evidenceOfAll(os) };
});

register(check.errorsInFragment, async () => {
  const os = await everyResponse();
  judge.judgeErrorsDelivered(os);
  return { exchanges: evidenceOfAll(os.filter((o) => o.run.result.params.error !== undefined)) };
});

register(check.issParameter, async (ctx) => {
  const os = await everyResponse();
  judge.judgeIssParameter(os, ctx.target.metadata(), issuerOf(ctx.target));
  return { exchanges: evidenceOfAll(os) };
});

register(check.userinfoGet, async () => {
  const { sub, o } = await accessTokenOf((await responses()).success.idTokenToken);
  const exchange = await userinfoGet();
  judge.judgeUserinfoSub(exchange, sub);
  return { exchanges: [exchange.id, ...evidenceOf(o)] };
});

register(check.userinfoPost, async () => {
  const { sub, o } = await accessTokenOf((await responses()).success.idTokenToken);
  const exchange = await userinfoPost();
  judge.judgeUserinfoSub(exchange, sub);
  return { exchanges: [exchange.id, ...evidenceOf(o)] };
});

register(check.scopeClaimsInIdToken, async () => {
  const o = unwrap((await refusals()).emailScope.idToken);
  const exchange = await userinfoEmail();
  judge.judgeScopeClaims(o, exchange);
  return { exchanges: [...evidenceOf(o), exchange.id] };
});

register(check.unregisteredRedirectRefused, async () => {
  const o = unwrap((await refusals()).unregisteredRedirect);
  judge.judgeNoRedirect(o);
  return { exchanges: evidenceOf(o), message: `the provider kept the user agent away from ${o.run.sent.redirectUri}` };
});

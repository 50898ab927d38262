// The hybrid flow in the browser (OIDC Core 3.3), in three sessions of a few requests each (each
// logs in once). One: prompt=none while it has no login, then code id_token, code token and code
// id_token token. Two: each type without nonce, and an unregistered redirect_uri. Three: the code
// tests (PKCE S256 and a replay of that code, the client_secret_post client, a code offered to
// another client). The codes are redeemed over plain HTTP; the access tokens go to UserInfo. Each
// request is an attempt of its own, so a type the target does not offer SKIPs only the checks that
// need it.
import { type CheckDefinition, CheckSkip } from '../../harness/checks.ts';
import { type AuthorizationSpec, type BrowserSession, redeemCode, withBrowser } from '../../harness/flows/authorization.ts';
import { type Attempt, attempt, idTokenContext, issuerOf, tryAuthorize, unregisteredRedirectUri, unwrap, unwrapSome } from '../../harness/flows/front-channel.ts';
import { fetchJwks, memberOf, userinfoRequest } from '../../harness/flows/steps.ts';
import { type Observed, evidenceOf, evidenceOfAll } from '../../harness/judge/authorization-response.ts';
import type { Exchange } from '../../harness/http/types.ts';
import type { ClientRole } from '../../harness/profile/types.ts';
import { type Judge, createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('hybrid');
/**
 * The check that first awaits a browser session waits for all of its requests (a login and a few
 * authorization requests): more than one request's worth on a slow provider or a loaded machine.
 */
const SESSION_WAIT = { waitsMs: 30_000 };
const register = (definition: CheckDefinition, judge: Judge) => suite.check(definition, judge, SESSION_WAIT);

const TYPES = { codeIdToken: 'code id_token', codeToken: 'code token', codeIdTokenToken: 'code id_token token' } as const;
type TypeKey = keyof typeof TYPES;
type Triple = Record<TypeKey, Attempt<Observed>>;
const KEYS = Object.keys(TYPES) as TypeKey[];

interface Responses {
  promptNone: Triple;
  success: Triple;
}

interface Refusals {
  withoutNonce: Triple;
  unregisteredRedirect: Attempt<Observed>;
}

interface CodeFlows {
  pkce: Attempt<Observed>;
  post: Attempt<Observed>;
  binding: Attempt<Observed>;
}

interface Redemption {
  o: Observed;
  exchange: Exchange;
}

function skipped(reason: string): Attempt<never> {
  return { ok: false, error: new CheckSkip(reason) };
}

async function triple(run: (type: string, key: TypeKey) => Promise<Attempt<Observed>>): Promise<Triple> {
  const out = {} as Triple;
  for (const key of KEYS) out[key] = await run(TYPES[key], key);
  return out;
}

function runner(ctx: SuiteContext, session: BrowserSession) {
  return (responseType: string, label: string, spec: Omit<AuthorizationSpec, 'responseType'> = {}, login = true) =>
    tryAuthorize(ctx, session, { responseType, ...spec }, `hybrid: ${label}`, { login });
}

/** Session one: prompt=none while the session has no login, then the three hybrid types (the login happens here). */
function hybridResponses(ctx: SuiteContext): Promise<Responses> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'hybrid responses', async (session) => {
    const run = runner(ctx, session);
    const promptNone = await triple((type) => run(type, `prompt=none without a session (${type})`, { params: { prompt: 'none' } }, false));
    const success = await triple((type) => run(type, `response_type=${type}`));
    return { promptNone, success };
  });
}

/** Session two, logged in: each type without nonce, and an unregistered redirect_uri. */
function hybridRefusals(ctx: SuiteContext): Promise<Refusals> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'hybrid refusals', async (session) => {
    const run = runner(ctx, session);
    const withoutNonce = await triple((type) => run(type, `${type} without nonce`, { nonce: false }));
    const registered = ctx.target.client('basic').redirect_uri;
    const offered = KEYS.find((k) => ctx.target.responseTypes().includes(TYPES[k])) ?? 'codeIdToken';
    const unregisteredRedirect = registered
      ? await run(TYPES[offered], `${TYPES[offered]} with an unregistered redirect_uri`, { redirectUri: unregisteredRedirectUri(registered) })
      : skipped('the basic client of the profile has no redirect_uri');
    return { withoutNonce, unregisteredRedirect };
  });
}

async function codeFlows(ctx: SuiteContext): Promise<CodeFlows> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'hybrid code tests', async (session) => {
    const run = (label: string, spec: Omit<AuthorizationSpec, 'responseType'>) => tryAuthorize(ctx, session, { responseType: TYPES.codeIdToken, ...spec }, `hybrid: ${label}`);
    const pkce = await run('code id_token with PKCE S256', { pkce: 'S256' });
    const post = ctx.target.profile.clients.post ? await run('code id_token for the client_secret_post client', { role: 'post' }) : skipped('the profile has no "post" client');
    const binding = ctx.target.profile.clients.second ? await run('code id_token to offer to another client', {}) : skipped('the profile has no "second" client');
    return { pkce, post, binding };
  });
}

const responses = suite.step('hybrid responses (browser session one)', (ctx) => hybridResponses(ctx));
const refusals = suite.step('hybrid refusals (browser session two)', (ctx) => hybridRefusals(ctx));
const codes = suite.step('hybrid code tests (browser session three)', (ctx) => codeFlows(ctx));
const jwks = suite.step('JWK Set', (ctx) => fetchJwks(ctx));

/** Redeems the response's code (SKIP when there is none: the response checks judge that). */
function redeem(ctx: SuiteContext, front: Attempt<Observed>, label: string, role?: ClientRole): Promise<Attempt<Redemption>> {
  return attempt(async () => {
    const o = unwrap(front);
    if (o.run.result.params.code === undefined) {
      throw new CheckSkip(`${o.run.sent.params.response_type} returned no code (${evidenceOf(o).join(', ')}); the response checks judge that`);
    }
    const options: Parameters<typeof redeemCode>[2] = { label };
    if (role) options.role = role;
    return { o, exchange: await redeemCode(ctx, o.run, options) };
  });
}

const redemptions = suite.step('hybrid code redemptions (client_secret_basic)', async (ctx) => {
  const f = await responses();
  const out = {} as Record<TypeKey, Attempt<Redemption>>;
  for (const key of KEYS) out[key] = await redeem(ctx, f.success[key], `code redemption (${TYPES[key]})`);
  return out;
});
const pkceRedemption = suite.step('code id_token code redeemed with its code_verifier', async (ctx) => unwrap(await redeem(ctx, (await codes()).pkce, 'code redemption with the PKCE code_verifier')));
// The PKCE code, once redeemed, is offered again. Not a code of session one: a provider may revoke
// the whole grant on reuse (RFC 6749 4.1.2), and session one's tokens go to UserInfo.
const reuse = suite.step('the PKCE code redeemed a second time', async (ctx) => {
  const first = await pkceRedemption();
  if (first.exchange.response?.status !== 200) throw new CheckSkip(`the first redemption ${first.exchange.id} failed (hybrid/pkce-round-trip judges it), so a second one proves nothing`);
  return { first: first.exchange, second: await redeemCode(ctx, first.o.run, { label: 'the same code redeemed again' }) };
});
const postRedemption = suite.step('code id_token code redeemed by the client_secret_post client', async (ctx) => unwrap(await redeem(ctx, (await codes()).post, 'code redemption (client_secret_post)')));
const bindingRedemption = suite.step('code id_token code redeemed by another client', async (ctx) => unwrap(await redeem(ctx, (await codes()).binding, 'code redemption by another client', 'second')));

interface TokenUse {
  token: string;
  sub: string;
  evidence: string[];
  label: string;
}

/** The access tokens to try at UserInfo: the front channel's (code id_token token) and the token endpoint's (code id_token), each with the sub of its flow's ID token. */
async function accessTokens(): Promise<Array<Attempt<TokenUse>>> {
  const f = await responses();
  const r = await redemptions();
  const front = await attempt(async () => {
    const o = unwrap(f.success.codeIdTokenToken);
    const token = o.run.result.params.access_token;
    if (token === undefined) throw new CheckSkip('code id_token token returned no access token (the response check judges that)');
    return { token, sub: String(judge.frontClaims(o).sub), evidence: evidenceOf(o), label: 'front-channel access token (code id_token token)' };
  });
  const back = await attempt(async () => {
    const { exchange } = unwrap(r.codeIdToken);
    const token = memberOf(exchange, 'access_token');
    if (token === undefined) throw new CheckSkip(`the code id_token redemption ${exchange.id} returned no access token (hybrid/code-exchange judges it)`);
    return { token, sub: String(judge.backClaims(exchange).sub), evidence: [exchange.id], label: 'token endpoint access token (code id_token)' };
  });
  return [front, back];
}

function userinfoStep(method: 'GET' | 'POST') {
  return suite.step(`UserInfo ${method} with the hybrid access tokens`, async (ctx) => {
    const calls: Array<Attempt<{ use: TokenUse; exchange: Exchange }>> = [];
    for (const use of await accessTokens()) {
      calls.push(await attempt(async () => {
        const u = unwrap(use);
        return { use: u, exchange: await userinfoRequest(ctx, { token: u.token, method, label: `userinfo ${method} (${u.label})` }) };
      }));
    }
    return calls;
  });
}
const userinfoGet = userinfoStep('GET');
const userinfoPost = userinfoStep('POST');

/** Every response of sessions one and two that worked, for the cross-cutting checks. */
async function everyResponse(): Promise<Observed[]> {
  const f = { ...(await responses()), ...(await refusals()) };
  return unwrapSome([...KEYS.map((k) => f.promptNone[k]), ...KEYS.map((k) => f.success[k]), ...KEYS.map((k) => f.withoutNonce[k])]);
}

for (const [definition, key] of [[check.codeIdTokenResponse, 'codeIdToken'], [check.codeTokenResponse, 'codeToken'], [check.codeIdTokenTokenResponse, 'codeIdTokenToken']] as const) {
  register(definition, async () => {
    const o = unwrap((await responses()).success[key]);
    judge.judgeSuccessParameters(o);
    return { exchanges: evidenceOf(o) };
  });
}

register(check.responseInFragment, async () => {
  const f = await responses();
  const os = unwrapSome(KEYS.map((k) => f.success[k]));
  for (const o of os) judge.judgeDelivery(o, 'fragment', `response_type=${o.run.sent.params.response_type}`);
  return { exchanges: evidenceOfAll(os) };
});

register(check.stateEchoed, async () => {
  const os = await everyResponse();
  judge.judgeStateEchoed(os);
  return { exchanges: evidenceOfAll(os) };
});

register(check.frontIdTokenValid, async (ctx) => {
  const f = await responses();
  const env = idTokenContext(ctx, 'basic', await jwks());
  const os = unwrapSome([f.success.codeIdToken, f.success.codeIdTokenToken]);
  for (const o of os) await judge.judgeFrontIdToken(o, env);
  return { exchanges: [...evidenceOfAll(os), env.jwksExchange!] };
});

register(check.idTokenOpenidScopeOnly, async () => {
  const f = await responses();
  const r = await redemptions();
  return judge.judgeOpenidScopeOnly(unwrapSome(KEYS.map((k) => f.success[k])), unwrapSome(KEYS.map((k) => r[k])));
});

register(check.cHash, async () => {
  const f = await responses();
  const os = unwrapSome([f.success.codeIdToken, f.success.codeIdTokenToken]);
  for (const o of os) judge.judgeTokenHash(o, 'c_hash');
  return { exchanges: evidenceOfAll(os) };
});

register(check.atHash, async () => {
  const o = unwrap((await responses()).success.codeIdTokenToken);
  judge.judgeTokenHash(o, 'at_hash');
  return { exchanges: evidenceOf(o) };
});

register(check.codeExchange, async () => {
  const r = await redemptions();
  const done = unwrapSome(KEYS.map((k) => r[k]));
  for (const { exchange } of done) judge.judgeCodeExchange(exchange);
  return { exchanges: done.map((d) => d.exchange.id) };
});

register(check.tokenIdTokenValid, async (ctx) => {
  const r = await redemptions();
  const env = idTokenContext(ctx, 'basic', await jwks());
  const done = unwrapSome(KEYS.map((k) => r[k]));
  const granted = done.filter(({ exchange }) => exchange.response?.status === 200);
  if (granted.length === 0) judge.grantedBody(done[0]!.exchange); // SKIP, naming the failed redemption
  for (const { exchange, o } of granted) await judge.judgeBackIdToken(exchange, o, env);
  return { exchanges: [...granted.map((d) => d.exchange.id), env.jwksExchange!] };
});

/** The front and back ID token claims of code id_token and code id_token token, for the comparisons. */
async function pairs(): Promise<Array<{ front: Record<string, unknown>; back: Record<string, unknown>; exchanges: string[]; label: string }>> {
  const r = await redemptions();
  const done = unwrapSome([r.codeIdToken, r.codeIdTokenToken]);
  const granted = done.filter(({ exchange }) => exchange.response?.status === 200);
  if (granted.length === 0) judge.grantedBody(done[0]!.exchange);
  return granted.map(({ o, exchange }) => ({ front: judge.frontClaims(o), back: judge.backClaims(exchange), exchanges: [...evidenceOf(o), exchange.id], label: `response_type=${o.run.sent.params.response_type}` }));
}

register(check.sameIssSub, async () => {
  const all = await pairs();
  for (const p of all) judge.judgeSameIssSub(p.front, p.back, p.exchanges, p.label);
  return { exchanges: all.flatMap((p) => p.exchanges) };
});

register(check.authClaimsConsistent, async () => {
  const all = await pairs();
  for (const p of all) judge.judgeAuthClaims(p.front, p.back, p.exchanges, p.label);
  return { exchanges: all.flatMap((p) => p.exchanges) };
});

register(check.nonceRequired, async () => {
  const f = await refusals();
  const os = unwrapSome([f.withoutNonce.codeIdToken, f.withoutNonce.codeIdTokenToken]);
  const answers = os.map((o) => `${o.run.sent.params.response_type}: ${judge.judgeRefused(o, `response_type=${o.run.sent.params.response_type} without nonce`, ['invalid_request'])}`);
  return { exchanges: evidenceOfAll(os), message: `requests without nonce were refused (${answers.join('; ')})` };
});

register(check.codeTokenWithoutNonce, async () => {
  const o = unwrap((await refusals()).withoutNonce.codeToken);
  judge.judgeSuccessParameters(o);
  return { exchanges: evidenceOf(o) };
});

register(check.codeReuseRefused, async () => {
  const { first, second } = await reuse();
  judge.judgeInvalidGrant(second);
  return { exchanges: [first.id, second.id] };
});

register(check.codeBoundToClient, async () => {
  const { exchange } = await bindingRedemption();
  judge.judgeInvalidGrant(exchange);
  return { exchanges: [exchange.id] };
});

register(check.pkceRoundTrip, async () => {
  const { exchange } = await pkceRedemption();
  judge.judgeCodeExchange(exchange);
  return { exchanges: [exchange.id] };
});

register(check.clientSecretPost, async (ctx) => {
  const { exchange, o } = await postRedemption();
  judge.judgeCodeExchange(exchange);
  await judge.judgeFrontIdToken(o, idTokenContext(ctx, 'post', await jwks()));
  judge.judgeSameIssSub(judge.frontClaims(o), judge.backClaims(exchange), [...evidenceOf(o), exchange.id], 'client_secret_post client');
  return { exchanges: [...evidenceOf(o), exchange.id] };
});

register(check.userinfoClientSecretPost, async (ctx) => {
  const { exchange: redemption } = await postRedemption();
  const token = judge.grantedBody(redemption).access_token;
  if (typeof token !== 'string') throw new CheckSkip(`the client_secret_post redemption ${redemption.id} returned no access token (hybrid/client-secret-post judges it)`);
  const exchange = await userinfoRequest(ctx, { token, label: 'userinfo GET (access token of the client_secret_post client, code id_token)' });
  judge.judgeUserinfoSub(exchange, String(judge.backClaims(redemption).sub));
  return { exchanges: [exchange.id, redemption.id], message: 'UserInfo returned the sub of the client_secret_post client\'s ID token' };
});

register(check.promptNoneWithoutSession, async () => {
  const f = await responses();
  const os = unwrapSome(KEYS.map((k) => f.promptNone[k]));
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

register(check.expiresIn, async () => {
  const f = await responses();
  const os = unwrapSome([f.success.codeToken, f.success.codeIdTokenToken]);
  for (const o of os) judge.judgeExpiresIn(o);
  return { exchanges: evidenceOfAll(os) };
});

for (const [definition, step] of [[check.userinfoGet, userinfoGet], [check.userinfoPost, userinfoPost]] as const) {
  register(definition, async () => {
    const calls = unwrapSome(await step());
    for (const { use, exchange } of calls) judge.judgeUserinfoSub(exchange, use.sub);
    return { exchanges: calls.flatMap(({ use, exchange }) => [exchange.id, ...use.evidence]), message: `UserInfo returned the ID token's sub for the ${calls.map((c) => c.use.label).join(' and the ')}` };
  });
}

register(check.unregisteredRedirectRefused, async () => {
  const o = unwrap((await refusals()).unregisteredRedirect);
  judge.judgeNoRedirect(o);
  return { exchanges: evidenceOf(o), message: `the provider kept the user agent away from ${o.run.sent.redirectUri}` };
});

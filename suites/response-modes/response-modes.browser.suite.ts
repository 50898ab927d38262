// Response modes in the browser, for every response type and mode the target offers, in four
// sessions of a few requests each (each logs in once): (1) prompt=none with code in the fragment
// while it has no login, then every type without response_mode; (2) the default modes named
// explicitly, code in the fragment, an unknown response_mode, a form_post state made to break out of
// the form; (3) response_mode=query for the types that return tokens; (4) form_post: prompt=none
// while it has no login, then every type.
import { type CheckDefinition, CheckSkip } from '../../harness/checks.ts';
import { type AuthorizationSpec, buildAuthorizationRequest, withBrowser } from '../../harness/flows/authorization.ts';
import { type Attempt, attempt, idTokenContext, issuerOf, observe, tryAuthorize, unwrap, unwrapSome } from '../../harness/flows/front-channel.ts';
import { fetchJwks } from '../../harness/flows/steps.ts';
import { type Observed, evidenceOf, evidenceOfAll, typesOf } from '../../harness/judge/authorization-response.ts';
import { type Judge, createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('response-modes');
/**
 * The check that first awaits a browser session waits for all of its requests (a login and a few
 * authorization requests): more than one request's worth on a slow provider or a loaded machine.
 */
const SESSION_WAIT = { waitsMs: 30_000 };
const register = (definition: CheckDefinition, judge: Judge) => suite.check(definition, judge, SESSION_WAIT);

const ALL_TYPES = ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'];
const TOKEN_TYPES = ALL_TYPES.filter((t) => t !== 'code');
const UNKNOWN_MODE = 'oidc-conformance-unknown-mode';

type ByType = Array<{ type: string; attempt: Attempt<Observed> }>;

function runner(ctx: SuiteContext, session: Parameters<Parameters<typeof withBrowser>[2]>[0], prefix: string) {
  return (responseType: string, label: string, spec: Omit<AuthorizationSpec, 'responseType'> = {}, login = true) =>
    tryAuthorize(ctx, session, { responseType, ...spec }, `${prefix}: ${label}`, { login });
}

interface DefaultFlows {
  codeErrorInFragment: Attempt<Observed>;
  defaults: ByType;
}

/** Session one: code in the fragment with prompt=none while it has no login, then every type without response_mode. */
async function defaultFlows(ctx: SuiteContext): Promise<DefaultFlows> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'response modes: defaults', async (session) => {
    const run = runner(ctx, session, 'response modes');
    const codeErrorInFragment = await run('code', 'prompt=none without a session, code in the fragment', { responseMode: 'fragment', params: { prompt: 'none' } }, false);
    const defaults: ByType = [];
    for (const type of ALL_TYPES) defaults.push({ type, attempt: await run(type, `${type} without response_mode`) });
    return { codeErrorInFragment, defaults };
  });
}

interface RequestedFlows {
  explicitQuery: Attempt<Observed>;
  explicitFragment: Attempt<Observed>;
  codeInFragment: Attempt<Observed>;
  unknownMode: Attempt<Observed>;
  hostileState: Attempt<Observed>;
  /** When form_post is not advertised: one code request with it anyway, to see whether it works. */
  probe?: Attempt<Observed>;
}

function formPostAdvertised(ctx: SuiteContext): boolean {
  const modes = ctx.target.metadata().response_modes_supported;
  return Array.isArray(modes) && modes.includes('form_post');
}

/** Session two: the default modes named explicitly, code in the fragment, an unknown mode, form_post with a hostile state (and the form_post probe). */
async function requestedFlows(ctx: SuiteContext): Promise<RequestedFlows> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'response modes: requested modes', async (session) => {
    const run = runner(ctx, session, 'response modes');
    const explicitQuery = await run('code', 'code with response_mode=query', { responseMode: 'query' });
    const fragmentType = TOKEN_TYPES.find((t) => ctx.target.responseTypes().includes(t)) ?? 'id_token';
    const explicitFragment = await run(fragmentType, `${fragmentType} with response_mode=fragment`, { responseMode: 'fragment' });
    const codeInFragment = await run('code', 'code with response_mode=fragment', { responseMode: 'fragment' });
    const unknownMode = await run('code', `code with response_mode=${UNKNOWN_MODE}`, { params: { response_mode: UNKNOWN_MODE } });
    const hostileState = await run('code', 'code by form_post, with a state that breaks out of an HTML attribute', { responseMode: 'form_post', state: judge.HOSTILE_STATE });
    const flows: RequestedFlows = { explicitQuery, explicitFragment, codeInFragment, unknownMode, hostileState };
    if (!formPostAdvertised(ctx)) {
      flows.probe = await attempt(async () => {
        // Not advertised (nor offered by the profile): asked for anyway, outside requireResponseType.
        const sent = buildAuthorizationRequest(ctx.target, { responseType: 'code', params: { response_mode: 'form_post' } });
        const result = await session.authorize({ endpoint: ctx.target.endpoint('authorization'), params: sent.params, label: 'response modes: code with response_mode=form_post (not advertised)' });
        return observe(ctx, { sent, result });
      });
    }
    return flows;
  });
}

/** Session three: response_mode=query asked for with every type that returns a token or ID token. */
async function queryFlows(ctx: SuiteContext): Promise<ByType> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, 'response modes: query for token types', async (session) => {
    const run = runner(ctx, session, 'response modes');
    const queryForTokens: ByType = [];
    // response_mode=query is sent as a plain parameter: the point is what happens when it is asked for.
    for (const type of TOKEN_TYPES) queryForTokens.push({ type, attempt: await run(type, `${type} with response_mode=query`, { params: { response_mode: 'query' } }) });
    return queryForTokens;
  });
}

interface FormPostFlows {
  advertised: boolean;
  error: Attempt<Observed>;
  byType: ByType;
}

/** Session four: form_post, prompt=none while it has no login, then every type. */
async function formPostFlows(ctx: SuiteContext): Promise<FormPostFlows> {
  ctx.target.endpoint('authorization');
  const advertised = formPostAdvertised(ctx);
  return withBrowser(ctx, 'response modes: form_post', async (session) => {
    const run = runner(ctx, session, 'form_post');
    const error = await run('code', 'prompt=none without a session', { responseMode: 'form_post', params: { prompt: 'none' } }, false);
    const byType: ByType = [];
    for (const type of ALL_TYPES) byType.push({ type, attempt: await run(type, `${type} with response_mode=form_post`, { responseMode: 'form_post' }) });
    return { advertised, error, byType };
  });
}

const defaults = suite.step('default modes (browser session one)', (ctx) => defaultFlows(ctx));
const requested = suite.step('requested modes (browser session two)', (ctx) => requestedFlows(ctx));
const queries = suite.step('response_mode=query for token types (browser session three)', (ctx) => queryFlows(ctx));
const formPosts = suite.step('form_post for every response type (browser session four)', (ctx) => formPostFlows(ctx));
const jwks = suite.step('JWK Set', (ctx) => fetchJwks(ctx));

function attempts(byType: ByType): Array<Attempt<Observed>> {
  return byType.map((b) => b.attempt);
}

/** The form_post responses that were answered with a form_post (for the checks that judge the form's content). */
async function formPostResponses(): Promise<Observed[]> {
  const os = unwrapSome(attempts((await formPosts()).byType));
  const posted = os.filter((o) => o.run.result.via === 'form_post');
  if (posted.length === 0) throw new CheckSkip(`no request was answered with a form_post (${evidenceOfAll(os).join(', ')}); response-modes/form-post-delivery judges that`);
  return posted;
}

register(check.defaultModes, async () => {
  const os = unwrapSome(attempts((await defaults()).defaults));
  judge.judgeDefaultModes(os);
  return { exchanges: evidenceOfAll(os), message: `defaults held for ${os.map((o) => o.run.sent.params.response_type).join(', ')}` };
});

register(check.explicitDefaultAccepted, async () => {
  const f = await requested();
  const os = unwrapSome([f.explicitQuery, f.explicitFragment]);
  for (const o of os) {
    judge.judgeSuccessParameters(o);
    judge.judgeDelivery(o, o.run.sent.params.response_mode as 'query' | 'fragment', `response_type=${o.run.sent.params.response_type} with response_mode=${o.run.sent.params.response_mode}`);
  }
  return { exchanges: evidenceOfAll(os) };
});

register(check.requestedModeHonoured, async () => {
  const os = unwrapSome([(await requested()).codeInFragment, (await defaults()).codeErrorInFragment]);
  for (const o of os) judge.judgeRequestedMode(o);
  return { exchanges: evidenceOfAll(os) };
});

register(check.queryRefusedForTokens, async () => {
  const os = unwrapSome(attempts(await queries()));
  const answers = os.map((o) => `${o.run.sent.params.response_type}: ${judge.judgeQueryRefused(o)}`);
  return { exchanges: evidenceOfAll(os), message: `no token or ID token in the query (${answers.join('; ')})` };
});

register(check.singleMode, async () => {
  const d = await defaults();
  const r = await requested();
  const q = await queries();
  const fp = await formPosts();
  const os = unwrapSome([d.codeErrorInFragment, ...attempts(d.defaults), r.explicitQuery, r.explicitFragment, r.codeInFragment, r.hostileState, ...attempts(q), fp.error, ...attempts(fp.byType)]).filter(
    (o) => o.run.result.outcome === 'response',
  );
  if (os.length === 0) throw new CheckSkip('no authorization response to judge');
  for (const o of os) judge.judgeSingleMode(o, `response_type=${o.run.sent.params.response_type}${o.run.sent.params.response_mode ? ` with response_mode=${o.run.sent.params.response_mode}` : ''}`);
  return { exchanges: evidenceOfAll(os) };
});

register(check.unknownModeNotHonoured, async () => {
  const o = unwrap((await requested()).unknownMode);
  const answer = judge.judgeUnknownModeRefused(o);
  return { exchanges: evidenceOf(o), message: `response_mode=${UNKNOWN_MODE} was refused with ${answer === 'page' ? `a page (HTTP ${o.run.result.page?.status ?? '?'})` : `error=${o.run.result.params.error}`}` };
});

register(check.formPostDelivery, async () => {
  const os = unwrapSome(attempts((await formPosts()).byType));
  for (const o of os) judge.judgeDelivery(o, 'form_post', `response_type=${o.run.sent.params.response_type} with response_mode=form_post`);
  return { exchanges: evidenceOfAll(os), message: `form_post delivered ${os.map((o) => o.run.sent.params.response_type).join(', ')}` };
});

register(check.formPostResponses, async (ctx) => {
  const os = await formPostResponses();
  const env = idTokenContext(ctx, 'basic', await jwks());
  for (const o of os) {
    judge.judgeSuccessParameters(o);
    if (typesOf(o.run.sent.params.response_type ?? '').includes('id_token')) await judge.judgeResponseIdToken(o, env);
  }
  return { exchanges: [...evidenceOfAll(os), env.jwksExchange!] };
});

register(check.formPostNoStore, async () => {
  const os = await formPostResponses();
  for (const o of os) judge.judgeFormPageNoStore(o);
  return { exchanges: os.map((o) => judge.formPageOf(o)?.id ?? evidenceOf(o)[0]!) };
});

register(check.formPostState, async () => {
  const fp = await formPosts();
  const os = unwrapSome([fp.error, ...attempts(fp.byType)]).filter((o) => o.run.result.via === 'form_post');
  judge.judgeStateEchoed(os);
  return { exchanges: evidenceOfAll(os) };
});

register(check.formPostError, async () => {
  const o = unwrap((await formPosts()).error);
  judge.judgePromptNoneWithoutSession(o);
  judge.judgeRequestedMode(o);
  return { exchanges: evidenceOf(o) };
});

register(check.formPostEscapesValues, async () => {
  const o = unwrap((await requested()).hostileState);
  judge.judgeFormPostEscaping(o);
  return { exchanges: evidenceOf(o) };
});

register(check.formPostIss, async (ctx) => {
  const fp = await formPosts();
  const os = unwrapSome([fp.error, ...attempts(fp.byType)]).filter((o) => o.run.result.via === 'form_post');
  judge.judgeIssParameter(os, ctx.target.metadata(), issuerOf(ctx.target));
  return { exchanges: evidenceOfAll(os) };
});

register(check.formPostAdvertised, async () => {
  const fp = await formPosts();
  const o = unwrap((await requested()).probe ?? fp.byType[0]!.attempt);
  judge.judgeFormPostAdvertised(fp.advertised, o);
  return { exchanges: evidenceOf(o), message: fp.advertised ? 'form_post is advertised and works' : 'form_post is not advertised, and does not work' };
});


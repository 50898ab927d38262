// RP-initiated logout in a real browser. One session: the user logs in and the harness keeps the
// ID token (the id_token_hint); a logout without hint (not confirmed) must leave the session alive;
// the real logout must redirect with the state and end the session; repeating it, as a POST, or
// with ui_locales/logout_hint still works; requests that fail validation (unregistered URIs, a
// foreign hint, a mismatched client_id, no hint) must not redirect anywhere.
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { type CheckDefinition, CheckFailure, CheckSkip, type PassDetails } from '../../harness/checks.ts';
import { fetchJwks } from '../../harness/flows/steps.ts';
import { validateIdToken } from '../../harness/tokens/id-token.ts';
import { type AuthorizationSpec, authorizeIn, loginScript, redeemCode } from '../../harness/flows/authorization.ts';
import { BrowserSession, type AuthorizationRequest, type AuthorizeOptions } from '../../harness/browser/session.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { jsonObject } from '../../harness/judge/exchange.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { type Flow, Flows, after } from '../support/flows.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('logout');
const ctx: SuiteContext = { target: suite.target, http: suite.http };
const FOREIGN = 'https://attacker.oidc-conformance.invalid/logged-out';

/** The file's flows (suites/support/flows.ts): each runs once, and only when a selected check needs it. */
const flows = new Flows();
const once = <T>(run: () => Promise<T>) => flows.once(run);

let opened: BrowserSession | undefined;

interface Setup {
  endpoint: string;
  /** The basic client's registered post_logout_redirect_uri. */
  postLogout: string;
  confirm: AuthorizeOptions['confirm'];
}

/** What every logout check needs; SKIP when the target or the profile lacks it. */
function setup(): Setup {
  const endpoint = ctx.target.endpoint('end_session');
  const postLogout = ctx.target.client('basic').post_logout_redirect_uri;
  if (!postLogout) throw new CheckSkip('the profile\'s basic client has no post_logout_redirect_uri');
  return { endpoint, postLogout, confirm: ctx.target.profile.login?.logout };
}

const session = once(async () => {
  setup();
  ctx.target.endpoint('authorization');
  opened = await BrowserSession.open({ http: suite.http, login: loginScript(ctx.target), user: ctx.target.user(0), timeoutMs: ctx.target.profile.timeouts?.request_ms ?? 10_000, label: 'logout' });
  return opened;
});

function observe(run: { sent: Parameters<typeof redeemCode>[1]['sent']; result: Awaited<ReturnType<BrowserSession['authorize']>> }): judge.Observed {
  return { run, exchanges: run.result.exchanges.map((id) => ctx.http.exchange(id)).filter((e): e is Exchange => e !== undefined) };
}

async function authorizeRequest(spec: AuthorizationSpec, label: string): Promise<judge.Observed> {
  return observe(await authorizeIn(ctx, await session(), spec, label, { login: false, consent: false }));
}

/** A logout request in the session; the provider's confirmation page, if any, is confirmed only when `confirm` is true. */
async function logout(params: Record<string, string>, label: string, options: { method?: 'GET' | 'POST'; confirm?: boolean; captureAt?: string; screenshot?: boolean } = {}): Promise<judge.Observed> {
  const { endpoint, postLogout, confirm } = setup();
  const request: AuthorizationRequest = { endpoint, params, method: options.method ?? 'GET', label, captureAt: options.captureAt ?? params.post_logout_redirect_uri ?? postLogout };
  const behaviour: AuthorizeOptions = { login: false, consent: false };
  if (options.confirm !== false && confirm) behaviour.confirm = confirm;
  if (options.screenshot) behaviour.screenshot = true;
  const result = await (await session()).authorize(request, behaviour);
  return observe({ sent: { client: ctx.target.client('basic'), params, redirectUri: request.captureAt!, ...(params.state ? { state: params.state } : {}) }, result });
}

const promptNone: AuthorizationSpec = { responseType: 'code', params: { prompt: 'none' } };

// ---- the flow, in order ----

const loggedIn = once(async () => {
  const run = await authorizeIn(ctx, await session(), { responseType: 'code' }, 'login');
  const redemption = await redeemCode(ctx, run, { label: 'code redemption (for the id_token_hint)' });
  const idToken = jsonObject(redemption).id_token;
  if (typeof idToken !== 'string') throw new Error(`no id_token in the token response (${redemption.id})`);
  // A hint the provider cannot validate (a broken ID token) says nothing about logout: those checks SKIP.
  let invalid: string | undefined;
  try {
    const client = ctx.target.client('basic');
    const { jwks } = await fetchJwks(ctx);
    await validateIdToken(idToken, { issuer: ctx.target.issuer, clientId: client.client_id, ...(client.client_secret ? { clientSecret: client.client_secret } : {}), jwks, exchanges: [redemption.id] });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    invalid = error.message;
  }
  return { idToken, invalid, exchanges: [...run.result.exchanges, redemption.id] };
});

/** The ID token to send as id_token_hint; SKIP when it does not validate (the id-token checks report why). */
async function hint(): Promise<string> {
  const { idToken, invalid } = await loggedIn();
  if (invalid) throw new CheckSkip(`the provider's ID token does not validate (${invalid}), so there is no id_token_hint to log out with`);
  return idToken;
}

const noHintLogout = once(async () => {
  await loggedIn();
  return logout({}, 'logout without id_token_hint (not confirmed)', { confirm: false });
});

const afterNoHint = once(async () => {
  await after(noHintLogout);
  return authorizeRequest(promptNone, 'prompt=none after the unconfirmed logout');
});

const realLogout = once(async () => {
  const idToken = await hint();
  await after(afterNoHint);
  return logout({ id_token_hint: idToken, post_logout_redirect_uri: setup().postLogout, state: 'oidc-conformance-logout-1' }, 'logout with id_token_hint');
});

const afterLogout = once(async () => {
  await after(realLogout);
  return authorizeRequest(promptNone, 'prompt=none after the logout');
});

const repeated = once(async () => {
  const idToken = await hint();
  await after(afterLogout);
  return logout({ id_token_hint: idToken, post_logout_redirect_uri: setup().postLogout, state: 'oidc-conformance-logout-2' }, 'the same logout again (already logged out)');
});

const posted = once(async () => {
  const idToken = await hint();
  await after(repeated);
  return logout({ id_token_hint: idToken, post_logout_redirect_uri: setup().postLogout, state: 'oidc-conformance-logout-3' }, 'logout as a form POST', { method: 'POST' });
});

const withOptional = once(async () => {
  const idToken = await hint();
  await after(posted);
  return logout(
    { id_token_hint: idToken, post_logout_redirect_uri: setup().postLogout, state: 'oidc-conformance-logout-4', ui_locales: 'xx-YY', logout_hint: ctx.target.user(0).username },
    'logout with ui_locales=xx-YY and logout_hint',
  );
});

const unregistered = once(async () => {
  const idToken = await hint();
  await after(withOptional);
  const { postLogout } = setup();
  const probes: Array<{ name: string; observed: judge.Observed; uris: string[] }> = [];
  for (const variant of judge.postLogoutVariants(postLogout, FOREIGN)) {
    const observed = await logout({ id_token_hint: idToken, post_logout_redirect_uri: variant.uri, state: 'oidc-conformance-bad-uri' }, `unregistered post_logout_redirect_uri: ${variant.name}`, { screenshot: true });
    probes.push({ name: variant.name, observed, uris: [variant.uri] });
  }
  return probes;
});

/** An ID token like the real one, signed with a key of the harness's. */
async function foreignToken(idToken: string): Promise<string> {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', ...(header.kid ? { kid: header.kid } : {}) }).sign(privateKey);
}

const foreignHint = once(async () => {
  const idToken = await hint();
  await after(unregistered);
  const { postLogout } = setup();
  const observed = await logout({ id_token_hint: await foreignToken(idToken), post_logout_redirect_uri: postLogout, state: 'oidc-conformance-foreign-hint' }, 'id_token_hint signed by another key', { screenshot: true });
  return [{ name: 'id_token_hint signed by another key', observed, uris: [postLogout] }];
});

const mismatchedClient = once(async () => {
  const idToken = await hint();
  await after(foreignHint);
  const other = ctx.target.client('second');
  const { postLogout } = setup();
  const observed = await logout({ id_token_hint: idToken, client_id: other.client_id, post_logout_redirect_uri: postLogout, state: 'oidc-conformance-client-mismatch' }, 'client_id of another client than the hint\'s', { screenshot: true });
  return [{ name: `client_id ${other.client_id} with a hint for ${ctx.target.client('basic').client_id}`, observed, uris: [postLogout] }];
});

const noHint = once(async () => {
  await after(mismatchedClient);
  await loggedIn();
  const { postLogout } = setup();
  const observed = await logout({ post_logout_redirect_uri: postLogout, state: 'oidc-conformance-no-hint' }, 'post_logout_redirect_uri without id_token_hint', { screenshot: true });
  return [{ name: 'no id_token_hint, no client_id', observed, uris: [postLogout] }];
});

// The session closes once every started flow is done, without starting any other: a run that
// selects one check makes only the requests up to its own.
flows.register(async () => opened?.close());

/**
 * A check judged from the browser session; `judged`: every flow its judge awaits (through s),
 * started before the first check when the check is selected. Its deadline gets 30 s more, since
 * it may wait for Chromium to start, the login and the requests before its own, all slow on a
 * loaded machine.
 */
function browserCheck(definition: CheckDefinition, judged: ReadonlyArray<Flow>, judge: () => Promise<PassDetails>): void {
  flows.declare(definition.id, judged);
  suite.check(definition, flows.judging(judge), { waitsMs: 30_000 });
}

function step<T>(name: string, flow: () => Promise<T>): () => Promise<T> {
  return suite.step(name, () => flow());
}

const s = {
  noHintLogout: step('logout without id_token_hint, not confirmed', noHintLogout),
  afterNoHint: step('prompt=none after it', afterNoHint),
  realLogout: step('logout with id_token_hint, registered post_logout_redirect_uri and state', realLogout),
  afterLogout: step('prompt=none after the logout', afterLogout),
  repeated: step('the same logout again', repeated),
  posted: step('logout as a form POST', posted),
  withOptional: step('logout with ui_locales and logout_hint', withOptional),
  unregistered: step('unregistered post_logout_redirect_uri variants', unregistered),
  foreignHint: step('id_token_hint signed by another key', foreignHint),
  mismatchedClient: step('client_id that is not the hint\'s', mismatchedClient),
  noHint: step('post_logout_redirect_uri without id_token_hint', noHint),
};

const confirmSteps = () => ({ confirmSteps: Boolean(setup().confirm) });

browserCheck(check.redirectWithState, [realLogout], async () => {
  const observed = await s.realLogout();
  judge.judgeRedirectWithState(observed, setup().postLogout, 'oidc-conformance-logout-1', confirmSteps());
  return { exchanges: observed.run.result.exchanges };
});

browserCheck(check.endsSession, [afterNoHint, realLogout, afterLogout], async () => {
  const before = await s.afterNoHint();
  const loggedOut = await s.realLogout(); // its SKIP (no usable hint) is this check's too
  const afterwards = await s.afterLogout();
  judge.judgeEndsSession(before, afterwards);
  return { exchanges: [...before.run.result.exchanges.slice(-1), ...loggedOut.run.result.exchanges, ...afterwards.run.result.exchanges] };
});

browserCheck(check.confirmationWithoutHint, [noHintLogout, afterNoHint], async () => {
  const request = await s.noHintLogout();
  const afterwards = await s.afterNoHint();
  judge.judgeNotLoggedOutWithoutConfirmation(request, afterwards);
  return { exchanges: [...request.run.result.exchanges, ...afterwards.run.result.exchanges] };
});

browserCheck(check.postSupported, [posted], async () => {
  const observed = await s.posted();
  judge.judgeArrived(observed, setup().postLogout, 'the logout POST', confirmSteps());
  return { exchanges: observed.run.result.exchanges };
});

browserCheck(check.idempotent, [repeated], async () => {
  const observed = await s.repeated();
  judge.judgeArrived(observed, setup().postLogout, 'the repeated logout', confirmSteps());
  return { exchanges: observed.run.result.exchanges };
});

browserCheck(check.optionalParametersAccepted, [withOptional], async () => {
  const observed = await s.withOptional();
  judge.judgeArrived(observed, setup().postLogout, 'the logout with ui_locales and logout_hint', confirmSteps());
  return { exchanges: observed.run.result.exchanges };
});

browserCheck(check.unregisteredUriNoRedirect, [unregistered], async () => {
  const probes = await s.unregistered();
  judge.judgeNoPostLogoutRedirect(probes);
  return { exchanges: probes.flatMap((p) => p.observed.run.result.exchanges), screenshots: true, message: `${probes.length} unregistered post_logout_redirect_uri values got no redirect: ${probes.map((p) => p.name).join(', ')}` };
});

browserCheck(check.foreignHintNoRedirect, [foreignHint], async () => {
  const probes = await s.foreignHint();
  judge.judgeNoPostLogoutRedirect(probes);
  return { exchanges: probes.flatMap((p) => p.observed.run.result.exchanges), screenshots: true };
});

browserCheck(check.clientIdMismatchNoRedirect, [mismatchedClient], async () => {
  const probes = await s.mismatchedClient();
  judge.judgeNoPostLogoutRedirect(probes);
  return { exchanges: probes.flatMap((p) => p.observed.run.result.exchanges), screenshots: true };
});

browserCheck(check.noHintNoRedirect, [noHint], async () => {
  const probes = await s.noHint();
  judge.judgeNoPostLogoutRedirect(probes);
  return { exchanges: probes.flatMap((p) => p.observed.run.result.exchanges), screenshots: true };
});

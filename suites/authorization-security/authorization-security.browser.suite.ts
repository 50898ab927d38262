// Security of the authorization endpoint in a real browser. Two browser sessions run side by side.
// Session A: the login page before anyone logs in, that login form forged from another site, the
// login page probed with return_to-style parameters, the real login (its code redeemed), the
// consent page (and a forged consent), a denial, and a public client asked twice. Session B logs in
// too, then sends the untrusted requests (redirect_uri variants, unknown or missing client_id, no
// redirect_uri, injected markup, foreign redirect targets): in a logged-in session a provider that
// wrongly accepted one would answer it at once. Every hop is recorded; the untrusted requests
// leave a screenshot that their checks attach even on PASS. Discovery, forwarded headers and TLS
// are judged over plain HTTP meanwhile.
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { type CheckDefinition, CheckSkip, type PassDetails } from '../../harness/checks.ts';
import { type AuthorizationSpec, type BrowserSession, authorizeIn, loginScript, redeemCode } from '../../harness/flows/authorization.ts';
import { fetchDiscovery } from '../../harness/flows/steps.ts';
import { BrowserSession as Session, type AuthorizeOptions } from '../../harness/browser/session.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { headerOf, isLoopbackUrl } from '../../harness/judge/exchange.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { type Flow, Flows, after } from '../support/flows.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('authorization-security');
/** A site of the attacker's, answered by the harness itself (never contacted). */
const ATTACKER = 'https://attacker.oidc-conformance.invalid';
const ATTACKER_PAGE = `${ATTACKER}/forged-form`;
const ATTACKER_CALLBACK = `${ATTACKER}/callback`;
const UNKNOWN_CLIENT = 'oidc-conformance-unknown-client';
/** Markup injected through state and redirect_uri (judge.PROBE_TAG): escaped, it never shows as a tag. */
const INJECTED = '"data-oidc-conformance-probe="1"><oidc-conformance-probe>x</oidc-conformance-probe>';
const FORGED_HOST = 'forwarded.oidc-conformance.invalid';
/**
 * Added to the deadline of each check judged from the browser: it may wait for Chromium to start,
 * the user to log in and the requests before its own (each settling for a moment), and a loaded
 * machine makes every step slow. A hang still ends, at twice the usual deadline.
 */
const BROWSER_WAIT_MS = 30_000;

const ctx: SuiteContext = { target: suite.target, http: suite.http };

/** The file's flows (suites/support/flows.ts): each runs once, and only when a selected check needs it. */
const flows = new Flows();
const once = <T>(run: () => Promise<T>) => flows.once(run);

const opened: Session[] = [];

/** A browser session of this file, with the suite's own recorder: each check cites the exchanges of the requests it judges. */
function browser(label: string): () => Promise<Session> {
  return once(async () => {
    const { target } = ctx;
    target.endpoint('authorization');
    const s = await Session.open({ http: suite.http, login: loginScript(target), user: target.user(0), timeoutMs: target.profile.timeouts?.request_ms ?? 10_000, label });
    opened.push(s);
    return s;
  });
}

/** Session A: the requests before and around the login; session B: the public client and the negative requests. They run side by side. */
const sessionA = browser('authorization-security: login, consent, forged forms');
const sessionB = browser('authorization-security: untrusted requests');

function observe(run: Awaited<ReturnType<typeof authorizeIn>>): judge.Observed {
  return { run, exchanges: run.result.exchanges.map((id) => ctx.http.exchange(id)).filter((e): e is Exchange => e !== undefined) };
}

/** One authorization request in a session, observed. */
async function request(session: () => Promise<Session>, spec: AuthorizationSpec, label: string, options: Pick<AuthorizeOptions, 'login' | 'consent' | 'screenshot'> = {}): Promise<judge.Observed> {
  return observe(await authorizeIn(ctx, await session(), spec, label, options));
}

/** A request that is not an authorization request (a forged form, a probe of the login page), observed. */
async function visit(session: () => Promise<Session>, req: Parameters<BrowserSession['authorize']>[0], options: AuthorizeOptions): Promise<judge.Observed> {
  const result = await (await session()).authorize(req, options);
  return observe({ sent: { client: ctx.target.client('basic'), params: req.params, redirectUri: req.captureAt ?? '' }, result });
}

function registered(role: 'basic' | 'public' = 'basic'): string {
  const uri = ctx.target.client(role).redirect_uri;
  if (!uri) throw new CheckSkip(`the profile's "${role}" client has no redirect_uri`);
  return uri;
}

function issOf(): string | undefined {
  const metadata = ctx.target.metadata();
  return metadata.authorization_response_iss_parameter_supported === true ? String(metadata.issuer) : undefined;
}

const code: AuthorizationSpec = { responseType: 'code' };
const NEGATIVE = { login: false, consent: false, screenshot: true } as const;

// ---- session A: before any login ----

const loginPage = once(async () => {
  return request(sessionA, code, 'login page (not logged in)', { login: false });
});

const forgedLogin = once(async (): Promise<judge.ForgedLogin | undefined> => {
  const page = await loginPage();
  if (page.run.result.stoppedAt !== 'login') return undefined;
  const form = await (await sessionA()).forgeableForm(loginScript(ctx.target).steps);
  if (!form) return undefined;
  const forged = await visit(
    sessionA,
    { endpoint: form.action, params: form.fields, method: 'POST', from: ATTACKER_PAGE, captureAt: registered(), label: 'login form POSTed from another site, hidden fields left out' },
    { login: false, consent: false },
  );
  const afterwards = await request(sessionA, { ...code, params: { prompt: 'none' } }, 'prompt=none after the forged login', { login: false, consent: false });
  return { forged, after: afterwards, hidden: form.hidden };
});

const loginPageProbe = once(async () => {
  await after(forgedLogin);
  const page = await loginPage();
  const url = page.run.result.page?.url;
  if (page.run.result.stoppedAt !== 'login' || !url) throw new CheckSkip('no login page was shown');
  const params = Object.fromEntries(['return_to', 'returnTo', 'next', 'redirect', 'redirect_url', 'continue', 'goto', 'url', 'target'].map((p) => [p, ATTACKER_CALLBACK]));
  return visit(sessionA, { endpoint: url, params, label: 'login page with foreign return parameters', captureAt: ATTACKER_CALLBACK }, { login: false, consent: false, screenshot: true });
});

// ---- session A: the login, consent, denial ----

const login = once(async () => {
  await after(loginPageProbe);
  return request(sessionA, code, 'login and consent');
});

/** The login's code redeemed at once (codes are short-lived): the token response. */
const redemption = once(async () => redeemCode(ctx, (await login()).run, { label: 'code redemption' }));

const consentBasic = once(async () => {
  await login();
  await after(redemption);
  return request(sessionA, { ...code, params: { prompt: 'consent' } }, 'consent page (basic, openid)', { consent: false });
});

const forgedConsent = once(async () => {
  const page = await consentBasic();
  if (page.run.result.stoppedAt !== 'consent') return undefined;
  const steps = loginScript(ctx.target).consent;
  const form = steps ? await (await sessionA()).forgeableForm(steps) : undefined;
  if (!form) return undefined;
  return visit(sessionA, { endpoint: form.action, params: form.fields, method: 'POST', from: ATTACKER_PAGE, captureAt: registered(), label: 'consent form POSTed from another site' }, { login: false, consent: false });
});

const consentOtherScope = once(async () => {
  await after(forgedConsent);
  const scopes = (ctx.target.metadata().scopes_supported as unknown[] | undefined) ?? [];
  const extra = ['email', 'profile', 'phone', 'address'].find((s) => scopes.includes(s)) ?? 'email';
  return request(sessionA, { ...code, scope: `openid ${extra}`, params: { prompt: 'consent' } }, `consent page (basic, openid ${extra})`, { consent: false });
});

const denied = once(async () => {
  await after(consentOtherScope);
  if (!ctx.target.profile.login?.deny) throw new CheckSkip('the profile has no login.deny steps to refuse the consent screen with');
  return request(sessionA, { ...code, params: { prompt: 'consent' } }, 'consent denied', { consent: 'deny' });
});

// ---- session A: the public client ----

const publicFirst = once(async () => {
  await after(denied);
  registered('public');
  return request(sessionA, { ...code, role: 'public' }, 'public client, first request');
});

const publicRepeated = once(async () => {
  await publicFirst();
  return request(sessionA, { ...code, role: 'public' }, 'public client, repeated request', { consent: false });
});

const consentPublic = once(async () => {
  await after(publicRepeated);
  registered('public');
  return request(sessionA, { ...code, role: 'public', params: { prompt: 'consent' } }, 'consent page (public, openid)', { consent: false });
});

// ---- session B: untrusted requests, after a login of its own ----

const loginB = once(() => request(sessionB, code, 'login (session for the untrusted requests)'));

const variants = once(async (): Promise<judge.Variant[]> => {
  await loginB();
  const out: judge.Variant[] = [];
  for (const variant of judge.redirectUriVariants(registered())) {
    out.push({ ...variant, observed: await request(sessionB, { ...code, redirectUri: variant.uri }, `unregistered redirect_uri: ${variant.name}`, NEGATIVE) });
  }
  return out;
});

const untrustedClients = once(async () => {
  await after(variants);
  return [
    { name: 'unknown client_id', observed: await request(sessionB, { ...code, params: { client_id: UNKNOWN_CLIENT } }, 'unknown client_id', NEGATIVE) },
    { name: 'no client_id', observed: await request(sessionB, { ...code, params: { client_id: null } }, 'no client_id', NEGATIVE) },
  ];
});

const missingRedirectUri = once(async () => {
  await after(untrustedClients);
  return request(sessionB, { ...code, params: { redirect_uri: null } }, 'no redirect_uri', NEGATIVE);
});

const injectedErrorPage = once(async () => {
  await after(missingRedirectUri);
  return request(sessionB, { ...code, redirectUri: `${ATTACKER}/callback?x=${INJECTED}`, state: INJECTED }, 'markup in redirect_uri and state', NEGATIVE);
});

const foreignRedirects = once(async () => {
  await after(injectedErrorPage);
  return [
    { name: 'registered client, foreign redirect_uri', observed: await request(sessionB, { ...code, redirectUri: ATTACKER_CALLBACK }, 'foreign redirect_uri', NEGATIVE) },
    { name: 'unknown client, foreign redirect_uri', observed: await request(sessionB, { ...code, redirectUri: ATTACKER_CALLBACK, params: { client_id: UNKNOWN_CLIENT } }, 'unknown client, foreign redirect_uri', NEGATIVE) },
  ];
});

/** The flows of the check being judged (checks of a file run one at a time). */
let judgedFlows: ReadonlyArray<() => Promise<unknown>> | undefined;

/**
 * Before the first check, the flows of the checks this run selected (--only) start, and only
 * those (with the flows their after(...) chains run first): both sessions run side by side when
 * checks of both are selected, and a session no selected check needs is never opened. The opened
 * sessions close once every started flow is done.
 */
flows.register(() => Promise.all(opened.map((session) => session.close())));

/**
 * A check judged from the browser sessions (see Flows.judging and BROWSER_WAIT_MS). `flows`: every flow
 * its judge awaits (through s), started before the first check when the check is selected.
 */
function browserCheck(definition: CheckDefinition, judged: ReadonlyArray<Flow>, judge: () => Promise<PassDetails>): void {
  flows.declare(definition.id, judged);
  suite.check(
    definition,
    flows.judging(async () => {
      judgedFlows = judged;
      try {
        return await judge();
      } finally {
        judgedFlows = undefined;
      }
    }),
    { waitsMs: BROWSER_WAIT_MS },
  );
}

const openRedirects = once(async () => {
  const probes = [...(await foreignRedirects())];
  try {
    probes.push({ name: 'login page with return_to/next/redirect', observed: await loginPageProbe() });
  } catch (error) {
    if (!(error instanceof CheckSkip)) throw error;
  }
  return probes;
});

/**
 * A flow as a suite step (named in the report). The check judging must list it among its flows
 * (browserCheck): otherwise it would not start with the run, and a FAIL that closed the sessions
 * first would leave it none.
 */
function step<T>(name: string, flow: () => Promise<T>): () => Promise<T> {
  const shared = suite.step(name, () => flow());
  return () => {
    if (judgedFlows && !judgedFlows.includes(flow)) return Promise.reject(new Error(`step "${name}": not among the flows its check declares (browserCheck)`));
    return shared();
  };
}

const s = {
  loginPage: step('the login page', loginPage),
  forgedLogin: step('the login form posted from another site', forgedLogin),
  login: step('log in (code flow, basic client)', login),
  redemption: step('redeem the login\'s code', redemption),
  consentBasic: step('the consent page (prompt=consent)', consentBasic),
  forgedConsent: step('the consent form posted from another site', forgedConsent),
  consentOtherScope: step('the consent page for another scope', consentOtherScope),
  denied: step('the user denies consent', denied),
  publicFirst: step('public client: first request, consent approved', publicFirst),
  publicRepeated: step('public client: the same request again', publicRepeated),
  consentPublic: step('the consent page of the public client (prompt=consent)', consentPublic),
  loginB: step('log in (session for the untrusted requests)', loginB),
  variants: step('variants of the registered redirect_uri', variants),
  untrustedClients: step('unknown and missing client_id', untrustedClients),
  missingRedirectUri: step('an OpenID request without redirect_uri', missingRedirectUri),
  injectedErrorPage: step('unregistered redirect_uri and state carrying markup', injectedErrorPage),
  openRedirects: step('foreign redirect targets', openRedirects),
};

// ---- checks ----

async function shownPages(): Promise<judge.ShownPage[]> {
  const pages: judge.ShownPage[] = [];
  const add = (kind: judge.ShownPage['kind'], observed: judge.Observed | undefined) => {
    const exchange = observed ? judge.pageExchange(observed) : undefined;
    if (exchange) pages.push({ kind, exchange });
  };
  const loginShown = await s.loginPage();
  if (loginShown.run.result.stoppedAt === 'login') add('login', loginShown);
  const consent = await s.consentBasic();
  if (consent.run.result.stoppedAt === 'consent') add('consent', consent);
  return pages;
}

const discovery = suite.step('discovery', (stepCtx) => fetchDiscovery(stepCtx));

/** A TLS handshake to the endpoint's host, recorded as an exchange of its own (no HTTP is sent). */
function handshake(url: URL, options: ConnectionOptions, label: string): Promise<{ ok: boolean; error?: string; code?: string; id: string }> {
  const port = Number(url.port) || 443;
  return new Promise((resolve) => {
    const startedAt = new Date();
    let settled = false;
    const done = (ok: boolean, error?: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const exchange = ctx.http.record({
        label,
        request: { method: 'CONNECT', url: `${url.protocol}//${url.host}`, headers: {} },
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        ...(ok ? {} : { error: { code: 'NETWORK' as const, message: `${error?.code ?? ''} ${error?.message ?? ''}`.trim() } }),
      });
      resolve({ ok, id: exchange.id, ...(error ? { error: error.message, code: error.code ?? '' } : {}) });
    };
    const socket: TLSSocket = connect({ host: url.hostname, port, servername: url.hostname, timeout: ctx.target.requestTimeoutMs(), ...options }, () => done(true));
    socket.on('error', (error) => done(false, error));
    socket.on('timeout', () => done(false, new Error('timed out')));
  });
}

suite.check(check.frontChannelAccessTokens, async () => {
  const { exchange } = await discovery();
  judge.judgeNoFrontChannelTokens(ctx.target.responseTypes(), [exchange.id]);
  return { exchanges: [exchange.id] };
});

suite.check(check.forwardedHeadersIgnored, async () => {
  const headers = { 'x-forwarded-host': FORGED_HOST, 'x-forwarded-proto': 'http', forwarded: `host=${FORGED_HOST};proto=http`, 'x-original-host': FORGED_HOST };
  const metadata = await ctx.http.send({ method: 'GET', url: ctx.target.discoveryUrl, headers, label: 'discovery with forged forwarded headers' });
  const client = ctx.target.client('basic');
  const authorization = await ctx.http.send({
    method: 'GET',
    url: ctx.target.endpoint('authorization'),
    query: { client_id: client.client_id, redirect_uri: registered(), response_type: 'code', scope: 'openid', state: 'oidc-conformance-forwarded' },
    headers,
    label: 'authorization with forged forwarded headers',
  });
  judge.judgeForwardedIgnored(metadata, ctx.target.metadata(), authorization, FORGED_HOST);
  return { exchanges: [metadata.id, authorization.id] };
});

suite.check(check.senderConstrainedTokens, async () => {
  const { exchange, metadata } = await discovery();
  judge.judgeSenderConstraining(metadata, [exchange.id]);
  return { exchanges: [exchange.id] };
});

suite.check(check.tls, async () => {
  const endpoint = new URL(ctx.target.endpoint('authorization'));
  if (endpoint.protocol !== 'https:') {
    if (isLoopbackUrl(endpoint.href)) throw new CheckSkip('the authorization endpoint is plain http on a loopback test target: there is no TLS to judge (discovery/endpoints-https reports the http URL)');
    const { exchange } = await discovery();
    judge.judgeTls({ endpoint: endpoint.href, certificate: { ok: false, error: 'the endpoint is http, not https' }, legacy: 'untestable', plain: {}, exchanges: [exchange.id] });
  }
  const certificate = await handshake(endpoint, { rejectUnauthorized: true }, 'TLS handshake, certificate validated');
  const legacy = await handshake(endpoint, { rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' }, 'TLS 1.1 handshake');
  const plainUrl = new URL(endpoint.href);
  plainUrl.protocol = 'http:';
  const client = ctx.target.client('basic');
  let plain: judge.TlsFacts['plain'] = {};
  const exchanges = [certificate.id, legacy.id];
  try {
    const answer = await ctx.http.send({
      method: 'GET',
      url: plainUrl.href,
      query: { client_id: client.client_id, redirect_uri: registered(), response_type: 'code', scope: 'openid', state: 'oidc-conformance-plain-http' },
      label: 'the authorization endpoint over plain http',
    });
    exchanges.push(answer.id);
    const location = headerOf(answer, 'location');
    plain = { status: answer.response?.status, ...(location ? { location: new URL(location, plainUrl).href } : {}) };
  } catch (error) {
    plain = { error: (error as Error).message };
  }
  const legacyVerdict = legacy.ok ? 'accepted' : /NO_PROTOCOLS_AVAILABLE|UNSUPPORTED_PROTOCOL|no protocols/i.test(`${legacy.code} ${legacy.error}`) && !/alert/i.test(legacy.error ?? '') ? 'untestable' : 'refused';
  judge.judgeTls({ endpoint: endpoint.href, certificate: { ok: certificate.ok, ...(certificate.error ? { error: certificate.error } : {}) }, legacy: legacyVerdict, plain, exchanges });
  return { exchanges, evidence: { legacyTls: legacyVerdict, plainHttp: plain } };
});

browserCheck(check.sessionCookieFlags, [login], async () => {
  const run = await s.login();
  const posts = judge.credentialPosts(run.exchanges, ctx.target.user(0).username);
  const from = posts[0] ? run.exchanges.indexOf(posts[0]) : 0;
  const cookies = judge.cookiesSet(run.exchanges.slice(Math.max(0, from)));
  judge.judgeCookieFlags(cookies);
  return { exchanges: [...new Set(cookies.map((c) => c.exchange.id))], evidence: { cookies: cookies.map((c) => `${c.name}: ${[...c.attributes.keys()].join(', ')}`) } };
});

browserCheck(check.no307AfterCredentials, [login], async () => {
  const run = await s.login();
  const posts = judge.credentialPosts(run.exchanges, ctx.target.user(0).username);
  judge.judgeNo307(posts);
  return { exchanges: posts.map((p) => p.id), evidence: { statuses: posts.map((p) => p.response?.status) } };
});

browserCheck(check.accessTokenLifetime, [redemption], async () => {
  const exchange = await s.redemption();
  const seconds = judge.judgeTokenLifetime(exchange);
  return { exchanges: [exchange.id], message: `expires_in ${seconds} s` };
});

browserCheck(check.pagesNotFrameable, [loginPage, consentBasic, forgedLogin], async () => {
  const pages = await shownPages();
  // The page that refused the forged login form: an error page of the provider's.
  const refused = (await s.forgedLogin())?.forged;
  const error = refused && refused.run.result.outcome === 'page' && !refused.run.result.stoppedAt ? refused.exchanges.at(-1) : undefined;
  if (error) pages.push({ kind: 'error', exchange: error });
  judge.judgeNotFrameable(pages);
  return { exchanges: pages.map((p) => p.exchange.id) };
});

browserCheck(check.noThirdPartyContent, [loginPage, consentBasic], async () => {
  const pages = await shownPages();
  judge.judgeNoThirdPartyContent(pages);
  return { exchanges: pages.map((p) => p.exchange.id) };
});

browserCheck(check.csrfProtectedForms, [forgedLogin, forgedConsent], async () => {
  const loginForged = await s.forgedLogin();
  const consentForged = await s.forgedConsent();
  judge.judgeCsrf(loginForged, consentForged);
  const cited = [loginForged?.forged, loginForged?.after, consentForged].flatMap((o) => o?.run.result.exchanges ?? []);
  return { exchanges: cited, screenshots: true };
});

browserCheck(check.denyAccessDenied, [denied], async () => {
  const observed = await s.denied();
  judge.judgeErrorResponse(observed, { errors: ['access_denied'], state: observed.run.sent.state, via: 'query', iss: issOf() });
  return { exchanges: observed.run.result.exchanges };
});

browserCheck(check.consentShowsClientAndScope, [consentBasic, consentOtherScope, consentPublic], async () => {
  const basic = await s.consentBasic();
  const other = await s.consentOtherScope();
  const publicPage = await s.consentPublic();
  judge.judgeConsentInformative(basic, publicPage, other);
  return { exchanges: [basic, publicPage, other].flatMap((o) => o.run.result.exchanges.slice(-1)), screenshots: true };
});

browserCheck(check.publicClientConsentRepeated, [publicFirst, publicRepeated], async () => {
  const first = await s.publicFirst();
  const repeated = await s.publicRepeated();
  judge.judgeRepeatedConsent(first, repeated);
  return { exchanges: [...first.run.result.exchanges.slice(-1), ...repeated.run.result.exchanges] };
});

browserCheck(check.redirectUriExactMatch, [variants], async () => {
  const all = await s.variants();
  judge.judgeVariantsRefused(all, registered());
  return { exchanges: all.flatMap((v) => v.observed.run.result.exchanges), screenshots: true, message: `${all.length} variants of ${registered()} got no response: ${all.map((v) => v.name).join(', ')}` };
});

browserCheck(check.registeredQueryKept, [loginB], async () => {
  const observed = await s.loginB();
  judge.judgeRegisteredQueryKept(observed, registered());
  return { exchanges: observed.run.result.exchanges.slice(-1) };
});

browserCheck(check.unknownClientErrorPage, [untrustedClients], async () => {
  const probes = await s.untrustedClients();
  judge.judgeNotRedirected(probes, registered());
  return { exchanges: probes.flatMap((p) => p.observed.run.result.exchanges), screenshots: true };
});

browserCheck(check.redirectUriRequired, [missingRedirectUri], async () => {
  const observed = await s.missingRedirectUri();
  judge.judgeRedirectUriRequired(observed, registered());
  return { exchanges: observed.run.result.exchanges, screenshots: true };
});

browserCheck(check.reflectedInputEscaped, [injectedErrorPage], async () => {
  const errorPage = await s.injectedErrorPage();
  judge.judgeEscaped(errorPage.exchanges);
  return { exchanges: errorPage.run.result.exchanges, screenshots: true };
});

browserCheck(check.noOpenRedirect, [openRedirects], async () => {
  const probes = await s.openRedirects();
  judge.judgeNoForeignNavigation(probes, ATTACKER);
  return { exchanges: probes.flatMap((p) => p.observed.run.result.exchanges), screenshots: true, message: `${probes.length} probes, none sent the browser to ${ATTACKER}` };
});

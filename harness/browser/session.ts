// A browser session: one fresh Chromium context (its own cookies, so its own login session at
// the provider) in which one or more authorization requests run the way a user's browser would.
// Login and consent are driven by the profile's steps; the authorization response is captured
// wherever it goes: the Location of a redirect (query or fragment), a navigation to the
// redirect_uri, or the form_post auto-submit.
//
// Every navigation is fetched through route.fetch({ maxRedirects: 0 }) so each hop (the request,
// the provider's 302 and its Location, the login POST) is recorded as an Exchange in the suite's
// recorder: a verdict on a browser flow cites the same kind of evidence as an HTTP one. The
// redirect_uri itself is never contacted (it is often an unreachable https://rp.example/...):
// the harness answers it with a small page of its own.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page, Request, Route } from 'playwright-core';
import type { Exchange, HttpClient, RecordedResponse } from '../http/types.ts';
import type { BrowserStep, ProfileUser } from '../profile/types.ts';
import { artifactDirectory, browserEvidence, browserEvidenceOn, fileArtifacts } from './artifacts.ts';
import { acquireBrowser, releaseBrowser } from './launch.ts';

export interface LoginScript {
  steps: BrowserStep[];
  consent?: BrowserStep[];
  /** Refuses the consent screen (run instead of `consent` when a request asks for a denial). */
  deny?: BrowserStep[];
}

/** What the user did, by the profile's script that ran. */
export type Interaction = 'login' | 'consent' | 'deny' | 'confirm';

export interface AuthorizeOptions {
  /** false: stop at the login form instead of logging in (the result says `stoppedAt: 'login'`). */
  login?: boolean;
  /** The login and consent scripts to use (default the session's). */
  script?: LoginScript;
  /** 'approve' (default) runs the consent steps, 'deny' the deny steps, false stops at the consent form. */
  consent?: 'approve' | 'deny' | false;
  /** Steps for another page of the provider's (a logout confirmation): run once when their first selector shows. */
  confirm?: BrowserStep[];
  /** A screenshot of what the browser shows at the end, filed under this request's exchanges (evidence even on PASS). */
  screenshot?: boolean;
}

/** A form as a cross-site page can forge it (see BrowserSession.forgeableForm). */
export interface ForgeableForm {
  /** Absolute URL the form posts to. */
  action: string;
  method: string;
  /** The fields the steps fill, and the clicked button's name and value. */
  fields: Record<string, string>;
  /** Names of the hidden fields left out (anti-CSRF tokens among them). */
  hidden: string[];
}

export type ResponseVia = 'query' | 'fragment' | 'form_post';

export interface AuthorizationRequest {
  /** The authorization endpoint. */
  endpoint: string;
  params: Record<string, string>;
  /** GET (default) puts the parameters in the query; POST sends them as a form (OIDC Core 3.1.2.1). */
  method?: 'GET' | 'POST';
  label: string;
  /** Where the response is captured; default params.redirect_uri (set it for a request without one, or a foreign target). */
  captureAt?: string;
  /**
   * POST only: the URL of the page whose form sends the request (a cross-site attacker page, say). The
   * harness answers it itself and never contacts it. Default: a blank page of the session.
   */
  from?: string;
}

export interface AuthorizationResult {
  /** 'response': the provider answered the redirect_uri; 'page': it kept the user on a page of its own. */
  outcome: 'response' | 'page';
  via?: ResponseVia;
  /** The authorization response parameters (empty on a page). */
  params: Record<string, string>;
  /** Every parameter occurrence, in order (to spot duplicates). */
  paramList: Array<[string, string]>;
  /** Where the response went, without its parameters. */
  responseTarget?: string;
  /** The user-facing page when outcome is 'page': its URL, HTTP status, title and visible text. */
  page?: { url: string; status?: number; title: string; text: string };
  /** Which of the profile's scripts ran: login, consent (deny, confirm when the options ask for them). */
  interactions: Interaction[];
  /** The form the request stopped at because the options said so (login: false, consent: false). */
  stoppedAt?: 'login' | 'consent';
  /** The exchanges recorded for this request, in order; `responseExchange` carried the response. */
  exchanges: string[];
  responseExchange?: string;
  /** The request as sent (GET: the full URL). */
  requestUrl: string;
}

export interface SessionOptions {
  http: HttpClient;
  /** The profile's login and consent scripts (already resolved for the check). */
  login?: LoginScript;
  user?: ProfileUser;
  /** Per navigation and per wait for the provider's pages. */
  timeoutMs: number;
  /** What the session is for, in reports. */
  label: string;
  /** Accept self-signed certificates (a test deployment). */
  ignoreHttpsErrors?: boolean;
}

const MAX_BODY = 256 * 1024;
const CAPTURED_PAGE = '<!doctype html><title>oidc-conformance: authorization response captured</title><p>The harness captured the authorization response here.</p>';
/** How long a loaded page may take to show the login or consent form before it counts as the provider's answer. */
const SETTLE_MS = 400;

interface Capture {
  via: ResponseVia;
  target: string;
  paramList: Array<[string, string]>;
  exchange: string;
  /** Answered 204 No Content: no page of the harness's loaded, so none to read a fragment from. */
  quiet: boolean;
}

function sameTarget(url: URL, redirectUri: URL): boolean {
  return url.origin === redirectUri.origin && url.pathname === redirectUri.pathname;
}

function listParams(search: string): Array<[string, string]> {
  return [...new URLSearchParams(search.replace(/^[?#]/, ''))];
}

function headerMap(headers: Record<string, string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    // Playwright joins repeated headers with "\n" (Set-Cookie); split them back.
    out[name.toLowerCase()] = value.includes('\n') ? value.split('\n') : value;
  }
  return out;
}

function substitute(value: string | undefined, user: ProfileUser | undefined): string {
  return (value ?? '').replace(/\{\{username\}\}/g, user?.username ?? '').replace(/\{\{password\}\}/g, user?.password ?? '');
}

export class BrowserSession {
  private context!: BrowserContext;
  private page!: Page;
  private capture: Capture | undefined;
  private onCapture: (() => void) | undefined;
  private redirectUri: URL | undefined;
  private recorded: string[] = [];
  private readonly all: string[] = [];
  private tracing = false;
  /** Screenshots and a trace (see browserEvidenceOn). */
  private readonly evidence = browserEvidenceOn();
  /** Requests the route handler has not answered yet, and when the network last moved. */
  private inFlight = 0;
  private lastActivity = Date.now();
  /** A redirect hop page was served: its navigation to the next URL is on its way. */
  private hopPending = false;
  /**
   * Whether this request's response, captured from a redirect's Location, is answered with 204
   * No Content: the browser then stays on the page it was on instead of loading a page of ours
   * (a capture costs Chromium about 30 ms of CPU instead of 90: a run makes hundreds). Only for
   * requests the harness sends with page.goto; a form post waits for a page load.
   */
  private quietCapture = false;
  /** A quiet capture left the frame without a committed navigation: Playwright waits on it for ever. */
  private uncommitted = false;
  private lastStatus: number | undefined;
  /** Pages the harness serves itself (a cross-site form), by URL without fragment. */
  private readonly served = new Map<string, string>();

  private constructor(private readonly options: SessionOptions) {}

  static async open(options: SessionOptions): Promise<BrowserSession> {
    const session = new BrowserSession(options);
    const browser = await acquireBrowser();
    try {
      session.context = await browser.newContext({ ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false, javaScriptEnabled: true });
    } catch (error) {
      releaseBrowser();
      throw error;
    }
    session.context.setDefaultTimeout(options.timeoutMs);
    session.context.setDefaultNavigationTimeout(options.timeoutMs);
    // The trace records actions, network and console; never the screencast frames (a tenth of a
    // run's wall time, measured: 86 s vs 78 s), and DOM snapshots only with --trace-snapshots:
    // they cost 8 s of a 66 s run (17 CPU-seconds), while tracing without them costs nothing
    // measurable (57.7 s vs 58.0 s with no evidence at all).
    if (session.evidence) {
      await session.context.tracing.start({ screenshots: false, snapshots: browserEvidence() === 'snapshots', title: options.label }).then(
        () => (session.tracing = true),
        () => undefined,
      );
    }
    await session.context.route('**/*', async (route, request) => {
      session.inFlight++;
      session.lastActivity = Date.now();
      if (request.isNavigationRequest()) session.hopPending = false;
      try {
        await session.route(route, request);
      } finally {
        session.inFlight--;
        session.lastActivity = Date.now();
      }
    });
    session.page = await session.context.newPage();
    const moved = () => (session.lastActivity = Date.now());
    session.page.on('requestfinished', moved);
    session.page.on('requestfailed', moved);
    return session;
  }

  /** Runs one authorization request to its end: login and consent as the provider asks, then its answer. */
  async authorize(request: AuthorizationRequest, options: AuthorizeOptions = {}): Promise<AuthorizationResult> {
    const script = options.script ?? this.options.login;
    const redirect = request.captureAt ?? request.params.redirect_uri;
    this.redirectUri = redirect ? safeUrl(redirect) : undefined;
    this.capture = undefined;
    this.recorded = [];
    this.lastStatus = undefined;
    const captured = new Promise<void>((resolve) => (this.onCapture = resolve));
    const interactions: Interaction[] = [];
    let stoppedAt: AuthorizationResult['stoppedAt'];
    let requestUrl: string;

    const sentByGoto = (request.method ?? 'GET') === 'GET';
    this.quietCapture = sentByGoto;
    // A form post (below) waits for page loads: it starts from a committed page.
    if (!sentByGoto) await this.commitCapturedPage();
    this.uncommitted = false;
    if (sentByGoto) {
      const url = new URL(request.endpoint);
      for (const [name, value] of Object.entries(request.params)) url.searchParams.append(name, value);
      requestUrl = url.toString();
      await this.navigate(() => this.page.goto(requestUrl, { waitUntil: 'load' }));
    } else if (request.from) {
      requestUrl = request.endpoint;
      // The form is on a page of another origin, answered by the harness (route()), as an attacker's page would be.
      const from = request.from;
      this.served.set(withoutFragment(from), autoPostPage(request.endpoint, request.params));
      await this.navigate(() => this.page.goto(from, { waitUntil: 'load' }));
      await this.navigate(() => this.page.waitForURL((u) => withoutFragment(u.toString()) !== withoutFragment(from), { waitUntil: 'load' }));
    } else {
      requestUrl = request.endpoint;
      // A form on a blank page of our own, submitted like a relying party's page would.
      await this.page.setContent(autoPostPage(request.endpoint, request.params));
      await this.navigate(() => this.page.waitForURL((u) => u.toString() !== 'about:blank', { waitUntil: 'load' }));
    }

    const consentSteps = script?.consent ?? (options.consent === 'deny' ? script?.deny : undefined);
    for (let round = 0; round < 8 && !this.current(); round++) {
      const seen = await this.whatShows(captured, { steps: script?.steps, consent: consentSteps, confirm: options.confirm });
      if (seen === 'captured' || seen === 'page') break;
      if (seen === 'login') {
        if (options.login === false) {
          stoppedAt = 'login';
          break;
        }
        if (interactions.includes('login')) break; // asked twice: the credentials did not work
        interactions.push('login');
        await this.runSteps(script!.steps);
      } else if (seen === 'consent') {
        if (options.consent === false) {
          stoppedAt = 'consent';
          break;
        }
        if (interactions.filter((i) => i === 'consent' || i === 'deny').length > 1) break;
        if (options.consent === 'deny') {
          if (!script?.deny) throw new Error('the profile has no deny steps to refuse the consent screen with');
          interactions.push('deny');
          await this.runSteps(script.deny);
        } else {
          interactions.push('consent');
          await this.runSteps(script!.consent!);
        }
      } else {
        if (interactions.includes('confirm')) break;
        interactions.push('confirm');
        await this.runSteps(options.confirm!);
      }
    }
    const inQuery = this.current();
    if (inQuery?.via === 'query' && !inQuery.quiet) await this.readFragmentOfCapturedPage();

    const capture = this.current();
    const result: AuthorizationResult = {
      outcome: capture ? 'response' : 'page',
      params: {},
      paramList: [],
      interactions,
      exchanges: [...this.recorded],
      requestUrl,
    };
    if (stoppedAt) result.stoppedAt = stoppedAt;
    if (capture) {
      result.via = capture.via;
      result.paramList = capture.paramList;
      result.params = Object.fromEntries(capture.paramList);
      result.responseTarget = capture.target;
      result.responseExchange = capture.exchange;
      for (const [name, value] of capture.paramList) {
        // token_type ("Bearer") is no secret: masking it would mask every Bearer header too.
        if (/token|code/.test(name) && name !== 'token_type') this.options.http.addSecret(value);
      }
    } else {
      result.page = await this.describePage();
    }
    if (options.screenshot && this.evidence) await this.screenshot(result.exchanges, request.label);
    return result;
  }

  /**
   * The form that these steps fill and submit on the page now shown, as a cross-site page would
   * send it: the filled fields and the clicked button, without the form's hidden fields (an
   * attacker cannot read them). Undefined when no step's element is in a form.
   */
  async forgeableForm(steps: BrowserStep[]): Promise<ForgeableForm | undefined> {
    const fills = steps.filter((s) => s.action === 'fill' && s.selector).map((s) => [s.selector!, substitute(s.value, this.options.user)] as [string, string]);
    const clicks = steps.filter((s) => (s.action === 'click' || s.action === 'check') && s.selector).map((s) => s.selector!);
    try {
      const form = await this.page.evaluate(
        ({ fills, clicks }) => {
          let owner: HTMLFormElement | null = null;
          const fields: Record<string, string> = {};
          for (const [selector, value] of fills) {
            const element = document.querySelector(selector) as HTMLInputElement | null;
            if (!element) continue;
            owner ??= element.form;
            if (element.name) fields[element.name] = value;
          }
          for (const selector of clicks) {
            const element = document.querySelector(selector) as HTMLButtonElement | HTMLInputElement | null;
            if (!element) continue;
            owner ??= element.form;
            if (element.name) fields[element.name] = element.type === 'checkbox' ? element.value || 'on' : element.value;
          }
          if (!owner) return null;
          const hidden = [...owner.querySelectorAll('input[type=hidden]')].map((input) => (input as HTMLInputElement).name).filter(Boolean);
          return { action: owner.action, method: (owner.getAttribute('method') ?? 'get').toLowerCase(), fields, hidden };
        },
        { fills, clicks },
      );
      return form ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** A screenshot of the page now, filed under these exchanges (so a check citing them can show it). */
  private async screenshot(exchangeIds: string[], label: string): Promise<void> {
    const path = join(artifactDirectory(), `${randomUUID()}.png`);
    try {
      await this.page.screenshot({ path, timeout: 5000 });
      fileArtifacts(exchangeIds, { label, screenshotPath: path, scope: 'request' });
    } catch {
      // a crashed page has no screenshot; the exchanges still tell
    }
  }

  /** After a quiet capture: shows the harness's captured page (what a capture showed before), so the frame has a committed page again. */
  private async commitCapturedPage(): Promise<void> {
    if (!this.uncommitted) return;
    this.uncommitted = false;
    await this.navigate(() => this.page.goto(`data:text/html;charset=utf-8,${encodeURIComponent(CAPTURED_PAGE)}`));
  }

  /** The response captured so far (a method, so the compiler does not narrow it across awaits). */
  private current(): Capture | undefined {
    return this.capture;
  }

  /** Ends the session: saves the screenshot and trace, files them under its exchanges, closes the context. */
  async close(): Promise<void> {
    const base = join(artifactDirectory(), randomUUID());
    const artifacts: { label: string; screenshotPath?: string; tracePath?: string } = { label: this.options.label };
    try {
      if (this.evidence) {
        await this.commitCapturedPage();
        await this.page.screenshot({ path: `${base}.png`, timeout: 5000 });
        artifacts.screenshotPath = `${base}.png`;
      }
    } catch {
      // a crashed page has no screenshot; the trace still tells
    }
    if (this.tracing) {
      try {
        await this.context.tracing.stop({ path: `${base}.trace.zip` });
        artifacts.tracePath = `${base}.trace.zip`;
      } catch {
        // nothing to add
      }
    }
    fileArtifacts(this.all, artifacts);
    await this.context.close().catch(() => undefined);
    releaseBrowser();
  }

  /** A navigation that the harness may cut short (the captured redirect_uri), never a hang. */
  private async navigate(go: () => Promise<unknown>): Promise<void> {
    try {
      await go();
    } catch (error) {
      if (this.capture) return;
      const message = (error as Error).message;
      if (/ERR_ABORTED|frame was detached|interrupted by another navigation/.test(message)) return;
      throw new Error(`the browser could not load the provider's page: ${message.split('\n')[0]}`);
    }
  }

  /** Waits until the response is captured, or the login or consent form shows, or the page settles without either. */
  private async whatShows(
    captured: Promise<void>,
    script: { steps?: BrowserStep[]; consent?: BrowserStep[]; confirm?: BrowserStep[] } | undefined = this.options.login,
  ): Promise<'captured' | 'login' | 'consent' | 'confirm' | 'page'> {
    const never = new Promise<never>(() => undefined);
    const visible = (steps: BrowserStep[] | undefined, name: 'login' | 'consent' | 'confirm') => {
      const selector = steps?.find((s) => s.selector)?.selector;
      if (!selector) return never;
      return this.page.locator(selector).first().waitFor({ state: 'visible', timeout: this.options.timeoutMs }).then(
        () => name,
        () => never,
      );
    };
    const settled = this.quiet().then(() => 'page' as const);
    const first = await Promise.race([
      captured.then(() => 'captured' as const),
      visible(script?.steps, 'login'),
      visible(script?.consent, 'consent'),
      visible(script?.confirm, 'confirm'),
      settled,
    ]);
    if (this.capture) return 'captured';
    if (first === 'page') {
      // A loaded machine can let the quiet timer win the race against the form's visibility
      // check: look once more before calling this page the provider's answer.
      for (const [steps, name] of [[script?.steps, 'login'], [script?.consent, 'consent'], [script?.confirm, 'confirm']] as const) {
        const selector = steps?.find((s) => s.selector)?.selector;
        if (selector && (await this.page.locator(selector).first().isVisible().catch(() => false))) return name;
      }
    }
    return first;
  }

  /**
   * Resolves once the page has loaded and the network has been quiet for SETTLE_MS: no request in
   * flight and no redirect hop about to navigate (a slow machine must not mistake a hop for the
   * provider's final page). Gives up waiting after the session's timeout.
   */
  private async quiet(): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    await this.page.waitForLoadState('load', { timeout: this.options.timeoutMs }).catch(() => undefined);
    while (Date.now() < deadline) {
      if (this.inFlight === 0 && !this.hopPending && Date.now() - this.lastActivity >= SETTLE_MS) return;
      await delay(50);
    }
  }

  private async runSteps(steps: BrowserStep[]): Promise<void> {
    for (const step of steps) {
      const where = step.selector ?? '';
      try {
        switch (step.action) {
          case 'fill':
            await this.page.locator(where).first().fill(substitute(step.value, this.options.user));
            break;
          case 'click':
            await this.navigate(() => this.page.locator(where).first().click());
            break;
          case 'check':
            await this.page.locator(where).first().check();
            break;
          case 'goto':
            await this.navigate(() => this.page.goto(substitute(step.value, this.options.user), { waitUntil: 'load' }));
            break;
          case 'wait':
            if (step.selector) await this.page.locator(where).first().waitFor({ state: 'visible', timeout: step.timeoutMs ?? this.options.timeoutMs });
            else await delay(step.timeoutMs ?? 500);
            break;
        }
      } catch (error) {
        if (this.capture) return;
        throw new Error(`login step ${step.action}${step.selector ? ` "${step.selector}"` : ''} failed on ${this.page.url()}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }

  private async describePage(): Promise<NonNullable<AuthorizationResult['page']>> {
    const page: NonNullable<AuthorizationResult['page']> = { url: this.page.url(), title: '', text: '' };
    if (this.lastStatus !== undefined) page.status = this.lastStatus;
    try {
      page.title = await this.page.title();
      page.text = (await this.page.locator('body').innerText({ timeout: 2000 })).slice(0, 2000);
    } catch {
      // an empty or crashed page: URL and status say enough
    }
    return page;
  }

  /** A JavaScript navigation to the redirect_uri leaves its fragment only in the page URL. */
  private async readFragmentOfCapturedPage(): Promise<void> {
    const capture = this.capture!;
    try {
      await this.page.waitForLoadState('load', { timeout: 2000 });
    } catch {
      return;
    }
    const current = safeUrl(this.page.url());
    if (current && this.redirectUri && sameTarget(current, this.redirectUri) && current.hash.length > 1 && capture.paramList.length === 0) {
      capture.via = 'fragment';
      capture.paramList = listParams(current.hash);
    }
  }

  private record(observed: Omit<Exchange, 'id'>): Exchange {
    const exchange = this.options.http.record(observed);
    this.recorded.push(exchange.id);
    this.all.push(exchange.id);
    return exchange;
  }

  private captureAt(via: ResponseVia, target: URL, paramList: Array<[string, string]>, exchange: string, quiet = false): void {
    if (this.capture) return;
    this.capture = { via, target: `${target.origin}${target.pathname}`, paramList, exchange, quiet };
    this.onCapture?.();
  }

  private async route(route: Route, request: Request): Promise<void> {
    const url = safeUrl(request.url());
    const served = url && request.isNavigationRequest() ? this.served.get(withoutFragment(url.toString())) : undefined;
    if (served !== undefined) {
      await route.fulfill({ status: 200, contentType: 'text/html', body: served }).catch(() => undefined);
      return;
    }
    if (url && this.redirectUri && sameTarget(url, this.redirectUri)) {
      await this.answerRedirectUri(route, request, url);
      return;
    }
    if (!request.isNavigationRequest() || request.frame() !== this.page?.mainFrame()) {
      await route.continue().catch(() => undefined);
      return;
    }
    const startedAt = new Date();
    const requestHeaders = await request.allHeaders().catch(() => request.headers());
    const observed: Omit<Exchange, 'id'> = {
      label: this.options.label,
      request: { method: request.method(), url: request.url(), headers: requestHeaders },
      startedAt: startedAt.toISOString(),
      durationMs: 0,
    };
    const postData = request.postData();
    if (postData !== null) observed.request.body = postData;
    let fetched: Awaited<ReturnType<Route['fetch']>>;
    try {
      fetched = await route.fetch({ maxRedirects: 0, timeout: this.options.timeoutMs });
    } catch (error) {
      observed.durationMs = Date.now() - startedAt.getTime();
      observed.error = { code: 'NETWORK', message: (error as Error).message.split('\n')[0]! };
      this.record(observed);
      await route.abort().catch(() => undefined);
      return;
    }
    const body = await fetched.body().catch(() => Buffer.alloc(0));
    const response: RecordedResponse = {
      status: fetched.status(),
      headers: headerMap(fetched.headers()),
      body: body.subarray(0, MAX_BODY).toString('utf8'),
      bytes: body.length,
      truncated: body.length > MAX_BODY,
    };
    observed.response = response;
    observed.durationMs = Date.now() - startedAt.getTime();
    const exchange = this.record(observed);
    this.lastStatus = response.status;

    const location = fetched.headers().location;
    const next = location && response.status >= 300 && response.status < 400 ? safeUrl(location, request.url()) : undefined;
    if (next && this.redirectUri && sameTarget(next, this.redirectUri)) {
      const via: ResponseVia = next.hash.length > 1 ? 'fragment' : 'query';
      this.captureAt(via, next, via === 'fragment' ? listParams(next.hash) : listParams(next.search), exchange.id, this.quietCapture);
      if (this.quietCapture) {
        this.uncommitted = true;
        await route.fulfill({ status: 204 }).catch(() => undefined);
      } else {
        await route.fulfill({ status: 200, contentType: 'text/html', body: CAPTURED_PAGE }).catch(() => undefined);
      }
      return;
    }
    if (next) {
      // Chromium would follow a fulfilled redirect without routing the next hop, so the harness
      // could neither record it nor stop at the redirect_uri: the hop becomes a page that
      // navigates on (its cookies set as the redirect would have set them).
      const headers = { ...fetched.headers() };
      for (const name of ['location', 'content-length', 'content-type', 'content-encoding', 'transfer-encoding']) delete headers[name];
      this.hopPending = true;
      await route.fulfill({ status: 200, headers: { ...headers, 'content-type': 'text/html' }, body: hopPage(next.toString()) }).catch(() => undefined);
      return;
    }
    await route.fulfill({ response: fetched, body }).catch(() => undefined);
  }

  /** The browser arrived at the redirect_uri itself (form_post, or a page that navigates there). */
  private async answerRedirectUri(route: Route, request: Request, url: URL): Promise<void> {
    const body = request.postData() ?? undefined;
    const observed: Omit<Exchange, 'id'> = {
      label: `${this.options.label}: arrival at the redirect_uri (answered by the harness)`,
      request: { method: request.method(), url: request.url(), headers: await request.allHeaders().catch(() => request.headers()) },
      response: { status: 200, headers: { 'content-type': 'text/html' }, body: CAPTURED_PAGE, bytes: CAPTURED_PAGE.length, truncated: false },
      startedAt: new Date().toISOString(),
      durationMs: 0,
    };
    if (body !== undefined) observed.request.body = body;
    const exchange = this.record(observed);
    if (request.method() === 'POST') this.captureAt('form_post', url, listParams(body ?? ''), exchange.id);
    else this.captureAt('query', url, listParams(url.search), exchange.id);
    await route.fulfill({ status: 200, contentType: 'text/html', body: CAPTURED_PAGE }).catch(() => undefined);
  }
}

function safeUrl(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function hopPage(next: string): string {
  return `<!doctype html><title>redirect</title><script>location.replace(${JSON.stringify(next).replace(/</g, '\\u003c')})</script>`;
}

function autoPostPage(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<!doctype html><form method="post" action="${escapeHtml(action)}">${inputs}</form><script>document.forms[0].submit()</script>`;
}

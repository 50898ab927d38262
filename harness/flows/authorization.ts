// Browser flows for the suites: build an authorization request for a profile client (state,
// nonce, PKCE by default), run it in a fresh browser session with the profile's login and consent
// scripts, and redeem the code. A suite wraps these in suite.step(...) so each flow runs once per
// file and every check that judges it cites the same exchanges.
import { createHash, randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { CheckSkip } from '../checks.ts';
import { afterAll } from 'vitest';
import type { Exchange, HttpClient } from '../http/types.ts';
import { clientPost, type Form } from '../oauth/token-request.ts';
import type { ClientRole, ProfileClient } from '../profile/types.ts';
import type { SuiteContext } from '../suite.ts';
import type { Target } from '../target.ts';
import { type AuthorizationResult, type AuthorizeOptions, BrowserSession, type LoginScript, type ResponseVia } from '../browser/session.ts';
import { trackOpenSession } from '../browser/artifacts.ts';

export interface AuthorizationSpec {
  /** The client (default basic). */
  role?: ClientRole;
  responseType: string;
  /** Sent as response_mode when set; otherwise the response type's default mode applies. */
  responseMode?: ResponseVia;
  /** Default "openid". */
  scope?: string;
  /** A random state is sent unless false. */
  state?: string | false;
  /** A random nonce is sent unless false (OIDC Core requires it for implicit and hybrid). */
  nonce?: string | false;
  /** PKCE: default S256 for the public client, none for confidential clients. */
  pkce?: 'S256' | 'plain' | false;
  /** Default: the client's registered redirect_uri from the profile. */
  redirectUri?: string;
  /** Further parameters (prompt, max_age, claims, ...), or overrides; null removes a default. */
  params?: Record<string, string | null>;
  /** GET (default) or POST (OIDC Core 3.1.2.1 form serialization). */
  method?: 'GET' | 'POST';
  /** Which test user logs in (default the first). */
  userIndex?: number;
}

export interface SentRequest {
  client: ProfileClient;
  params: Record<string, string>;
  state?: string;
  nonce?: string;
  codeVerifier?: string;
  redirectUri: string;
}

export interface AuthorizationRun {
  sent: SentRequest;
  result: AuthorizationResult;
}

/** SKIP unless the target offers this response type (and the response mode, when one is named). */
export function requireResponseType(target: Target, responseType: string, responseMode?: ResponseVia): void {
  const wanted = responseType.split(' ').sort().join(' ');
  const offered = target.responseTypes().map((t) => t.split(' ').sort().join(' '));
  if (!offered.includes(wanted)) throw new CheckSkip(`the target does not offer response_type "${responseType}"`);
  if (responseMode && !target.responseModes().includes(responseMode)) throw new CheckSkip(`the target does not offer response_mode "${responseMode}"`);
}

/** The profile's login and consent scripts, with the check's override when the profile has one. */
export function loginScript(target: Target, checkId?: string): LoginScript {
  const login = target.profile.login;
  if (!login) throw new CheckSkip('the profile has no login steps, so no browser flow can log in');
  const override = checkId ? login.overrides?.[checkId] : undefined;
  const script: LoginScript = { steps: override?.steps ?? login.steps };
  const consent = override?.consent ?? login.consent;
  if (consent) script.consent = consent;
  if (login.deny) script.deny = login.deny;
  return script;
}

function random(bytes = 16): string {
  return base64url.encode(randomBytes(bytes));
}

export function s256(verifier: string): string {
  return base64url.encode(createHash('sha256').update(verifier).digest());
}

/** The request parameters for the spec, and what the harness must remember to check the response. */
export function buildAuthorizationRequest(target: Target, spec: AuthorizationSpec): SentRequest {
  const client = target.client(spec.role ?? 'basic');
  const redirectUri = spec.redirectUri ?? client.redirect_uri;
  if (!redirectUri) throw new CheckSkip(`the profile's "${spec.role ?? 'basic'}" client has no redirect_uri`);
  const params: Record<string, string> = {
    response_type: spec.responseType,
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: spec.scope ?? 'openid',
  };
  const sent: SentRequest = { client, params, redirectUri };
  if (spec.state !== false) params.state = sent.state = spec.state ?? random();
  if (spec.nonce !== false) params.nonce = sent.nonce = spec.nonce ?? random();
  if (spec.responseMode) params.response_mode = spec.responseMode;
  const pkce = spec.pkce ?? (client.auth_method === 'none' && spec.responseType.split(' ').includes('code') ? 'S256' : false);
  if (pkce) {
    sent.codeVerifier = random(32);
    params.code_challenge = pkce === 'S256' ? s256(sent.codeVerifier) : sent.codeVerifier;
    params.code_challenge_method = pkce;
  }
  for (const [name, value] of Object.entries(spec.params ?? {})) {
    if (value === null) delete params[name];
    else params[name] = value;
  }
  if (params.nonce === undefined) delete sent.nonce;
  if (params.state === undefined) delete sent.state;
  return sent;
}

/** A browser session for several requests in one login session; always closed, artifacts filed. */
export async function withBrowser<T>(
  ctx: SuiteContext,
  label: string,
  run: (session: BrowserSession) => Promise<T>,
  options: { checkId?: string; userIndex?: number } = {},
): Promise<T> {
  const session = await BrowserSession.open({
    http: ctx.http,
    login: loginScript(ctx.target, options.checkId),
    user: ctx.target.user(options.userIndex ?? 0),
    timeoutMs: ctx.target.profile.timeouts?.request_ms ?? 10_000,
    label,
  });
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

/**
 * Sends the spec's request in the session and returns what came back. `login: false` refuses to
 * log in (a login page is the result); `checkId` uses the profile's login override for that check.
 */
export async function authorizeIn(
  ctx: SuiteContext,
  session: BrowserSession,
  spec: AuthorizationSpec,
  label: string,
  options: { login?: boolean; checkId?: string } & Pick<AuthorizeOptions, 'consent' | 'screenshot'> = {},
): Promise<AuthorizationRun> {
  const sent = buildAuthorizationRequest(ctx.target, spec);
  // Without a redirect_uri in the request, a response can only go to the registered one: capture it there.
  const request = { endpoint: ctx.target.endpoint('authorization'), params: sent.params, method: spec.method ?? 'GET', label, captureAt: sent.params.redirect_uri ?? sent.redirectUri };
  const behaviour: AuthorizeOptions = {};
  if (options.login !== undefined) behaviour.login = options.login;
  if (options.checkId !== undefined) behaviour.script = loginScript(ctx.target, options.checkId);
  if (options.consent !== undefined) behaviour.consent = options.consent;
  if (options.screenshot) behaviour.screenshot = true;
  const result = await session.authorize(request, behaviour);
  return { sent, result };
}

/** Sends one request in a file's shared session (see sharedSession). */
export type SharedAuthorize = (ctx: SuiteContext, spec: AuthorizationSpec, label: string) => Promise<AuthorizationRun>;

/**
 * A browser session shared by the steps of one suite file: opened by the first request a selected
 * check needs, so the user logs in once for the file and only the requests the selected checks
 * await are sent. Requests run one at a time; each records its hops through the http of the step
 * that sent it, so that step's evidence holds them. It closes after the file, or when a check
 * fails (suite.ts), so that the failure gets its screenshot and trace; the next request then opens
 * a new session and logs in again.
 */
export function sharedSession(suite: SuiteContext, label: string): SharedAuthorize {
  let opened: Promise<BrowserSession> | undefined;
  let untrack: (() => void) | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let recorder: HttpClient = suite.http;
  const http: HttpClient = {
    send: (request) => recorder.send(request),
    record: (observed) => recorder.record(observed),
    exchanges: () => suite.http.exchanges(),
    exchange: (id) => suite.http.exchange(id),
    addSecret: (value) => suite.http.addSecret(value),
    redact: (value) => suite.http.redact(value),
    close: async () => undefined,
  };
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const close = () =>
    enqueue(async () => {
      const closing = opened;
      opened = undefined;
      untrack?.();
      const session = await closing?.catch(() => undefined);
      await session?.close();
    });
  afterAll(close);
  return (ctx, spec, requestLabel) =>
    enqueue(async () => {
      if (!opened) {
        opened = BrowserSession.open({ http, login: loginScript(ctx.target), user: ctx.target.user(0), timeoutMs: ctx.target.requestTimeoutMs(), label });
        untrack = trackOpenSession(close);
      }
      const session = await opened;
      recorder = ctx.http;
      try {
        return await authorizeIn(ctx, session, spec, requestLabel);
      } finally {
        recorder = suite.http;
      }
    });
}

/** One authorization request in a fresh session (login and consent as the provider asks). */
export function authorize(ctx: SuiteContext, spec: AuthorizationSpec, label: string, options: { checkId?: string } = {}): Promise<AuthorizationRun> {
  ctx.target.endpoint('authorization');
  return withBrowser(ctx, label, (session) => authorizeIn(ctx, session, spec, label), { ...options, userIndex: spec.userIndex ?? 0 });
}

/** The authorization response, or SKIP/ERROR-worthy explanation when the provider answered with a page. */
export function responseOf(run: AuthorizationRun): Record<string, string> {
  if (run.result.outcome !== 'response') {
    const page = run.result.page;
    throw new Error(`the provider did not answer the redirect_uri; it showed ${page?.url ?? 'a page'} (HTTP ${page?.status ?? '?'}): ${page?.text.split('\n').find((l) => l.trim()) ?? page?.title ?? ''}`);
  }
  return run.result.params;
}

/** Redeems the run's code at the token endpoint (redirect_uri and code_verifier as sent), edited by `change`. */
export function redeemCode(
  ctx: SuiteContext,
  run: AuthorizationRun,
  options: { role?: ClientRole; change?: (form: Form) => void; label?: string } = {},
): Promise<Exchange> {
  const code = run.result.params.code;
  if (!code) throw new Error(`no code in the authorization response (${run.result.responseExchange ?? run.result.exchanges.at(-1) ?? 'no exchange'})`);
  const form: Form = { grant_type: 'authorization_code', code, redirect_uri: run.sent.redirectUri };
  if (run.sent.codeVerifier) form.code_verifier = run.sent.codeVerifier;
  options.change?.(form);
  const client = options.role ? ctx.target.client(options.role) : run.sent.client;
  return ctx.http.send(clientPost(ctx.target.endpoint('token'), client, form, options.label ?? 'code redemption'));
}

export type { AuthorizationResult, BrowserSession, ResponseVia };

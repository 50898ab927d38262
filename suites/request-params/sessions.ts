// The browser sessions of the request-parameter suites: one request of a session as an Attempt
// (completed as a relying party would: code redeemed, ID tokens collected, userinfo when asked),
// the attempts of a session by name, sessions run one at a time and each started when a check
// first needs it, and the suite step / check wrappers the session-driven checks use. Shared by
// request-params.browser.suite.ts (response_type=code) and front-channel.browser.suite.ts (the
// implicit and hybrid plans' response types). Each check names the requests it judges: a run
// that selects a few checks makes only their requests (and each session's login), not the
// whole sessions.
import { randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { CheckSkip } from '../../harness/checks.ts';
import { type AuthorizationSpec, type BrowserSession, authorizeIn, buildAuthorizationRequest, requireResponseType, withBrowser } from '../../harness/flows/authorization.ts';
import type { ClientRole } from '../../harness/profile/types.ts';
import type { Suite, SuiteContext } from '../../harness/suite.ts';
import { selectedChecks } from '../support/flows.ts';
import { completeFlow, userinfoOf } from '../id-token/collect.ts';
import * as judge from './judges.ts';
import type { Attempt } from './judges.ts';

export const OIDC_RESPONSE_TYPES = ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'];
export const UNSUPPORTED_LOCALES = 'se xx-YY';
export const CLAIM_SCOPES = ['profile', 'email', 'address', 'phone'] as const;

export function random(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface AttemptOptions {
  login?: boolean;
  consent?: false;
  checkId?: string;
  userinfo?: boolean;
  authTimeRequired?: string;
}

/** Neither log in nor consent: the request must be answered at once. */
export const SILENT = { login: false, consent: false } as const;

/** One request in the session, completed when it succeeded (code redeemed, ID tokens collected, userinfo when asked). */
export async function attempt(ctx: SuiteContext, session: BrowserSession, spec: AuthorizationSpec, label: string, options: AttemptOptions = {}): Promise<Attempt> {
  const behaviour: Parameters<typeof authorizeIn>[4] = {};
  if (options.login !== undefined) behaviour.login = options.login;
  if (options.consent !== undefined) behaviour.consent = options.consent;
  if (options.checkId !== undefined) behaviour.checkId = options.checkId;
  const run = await authorizeIn(ctx, session, spec, label, behaviour);
  return complete(ctx, { label, run }, spec.role ?? 'basic', options);
}

export async function complete(ctx: SuiteContext, done: Attempt, role: ClientRole, options: AttemptOptions): Promise<Attempt> {
  if (!judge.isSuccess(done)) return done;
  try {
    done.flow = await completeFlow(ctx, done.run, { role, label: done.label, ...(options.authTimeRequired ? { authTimeRequired: options.authTimeRequired } : {}) });
    if (options.userinfo && done.flow.accessToken !== undefined) done.userinfo = await userinfoOf(ctx, done.flow);
  } catch (error) {
    if (error instanceof CheckSkip) throw error;
    done.completionError = (error as Error).message;
  }
  return done;
}

/**
 * The attempts of one session by name, as promises: a check waits for its own request only, not
 * for the whole session. A request that threw keeps its error for its own checks; when the session
 * ends (or fails), every request it did not make rejects with the reason.
 */
export class Attempts<K extends string> {
  /** `wants`: whether a selected check needs a request (one that none needs is not made). */
  constructor(private readonly wants: (key: string) => boolean = () => true) {}

  private readonly slots = new Map<K, { promise: Promise<Attempt>; resolve: (a: Attempt) => void; reject: (e: unknown) => void; settled: boolean }>();
  /** Set when the session ended: a request asked for later, and never made, rejects at once. */
  private ended: { reason?: unknown } | undefined;

  private slot(key: K) {
    let slot = this.slots.get(key);
    if (!slot) {
      let resolve!: (a: Attempt) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<Attempt>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => undefined); // observed by the checks that need it, if any
      slot = { promise, resolve, reject, settled: false };
      this.slots.set(key, slot);
      if (this.ended) this.close(this.ended.reason);
    }
    return slot;
  }

  /** Makes a request when a selected check needs it (else it rejects for any that asks, and `run` never runs). */
  async make(key: K, run: () => Promise<Attempt>): Promise<Attempt | undefined> {
    if (this.wants(key)) return this.login(key, run);
    const slot = this.slot(key);
    slot.settled = true;
    slot.reject(new Error(`the request "${key}" was not made: no check this run selected declares it`));
    return undefined;
  }

  /** Makes the session's login, which every other request builds on, whether a check judges it or not. */
  async login(key: K, run: () => Promise<Attempt>): Promise<Attempt | undefined> {
    const slot = this.slot(key);
    try {
      const made = await run();
      slot.settled = true;
      slot.resolve(made);
      return made;
    } catch (error) {
      slot.settled = true;
      slot.reject(error);
      return undefined;
    }
  }

  get(key: K): Promise<Attempt> {
    return this.slot(key).promise;
  }

  /** Rejects every request not made, with the reason the session ended. */
  close(reason?: unknown): void {
    this.ended = { reason };
    for (const [key, slot] of this.slots) {
      if (slot.settled) continue;
      slot.settled = true;
      slot.reject(reason ?? new Error(`the request "${key}" was not made in this session`));
    }
  }
}

/** The first request of a session must succeed: the other requests build on its login. */
export async function first(ctx: SuiteContext, session: BrowserSession, spec: AuthorizationSpec, label: string, options: AttemptOptions = {}): Promise<Attempt> {
  if (spec.responseType.split(' ').includes('code')) ctx.target.requireGrant('authorization_code');
  requireResponseType(ctx.target, spec.responseType);
  const made = await attempt(ctx, session, spec, label, options);
  judge.requireSuccess(made, `${label} (the session's login, which the other requests build on)`);
  return made;
}

export function offeredResponseTypes(ctx: SuiteContext): string[] {
  const offered = ctx.target.responseTypes().map((t) => t.split(' ').sort().join(' '));
  return OIDC_RESPONSE_TYPES.filter((t) => offered.includes(t.split(' ').sort().join(' ')));
}

export function metadataList(ctx: SuiteContext, member: string): string[] {
  const value = ctx.target.metadata()[member];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function claimsSupported(ctx: SuiteContext): boolean {
  return ctx.target.metadata().claims_parameter_supported === true;
}

export function scopesOffered(ctx: SuiteContext): string[] {
  const listed = ctx.target.metadata().scopes_supported;
  return CLAIM_SCOPES.filter((s) => !Array.isArray(listed) || listed.includes(s));
}

/** The acr values acr_values asks for: the advertised ones, else "1 2" (as the Foundation's module). */
export const acrRequested = (ctx: SuiteContext) => {
  const advertised = metadataList(ctx, 'acr_values_supported');
  return advertised.length > 0 ? advertised : ['1', '2'];
};

/** An unsigned request object (OIDC Core 6.1: alg none), iss the client and aud the issuer. */
export function unsignedRequestObject(ctx: SuiteContext, claims: Record<string, unknown>): string {
  const header = base64url.encode(JSON.stringify({ alg: 'none' }));
  const payload = base64url.encode(JSON.stringify({ iss: claims.client_id, aud: ctx.target.issuer, ...claims }));
  return `${header}.${payload}.`;
}

/** The registered redirect_uri with a suffix: a redirect_uri the client did not register. */
export function unregisteredRedirectUri(redirectUri: string): string {
  const unregistered = new URL(redirectUri);
  unregistered.pathname = `${unregistered.pathname.replace(/\/$/, '')}-oidc-conformance-unregistered`;
  return unregistered.href;
}

// ---- sessions, queued together and run one at a time ----------------------------------------------

/** Runs session bodies with at most `size` at a time, in the order they were queued. */
export function limiter(size: number) {
  let running = 0;
  const queue: Array<() => void> = [];
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (running >= size) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await run();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

/** One browser session: `body` makes its requests; when it ends, every request not made rejects with the reason. */
export function browserSession<K extends string, X = undefined>(
  ctx: SuiteContext,
  queue: SessionQueue,
  label: string,
  body: (session: BrowserSession, made: Attempts<K>) => Promise<X>,
  options: { userIndex?: number; checkId?: string } = {},
): { made: Attempts<K>; extra: Promise<X>; done: Promise<unknown> } {
  const made = new Attempts<K>(queue.wants);
  const extra = queue.slot(() => withBrowser(ctx, label, (session) => body(session, made), options));
  extra.catch(() => undefined);
  const done = extra.then(
    () => made.close(),
    (error: unknown) => made.close(error),
  );
  return { made, extra, done };
}

/** The queue the sessions of a file run in (one at a time), and which of their requests the selected checks need. */
export interface SessionQueue {
  slot: ReturnType<typeof limiter>;
  wants: (key: string) => boolean;
}

/**
 * Which requests of a file's sessions its checks judge: each check declares the keys of the
 * requests it awaits; before the first check, the keys of the checks this run selected become the
 * wanted ones. Until then (and in a file that never selected), every request is wanted.
 */
export class RequestNeeds {
  private readonly byCheck = new Map<string, readonly string[]>();
  private wanted: Set<string> | undefined;

  declare(checkId: string, keys: readonly string[]): void {
    this.byCheck.set(checkId, keys);
  }

  select(selected: ReadonlySet<string>): void {
    this.wanted = new Set([...this.byCheck].filter(([id]) => selected.has(id)).flatMap(([, keys]) => keys));
  }

  readonly wants = (key: string): boolean => this.wanted === undefined || this.wanted.has(key);
}

/**
 * The sessions of a file, each started when a check first needs it and run one at a time: a
 * check waits only for its own request, the file never runs two browser sessions against a busy
 * machine at once, and a run that selects a few checks runs only their sessions.
 */
export function lazySessions(wants: (key: string) => boolean = () => true) {
  const queue: SessionQueue = { slot: limiter(1), wants };
  const started: Array<Promise<unknown>> = [];
  const memo = new Map<string, { done: Promise<unknown> }>();
  const lazy = <T extends { done: Promise<unknown> }>(name: string, create: () => T): (() => T) => () => {
    if (!memo.has(name)) {
      const made = create();
      memo.set(name, made);
      started.push(made.done);
    }
    return memo.get(name) as T;
  };
  return { queue, lazy, settled: () => Promise.allSettled(started) };
}

/**
 * The sessions of a file (made on first use, their requests limited to the ones `needs` says the
 * selected checks judge), finished before the file's HTTP recorder closes. Call after
 * createSuite: vitest runs afterAll hooks in reverse order, so this one runs before createSuite's
 * own (which closes the recorder), even when a filter ran a single check.
 */
export function fileSessions<S extends { settled: () => Promise<unknown> }>(suite: Suite, needs: RequestNeeds, create: (ctx: SuiteContext, wants: (key: string) => boolean) => S): () => S {
  let started: S | undefined;
  // eslint-disable-next-line no-empty-pattern -- vitest hands a suite hook the file second; the first (fixtures) argument must be a pattern
  beforeAll(({}, file) => needs.select(selectedChecks(file)));
  afterAll(async () => {
    if (started) await started.settled();
  }, 120_000);
  return () => (started ??= create(suite, needs.wants));
}

/**
 * The checks wait for requests of browser sessions queued one after another: besides its own
 * request, a check may wait for the browser to start and a session's login ahead of it. That
 * waiting is added to its deadline (the deadline guards against a hang, not a slow machine).
 */
const QUEUE_WAIT_MS = 30_000;

export type BrowserCheck<K extends string> = (definition: Parameters<Suite['check']>[0], requests: readonly K[], run: Parameters<Suite['check']>[1], options?: { waitsMs?: number }) => void;

/** suite.check for a check judging the `requests` of the file's sessions (declared to `needs`), with the queue's wait added to the deadline. */
export function browserCheckOf<K extends string>(suite: Suite, needs: RequestNeeds): BrowserCheck<K> {
  return (definition, requests, run, options = {}) => {
    needs.declare(definition.id, requests);
    suite.check(definition, run, { waitsMs: QUEUE_WAIT_MS + (options.waitsMs ?? 0) });
  };
}

/** A suite step that waits for one request of a session (the Allure report shows it as a step). */
export function requestOf(suite: Suite) {
  return (name: string, pick: () => Promise<Attempt>): (() => Promise<Attempt>) => suite.step(name, () => pick());
}

// ---- request objects (OIDC Core 6.1, 6.3.3) -----------------------------------------------------

/** An unsigned request object by value carrying the request (its own state and nonce). */
export function requestObjectAttempt(ctx: SuiteContext, session: BrowserSession, responseType: string, inside: { state: string; nonce: string }, label: string): Promise<Attempt> {
  const client = ctx.target.client('basic');
  const jwt = unsignedRequestObject(ctx, { client_id: client.client_id, response_type: responseType, scope: 'openid', redirect_uri: client.redirect_uri, state: inside.state, nonce: inside.nonce });
  return attempt(ctx, session, { responseType, state: false, nonce: false, params: { request: jwt } }, label);
}

/** A request object naming the registered redirect_uri, an unregistered one in the query: the response is awaited at the object's. */
export async function objectRedirectUriAttempt(ctx: SuiteContext, session: BrowserSession, responseType: string, label: string): Promise<Attempt> {
  if (ctx.target.metadata().request_parameter_supported === false) throw new CheckSkip('discovery says request_parameter_supported: false');
  const client = ctx.target.client('basic');
  const redirectUri = client.redirect_uri!;
  const jwt = unsignedRequestObject(ctx, { client_id: client.client_id, response_type: responseType, scope: 'openid', redirect_uri: redirectUri, state: `redirect-${random()}`, nonce: random() });
  const sent = buildAuthorizationRequest(ctx.target, { responseType, redirectUri: unregisteredRedirectUri(redirectUri), state: false, nonce: false, params: { request: jwt } });
  sent.redirectUri = redirectUri; // the code is bound to the object's redirect_uri
  const run = { sent, result: await session.authorize({ endpoint: ctx.target.endpoint('authorization'), params: sent.params, label, captureAt: redirectUri }) };
  return complete(ctx, { label, run }, 'basic', {});
}

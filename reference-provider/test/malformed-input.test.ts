// Malformed input (issue 2, acceptance 3): well over 1,000 generated bad requests against every
// endpoint of the reference provider. Missing, duplicated, empty, oversized, wrong-typed and
// non-UTF-8 parameters, bad percent-escapes, bad Basic and Bearer headers, bad JSON and other wrong
// content types, bodies over the 64 KiB limit, long URLs and headers, wrong methods, unknown paths,
// and broken HTTP sent over raw sockets. For every answer: no 5xx, no stack trace, an error body that
// is an RFC 6749 5.2 JSON error (or the HTML error page on the browser endpoints), and a redirect
// only ever to a URI registered in the fixture. Afterwards the provider still answers discovery.
//
// The requests come from a seeded PRNG (MALFORMED_SEED overrides the seed), so a failure names a
// case number that the same seed reproduces.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { base64url } from 'jose';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, fixtureConfig, startFixtureProvider } from './support/provider.ts';
import { parseForm } from './support/user-agent.ts';

const SEED = Number(process.env.MALFORMED_SEED || 0x0a11ce42) >>> 0;
const CONCURRENCY = 8;
const KIB = 1024;

// ---- Deterministic randomness ------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  /** A printable ASCII string of the given length. */
  text(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(0x21 + this.int(0x5e));
    return out;
  }
}

// ---- Requests and forms ------------------------------------------------------------------------

/** One form/query member: a name and value (encoded when sent), or raw bytes sent exactly as given. */
type Piece = [name: string, value: string] | { raw: Buffer };
type Form = Piece[];

const raw = (text: string | Buffer): Piece => ({ raw: Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1') });

/** Form-encodes text; unlike plain encodeURIComponent it accepts lone surrogates (sent as U+FFFD). */
function formEncode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

function encodeForm(form: Form): Buffer {
  const parts: Buffer[] = [];
  form.forEach((piece, i) => {
    if (i > 0) parts.push(Buffer.from('&'));
    parts.push(Array.isArray(piece) ? Buffer.from(`${formEncode(piece[0])}=${formEncode(piece[1])}`) : piece.raw);
  });
  return Buffer.concat(parts);
}

interface Case {
  id: number;
  category: string;
  /** Tally label: method and route, e.g. `POST /oidc/token`. */
  endpoint: string;
  method: string;
  /** Request target; anything outside printable ASCII goes through a raw socket. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | (() => Readable);
  /** A complete raw HTTP request, written to a socket as is. */
  raw?: Buffer;
  /** What is wrong with the request, for failure reports. */
  note: string;
  /** Raw cases only: the server may legitimately drop the connection without an answer. */
  mayDrop?: boolean;
  /**
   * The clients the request names: a redirect or form_post may only go to a URI registered for one
   * of them. Unset: any URI registered in the fixture.
   */
  clients?: string[];
  /** The request carries bad credentials: it must not succeed. */
  mustFail?: boolean;
  /** The one client and redirect_uri the request names, for following up a code it gets. */
  followUp?: { client: string; redirectUri?: string };
}

interface Outcome {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** No response at all (connection closed or reset first). */
  dropped?: string;
}

// ---- The fixture ---------------------------------------------------------------------------------

const FIXTURE = fixtureConfig();
const secretOf = (id: string) => FIXTURE.clients.find((c) => c.client_id === id)!.client_secret!;
const REDIRECT = 'https://rp.example.com/callback';
const POST_LOGOUT = 'https://rp.example.com/logged-out';
const registeredFor = (clients: string[]) =>
  new Set(FIXTURE.clients.filter((c) => clients.includes(c.client_id)).flatMap((c) => [...(c.redirect_uris ?? []), ...(c.post_logout_redirect_uris ?? [])]));
const ALL_CLIENTS = FIXTURE.clients.map((c) => c.client_id);

/** Whether a URI the provider sent a browser to is registered for one of the clients (loopback IP literals may use any port, RFC 8252 7.3). */
function isRegistered(uri: string, clients: string[] = ALL_CLIENTS): boolean {
  const REGISTERED = registeredFor(clients);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  url.hash = '';
  url.search = '';
  const exact = url.toString();
  if (REGISTERED.has(exact)) return true;
  if (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]')) {
    url.port = '';
    return REGISTERED.has(url.toString());
  }
  return false;
}

const OAUTH_ERRORS = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'access_denied', 'unsupported_response_type', 'server_error', 'temporarily_unavailable', 'interaction_required',
  'login_required', 'account_selection_required', 'consent_required', 'invalid_request_uri', 'invalid_request_object',
  'request_not_supported', 'request_uri_not_supported', 'registration_not_supported', 'invalid_token', 'insufficient_scope',
  'unsupported_token_type',
]);
const ERROR_CHARSET = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;
const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|node_modules|\.ts:\d+|\bError: |FST_ERR/;

function header(outcome: Outcome, name: string): string {
  const value = outcome.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every problem with one answer; an empty list is a pass. */
function problemsOf(c: Case, outcome: Outcome, base: { origin: string; basePath: string }): string[] {
  if (outcome.dropped) return c.mayDrop ? [] : [`no response: ${outcome.dropped}`];
  const problems: string[] = [];
  const { status } = outcome;
  const text = outcome.body.toString('utf8');
  const type = header(outcome, 'content-type').toLowerCase();
  if (!(status >= 100 && status < 500)) problems.push(`status ${status}`);
  if (c.mustFail && status < 400) problems.push(`bad credentials accepted (${status})`);
  if (STACK_TRACE.test(text)) problems.push('the body looks like a stack trace');
  const hasBody = c.method !== 'HEAD' && outcome.body.length > 0;
  if (type.startsWith('application/json') && hasBody) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push('JSON content type but the body does not parse');
    }
    if (parsed !== undefined && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
      problems.push('JSON body is not an object');
    } else if (parsed !== undefined && status >= 400) {
      const { error, error_description: description } = parsed as Record<string, unknown>;
      if (typeof error !== 'string' || !ERROR_CHARSET.test(error)) problems.push(`error member ${JSON.stringify(error)}`);
      else if (!OAUTH_ERRORS.has(error)) problems.push(`error ${JSON.stringify(error)} is not an OAuth error code`);
      if (description !== undefined && (typeof description !== 'string' || !ERROR_CHARSET.test(description))) {
        problems.push(`error_description ${JSON.stringify(description).slice(0, 80)}`);
      }
      const extra = Object.keys(parsed as object).filter((k) => !['error', 'error_description', 'error_uri', 'state'].includes(k));
      if (extra.length > 0) problems.push(`unexpected members in the error body: ${extra.join(', ')}`);
    }
  } else if (type.startsWith('text/html') && hasBody) {
    // A failed sign-in shows the login form again (401) with its message in #login-error.
    const loginAgain = status === 401 && text.includes('id="login-form"') && text.includes('id="login-error"');
    if (status >= 400 && !loginAgain && !/<[a-z]+[^>]*\sid="error"/.test(text)) problems.push('HTML error page without id="error"');
    const formPost = /<form[^>]*id="form_post"[^>]*>/.exec(text);
    if (formPost) {
      const action = /action="([^"]*)"/.exec(formPost[0])?.[1]?.replace(/&amp;/g, '&') ?? '';
      if (!isRegistered(action, c.clients)) problems.push(`form_post to a URI not registered for ${c.clients ?? 'any client'}: ${action.slice(0, 120)}`);
    }
  } else if (status >= 400 && hasBody) {
    problems.push(`error body of type ${JSON.stringify(type)}`);
  } else if (status >= 400 && c.method !== 'HEAD') {
    problems.push('error without a body');
  }
  if (status >= 300 && status < 400 && status !== 304) {
    const location = header(outcome, 'location');
    let target: URL | undefined;
    try {
      target = new URL(location, base.origin);
    } catch {
      problems.push(`unparseable Location ${location.slice(0, 120)}`);
    }
    if (target && target.origin === base.origin) {
      if (!target.pathname.startsWith(`${base.basePath}/interaction/`)) problems.push(`redirect inside the provider to ${target.pathname.slice(0, 120)}`);
    } else if (target && !isRegistered(target.toString(), c.clients)) {
      problems.push(`redirect to a URI not registered for ${c.clients ?? 'any client'}: ${location.slice(0, 160)}`);
    } else if (target) {
      const params = new URLSearchParams(target.hash.length > 1 ? target.hash.slice(1) : target.search);
      const error = params.get('error');
      if (error !== null && !OAUTH_ERRORS.has(error)) problems.push(`redirected error ${JSON.stringify(error)}`);
      const description = params.get('error_description');
      if (description !== null && !ERROR_CHARSET.test(description)) problems.push('redirected error_description has bad characters');
    }
  }
  return problems;
}

// ---- Sending -------------------------------------------------------------------------------------

async function sendRaw(port: number, data: Buffer, halfClose: boolean, timeoutMs = 5000): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ port, host: '127.0.0.1' });
    const finish = (reason?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRawResponse(Buffer.concat(chunks), reason));
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (isCompleteResponse(Buffer.concat(chunks))) finish();
    });
    socket.on('error', (error) => finish(error.message));
    socket.on('close', () => finish('closed'));
    // A request the server may wait on forever is followed by the end of input (Node's server
    // aborts a request whose client half-closes, so the others keep the connection open).
    socket.on('connect', () => (halfClose ? socket.end(data) : socket.write(data)));
  });
}

function splitHead(whole: Buffer): { head: string; rest: Buffer } | undefined {
  let buffer = whole;
  // Interim responses (100 Continue) come before the real one.
  while (/^HTTP\/1\.\d 1\d\d /.test(buffer.subarray(0, 13).toString('latin1')) && buffer.includes('\r\n\r\n')) {
    buffer = buffer.subarray(buffer.indexOf('\r\n\r\n') + 4);
  }
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  return { head: buffer.subarray(0, end).toString('latin1'), rest: buffer.subarray(end + 4) };
}

function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function isCompleteResponse(buffer: Buffer): boolean {
  const parts = splitHead(buffer);
  if (!parts) return false;
  const headers = headersOf(parts.head);
  if (headers['content-length'] !== undefined) return parts.rest.length >= Number(headers['content-length']);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) return parts.rest.includes('0\r\n\r\n');
  return /^HTTP\/1\.\d (204|304)/.test(parts.head);
}

function parseRawResponse(buffer: Buffer, reason?: string): Outcome {
  const parts = splitHead(buffer);
  const status = parts ? Number(/^HTTP\/1\.\d (\d{3})/.exec(parts.head)?.[1] ?? NaN) : NaN;
  if (!parts || Number.isNaN(status)) return { status: 0, headers: {}, body: Buffer.alloc(0), dropped: reason ?? 'no status line' };
  const headers = headersOf(parts.head);
  let body = parts.rest;
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const out: Buffer[] = [];
    let rest = body;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = eol === -1 ? 0 : parseInt(rest.subarray(0, eol).toString('latin1'), 16);
      if (!size) break;
      out.push(rest.subarray(eol + 2, eol + 2 + size));
      rest = rest.subarray(eol + 2 + size + 2);
    }
    body = Buffer.concat(out);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return { status, headers, body };
}

function needsRawSocket(c: Case): boolean {
  return c.raw !== undefined || /[^\x21-\x7e]/.test(c.path);
}

/** A request that undici cannot express (bytes outside ASCII in the target) written by hand. */
function rawRequestOf(c: Case, host: string): Buffer {
  if (c.raw) return c.raw;
  const body = typeof c.body === 'function' ? Buffer.alloc(0) : (c.body ?? Buffer.alloc(0));
  const lines = [`${c.method} ${c.path} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [name, value] of Object.entries(c.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body.length > 0 || c.method === 'POST') lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

async function send(agent: Agent, origin: string, port: number, c: Case): Promise<Outcome> {
  if (needsRawSocket(c)) return sendRaw(port, rawRequestOf(c, new URL(origin).host), c.mayDrop === true);
  try {
    const response = await agent.request({
      origin,
      path: c.path,
      method: c.method as 'GET',
      headers: c.headers,
      body: typeof c.body === 'function' ? c.body() : c.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, headers: response.headers, body };
  } catch (error) {
    return { status: 0, headers: {}, body: Buffer.alloc(0), dropped: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** The parameters an authorization response or token response hands the client. */
function deliveredParams(outcome: Outcome, origin: string): Record<string, string> {
  const location = header(outcome, 'location');
  if (location) {
    try {
      const url = new URL(location, origin);
      if (url.origin === origin) return {};
      return Object.fromEntries(new URLSearchParams(url.hash.length > 1 ? url.hash.slice(1) : url.search));
    } catch {
      return {};
    }
  }
  const text = outcome.body.toString('utf8');
  if (header(outcome, 'content-type').startsWith('application/json') && outcome.status === 200) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      return typeof body.access_token === 'string' ? { access_token: body.access_token } : {};
    } catch {
      return {};
    }
  }
  if (!text.includes('id="form_post"')) return {};
  return parseForm(text, 'form_post').fields;
}

/**
 * What a client would do next with what it got: redeem a code, call userinfo with an access token.
 * Tokens minted from malformed requests (odd claims, scopes, states) are used too.
 */
function followUpsOf(c: Case, outcome: Outcome, a: Artifacts, origin: string): Array<Omit<Case, 'id'>> {
  if (outcome.dropped || outcome.status >= 400) return [];
  const params = deliveredParams(outcome, origin);
  const next: Array<Omit<Case, 'id'>> = [];
  if (params.access_token) {
    next.push({ category: 'follow-up:userinfo', endpoint: `GET ${a.basePath}/me`, method: 'GET', path: `${a.basePath}/me`, headers: { authorization: `Bearer ${params.access_token}` }, note: `userinfo with the token of #${c.id}` });
  }
  const client = FIXTURE.clients.find((x) => x.client_id === c.followUp?.client);
  if (params.code && client && c.followUp?.redirectUri !== undefined) {
    const form: Form = [['grant_type', 'authorization_code'], ['code', params.code], ['redirect_uri', c.followUp.redirectUri]];
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const method = client.token_endpoint_auth_method ?? 'client_secret_post';
    if (method === 'client_secret_basic') headers.authorization = `Basic ${b64(`${client.client_id}:${client.client_secret}`)}`;
    if (method === 'client_secret_post') form.push(['client_id', client.client_id], ['client_secret', client.client_secret!]);
    if (method === 'none') form.push(['client_id', client.client_id], ['code_verifier', a.verifier]);
    next.push({ category: 'follow-up:code', endpoint: `POST ${a.basePath}/token`, method: 'POST', path: `${a.basePath}/token`, headers, body: encodeForm(form), note: `redeeming the code of #${c.id}` });
  }
  return next;
}

// ---- A small cookie-keeping browser for the setup --------------------------------------------------

class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly agent: Agent,
    private readonly origin: string,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async go(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await this.agent.request({ origin: this.origin, path, method, headers, body: form ? new URLSearchParams(form).toString() : undefined });
    const text = await res.body.text();
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (value.join('=') === '' || /max-age=0/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    const location = res.headers.location;
    return { status: res.statusCode, text, location: typeof location === 'string' ? location : undefined };
  }

  /** Follows the provider's own redirects, logging in and approving, until the response meant for the client. */
  async authorize(query: string, basePath: string): Promise<{ location?: string; text: string }> {
    let res = await this.go('GET', `${basePath}/auth?${query}`);
    for (let step = 0; step < 10; step++) {
      if (res.location?.startsWith(`${basePath}/`)) {
        res = await this.go('GET', res.location);
      } else if (res.text.includes('id="login-form"')) {
        const { action, fields } = parseForm(res.text, 'login-form');
        res = await this.go('POST', action, { ...fields, username: ALICE.username, password: ALICE.password });
      } else if (res.text.includes('id="consent-form"')) {
        const { action, fields } = parseForm(res.text, 'consent-form');
        res = await this.go('POST', action, { ...fields, decision: 'approve' });
      } else {
        return res;
      }
    }
    throw new Error('the setup authorization did not finish');
  }
}

// ---- Values the generator works with ---------------------------------------------------------------

interface Artifacts {
  basePath: string;
  host: string;
  /** op_session=... for a signed-in alice who consented for web-post, web-basic and spa-public. */
  sessionCookie: string;
  /** Kept valid for the whole run (userinfo). */
  accessToken: string;
  /** Revoked by the revocation cases. */
  revocableToken: string;
  idToken: string;
  idTokenBasic: string;
  refreshPost: string;
  refreshBasic: string;
  machineToken: string;
  codes: Record<'web-post' | 'web-basic' | 'spa-public', string[]>;
  verifier: string;
  challenge: string;
  /** A pending login interaction: its uid, cookie and CSRF token. */
  login: { uid: string; cookie: string; csrf: string };
  /** A pending consent interaction of the signed-in session. */
  consent: { uid: string; cookie: string; csrf: string };
  /** More pending consent interactions: one per consent case, since a denial ends its interaction. */
  consents: Array<{ uid: string; cookie: string; csrf: string }>;
}

const WRONG_TYPED = [
  '{"a":1}', '[1,2,3]', '123', '-1', '0', '1e309', 'NaN', 'true', 'null', 'undefined', '0x1f', '\u0000', ' ', '\t\n',
  '💥🙂', 'ünïcödé ✓', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x/a}', '../../../etc/passwd',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', '%00', 'a\r\nSet-Cookie: x=1', '\ud800', 'x'.repeat(300),
];
const BAD_PERCENT = ['%zz', '%', '%4', '%%41', '%u0041', '%C3%28', '%FF%FE', '%ED%A0%80', '%C0%AF', '%F4%90%80%80', '%E0%A4%A', '%2', 'a%'];
const NON_UTF8 = [
  Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0x28]), Buffer.from([0x80, 0x81, 0x82]), Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xc0, 0xaf]),
];

const MUTATIONS = [
  'missing', 'empty', 'duplicate-same', 'duplicate-different', 'duplicate-empty', 'huge', 'oversized', 'wrong-typed',
  'array-syntax', 'bad-percent', 'non-utf8', 'control-chars', 'name-case', 'whitespace',
] as const;
type Mutation = (typeof MUTATIONS)[number];

/** The form with one parameter changed in one way. */
function mutate(rng: Rng, form: Form, name: string, mutation: Mutation, where: 'query' | 'body'): { form: Form; note: string } {
  const index = form.findIndex((p) => Array.isArray(p) && p[0] === name);
  const value = index === -1 ? 'x' : (form[index] as [string, string])[1];
  const others = form.filter((_, i) => i !== index);
  const at = (...pieces: Piece[]): Form => {
    const copy = [...others];
    copy.splice(index === -1 ? copy.length : index, 0, ...pieces);
    return copy;
  };
  switch (mutation) {
    case 'missing':
      return { form: others, note: `${name} missing` };
    case 'empty':
      return { form: at([name, '']), note: `${name} empty` };
    case 'duplicate-same':
      return { form: at([name, value], [name, value]), note: `${name} twice, same value` };
    case 'duplicate-different': {
      const second = rng.pick(WRONG_TYPED);
      return { form: at([name, value], [name, second]), note: `${name} twice, second ${JSON.stringify(second).slice(0, 40)}` };
    }
    case 'duplicate-empty':
      return { form: at([name, value], [name, '']), note: `${name} twice, second empty` };
    case 'huge': {
      // Under the 16 KiB header limit in a query, under 64 KiB in a body.
      const size = where === 'query' ? 9 * KIB : rng.pick([10 * KIB, 40 * KIB, 60 * KIB]);
      return { form: at([name, rng.text(64).repeat(Math.ceil(size / 64)).slice(0, size)]), note: `${name} of ${size} bytes` };
    }
    case 'oversized': {
      const size = rng.pick([65 * KIB, 100 * KIB]);
      return { form: at([name, 'A'.repeat(size)]), note: `${name} of ${size} bytes (over the limit)` };
    }
    case 'wrong-typed': {
      const wrong = rng.pick(WRONG_TYPED);
      return { form: at([name, wrong]), note: `${name}=${JSON.stringify(wrong).slice(0, 40)}` };
    }
    case 'array-syntax': {
      const renamed = rng.pick([`${name}[]`, `${name}[0]`, `${name}[a][b]`, `${name}.x`]);
      return { form: at([renamed, value], [renamed, value]), note: `${name} as ${renamed}` };
    }
    case 'bad-percent': {
      const escape = rng.pick(BAD_PERCENT);
      return { form: at(raw(`${formEncode(name)}=${escape}`)), note: `${name}=${escape}` };
    }
    case 'non-utf8': {
      const bytes = rng.pick(NON_UTF8);
      return { form: at(raw(Buffer.concat([Buffer.from(`${name}=`), bytes]))), note: `${name} with raw bytes ${bytes.toString('hex')}` };
    }
    case 'control-chars':
      return { form: at([name, `${value}\u0000\r\n\u001f\u007f`]), note: `${name} with control characters` };
    case 'name-case':
      return { form: at([name.toUpperCase(), value]), note: `${name} named ${name.toUpperCase()}` };
    case 'whitespace':
      return { form: at([` ${name} `, ` ${value} `]), note: `${name} padded with spaces` };
  }
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

function basicVariants(rng: Rng): Array<[string, string]> {
  const id = 'web-basic';
  const secret = secretOf(id);
  const good = b64(`${id}:${secret}`);
  return [
    ['Basic', 'scheme only'],
    ['Basic ', 'scheme and space'],
    ['Basic !!!!', 'not base64'],
    ['Basic YQ==YQ==', 'padding in the middle'],
    ['Basic =', 'only padding'],
    [`Basic ${b64('nocolon')}`, 'no colon'],
    [`Basic ${b64(':')}`, 'empty id and secret'],
    [`Basic ${b64(`${id}:`)}`, 'empty secret'],
    [`Basic ${b64(`:${secret}`)}`, 'empty id'],
    [`Basic ${b64('%zz:%zz')}`, 'bad percent-escapes'],
    [`Basic ${b64(`${id}:%`)}`, 'lone percent in the secret'],
    [`Basic ${b64('%E0%A4%A:x')}`, 'truncated UTF-8 escape'],
    [`Basic ${b64('%C3%28:%FF')}`, 'escapes of invalid UTF-8'],
    [`Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xc3, 0x28]))}`, 'raw non-UTF-8 bytes'],
    [`Basic ${'QUFB'.repeat(2 * KIB)}`, '8 KiB of base64 without a colon'],
    [`Basic ${b64(`${'a'.repeat(5 * KIB)}:${'b'.repeat(5 * KIB)}`)}`, '13 KiB of credentials'],
    [`basic ${good}`, 'lower-case scheme (valid)'],
    [`BASIC ${good}`, 'upper-case scheme (valid)'],
    [`Basic  ${good}`, 'two spaces (valid)'],
    [`Basic\t${good}`, 'tab instead of space'],
    [`Basic ${good} extra`, 'trailing garbage'],
    [`Basic ${good}${good}`, 'credentials twice'],
    [`Basic ${b64(`${id}:wrong`)}`, 'wrong secret'],
    [`Basic ${b64(`web-post:${secretOf('web-post')}`)}`, 'a client_secret_post client'],
    [`Basic ${b64(`unknown-client:${secret}`)}`, 'unknown client'],
    [`Basic ${b64(`__proto__:x`)}`, 'client id __proto__'],
    [`Basic ${b64(`${id}:${secret}:more`)}`, 'extra colon'],
    [`Basic ${b64(rng.text(40))}`, 'random bytes'],
    ['Bearer abc', 'a Bearer header'],
    ['Digest username="x", realm="y"', 'Digest scheme'],
    ['Negotiate YIIB', 'Negotiate scheme'],
    ['', 'empty header'],
  ];
}

function bearerVariants(a: Artifacts): Array<[string, string]> {
  const [h, p, s] = a.accessToken.split('.') as [string, string, string];
  const json = (o: unknown) => base64url.encode(JSON.stringify(o));
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p))) as Record<string, unknown>;
  return [
    ['Bearer', 'scheme only'],
    ['Bearer ', 'empty token'],
    ['Bearer garbage', 'garbage'],
    ['Bearer a.b.c', 'three garbage segments'],
    ['Bearer ...', 'empty segments'],
    [`Bearer ${h}.${p}`, 'truncated JWT (no signature)'],
    [`Bearer ${h}.${p}.`, 'empty signature'],
    [`Bearer ${a.accessToken.slice(0, -10)}`, 'truncated signature'],
    [`Bearer ${h}.${p}.${s}x`, 'signature with an extra character'],
    [`Bearer ${json({ alg: 'none', typ: 'at+jwt' })}.${p}.`, 'alg none'],
    [`Bearer ${json({ alg: 'none' })}.${p}.${s}`, 'alg none with a signature'],
    [`Bearer ${json({ alg: 'HS256', typ: 'at+jwt' })}.${p}.${s}`, 'alg HS256 with an RS256 signature'],
    [`Bearer ${json({ alg: 'HS256', typ: 'at+jwt' })}.${json({ ...payload, aud: 'web-hs256' })}.${s}`, 'HS256 naming a client'],
    [`Bearer ${json({ alg: 'HS256' })}.${json({ aud: { a: 1 } })}.${s}`, 'HS256 with an object aud'],
    [`Bearer ${json({ alg: 'HS256' })}.${base64url.encode('null')}.${s}`, 'HS256 with a null payload'],
    [`Bearer ${json({ alg: 'RS256', kid: 'nope' })}.${p}.${s}`, 'unknown kid'],
    [`Bearer ${json({ alg: 'ES256', kid: JSON.parse(new TextDecoder().decode(base64url.decode(h))).kid })}.${p}.${s}`, 'alg confusion RS256 -> ES256'],
    [`Bearer ${json([1])}.${p}.${s}`, 'header is an array'],
    [`Bearer ${base64url.encode('not json')}.${p}.${s}`, 'header is not JSON'],
    [`Bearer ${h}.${json({ ...payload, exp: 1 })}.${s}`, 'payload changed (expired)'],
    [`Bearer ${h}.${base64url.encode('[]')}.${s}`, 'payload is an array'],
    [`Bearer ${a.idToken}`, 'an ID token'],
    [`Bearer ${a.refreshPost}`, 'a refresh token'],
    [`Bearer ${a.machineToken}`, 'a client credentials token (no openid)'],
    [`Bearer ${a.accessToken} ${a.accessToken}`, 'two tokens'],
    [`Bearer ${'A'.repeat(12 * KIB)}`, '12 KiB token'],
    [`bearer ${a.accessToken}`, 'lower-case scheme (valid)'],
    [`Bearer\t${a.accessToken}`, 'tab instead of space'],
    [`Basic ${b64('a:b')}`, 'a Basic header'],
    [`Bearer ${a.accessToken}`, '(valid)'],
  ];
}

const CONTENT_TYPES: Array<[string | undefined, (form: Buffer) => Buffer, string]> = [
  ['application/json', () => Buffer.from('{"grant_type": "client_credentials",'), 'bad JSON'],
  ['application/json', () => Buffer.from('{"grant_type":"client_credentials","client_id":"machine"}'), 'valid JSON'],
  ['application/json', () => Buffer.from('[1,2,3'), 'bad JSON array'],
  ['application/json; charset=utf-8', () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'JSON with invalid UTF-8'],
  ['multipart/form-data; boundary=xyz', () => Buffer.from('--xyz\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--xyz--\r\n'), 'multipart'],
  ['multipart/form-data', () => Buffer.from('--\r\n\r\n'), 'multipart without boundary'],
  ['text/plain', (form) => form, 'text/plain with a form'],
  [undefined, (form) => form, 'no content type'],
  ['application/x-www-form-urlencoded; charset=ISO-8859-1', () => Buffer.from([0x61, 0x3d, 0xe9, 0x26, 0x62, 0x3d, 0xff]), 'latin1 body'],
  ['application/x-www-form-urlencoded; charset=utf-16le', (form) => Buffer.from(form.toString('latin1'), 'utf16le'), 'UTF-16 body'],
  ['APPLICATION/X-WWW-FORM-URLENCODED', (form) => form, 'upper-case media type'],
  ['application/x-www-form-urlencoded;;;=;', (form) => form, 'broken parameters'],
  ['application/x-www-form-urlencoded, text/plain', (form) => form, 'two media types'],
  ['invalid', (form) => form, 'not a media type'],
  ['/', (form) => form, 'a lone slash'],
  ['*/*', (form) => form, 'a wildcard'],
  ['application/octet-stream', () => Buffer.from([0, 1, 2, 3, 0xff]), 'binary'],
  ['application/x-www-form-urlencoded', () => Buffer.alloc(0), 'form type, empty body'],
];

// ---- The generator -------------------------------------------------------------------------------

function generate(rng: Rng, a: Artifacts): Case[] {
  const cases: Case[] = [];
  const P = a.basePath;
  const add = (c: Omit<Case, 'id'>) => cases.push({ ...c, id: cases.length });
  const formHeaders = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/x-www-form-urlencoded', ...extra });
  const query = (form: Form) => encodeForm(form).toString('latin1');

  /** Adds one form request: GET with a query or POST with a body. */
  const formCase = (
    category: string,
    route: string,
    method: 'GET' | 'POST',
    form: Form,
    note: string,
    headers: Record<string, string> = {},
    mustFail = false,
  ) => {
    // The clients the request names; a real ID token as a hint names its audience too.
    const values = (name: string) => form.filter((p): p is [string, string] => Array.isArray(p) && p[0] === name).map((p) => p[1]);
    const hinted = values('id_token_hint').flatMap((v) => (v === a.idToken ? ['web-post'] : v === a.idTokenBasic ? ['web-basic'] : []));
    const clients = [...values('client_id'), ...hinted];
    const followUp = values('client_id').length === 1 ? { client: values('client_id')[0]!, redirectUri: values('redirect_uri')[0] } : undefined;
    if (method === 'GET') {
      const q = query(form);
      add({ category, endpoint: `GET ${route}`, method, path: `${route}${q ? `?${q}` : ''}`, headers, note, clients, mustFail, followUp });
    } else {
      add({ category, endpoint: `POST ${route}`, method, path: route, headers: formHeaders(headers), body: encodeForm(form), note, clients, mustFail, followUp });
    }
  };

  // --- discovery and JWKS ---
  for (const route of [`${P}/.well-known/openid-configuration`, `${P}/jwks`, `/.well-known/oauth-authorization-server${P}`]) {
    const endpoint = (m: string) => `${m} ${route}`;
    const queries = ['%zz', 'a=%C3%28', `x=${'y'.repeat(9 * KIB)}`, Array.from({ length: 600 }, (_, i) => `p${i}=${i}`).join('&'), '__proto__[x]=1&constructor=1', '&&&==&'];
    for (const q of queries) add({ category: 'discovery', endpoint: endpoint('GET'), method: 'GET', path: `${route}?${q}`, note: `query ${q.slice(0, 30)}` });
    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      add({ category: 'discovery', endpoint: endpoint(['PUT', 'DELETE', 'PATCH'].includes(method) ? 'other methods' : method), method, path: route, headers: method === 'POST' ? formHeaders() : {}, body: method === 'POST' ? Buffer.from('a=b') : undefined, note: `${method}` });
    }
    add({ category: 'discovery', endpoint: endpoint('GET'), method: 'GET', path: `${route}/`, note: 'trailing slash' });
    add({ category: 'discovery', endpoint: endpoint('GET'), method: 'GET', path: route, headers: { accept: 'text/html', 'accept-encoding': 'gzip;q=zz', 'if-none-match': '"\u00ff"'.replace(/\u00ff/, 'x') }, note: 'odd accept headers' });
    add({ category: 'discovery', endpoint: endpoint('POST'), method: 'POST', path: route, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(1 * KIB * KIB, 0x7b), note: '1 MiB JSON body' });
  }

  // --- authorization endpoint ---
  const AUTH = `${P}/auth`;
  const authBaselines: Array<{ name: string; form: Form }> = [
    { name: 'code web-post', form: [['client_id', 'web-post'], ['response_type', 'code'], ['scope', 'openid profile email'], ['redirect_uri', REDIRECT], ['state', 'st-1'], ['nonce', 'n-1']] },
    { name: 'code+PKCE spa-public', form: [['client_id', 'spa-public'], ['response_type', 'code'], ['scope', 'openid'], ['redirect_uri', REDIRECT.replace('rp.', 'spa.')], ['state', 'st-2'], ['code_challenge', a.challenge], ['code_challenge_method', 'S256']] },
    { name: 'hybrid form_post web-basic', form: [['client_id', 'web-basic'], ['response_type', 'code id_token token'], ['scope', 'openid email'], ['redirect_uri', REDIRECT], ['response_mode', 'form_post'], ['nonce', 'n-3'], ['state', 'st-3']] },
    { name: 'implicit web-post', form: [['client_id', 'web-post'], ['response_type', 'id_token'], ['scope', 'openid'], ['redirect_uri', REDIRECT], ['nonce', 'n-4']] },
    { name: 'loopback web-basic', form: [['client_id', 'web-basic'], ['response_type', 'code'], ['scope', 'openid offline_access'], ['redirect_uri', 'http://127.0.0.1:8765/callback'], ['prompt', 'consent'], ['max_age', '600']] },
  ];
  const authExtras: Array<[string, string]> = [
    ['request', 'eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6InJvIn0.'], ['request_uri', 'https://evil.example/ro'], ['claims', '{"id_token":{"email":{"essential":true}}}'],
    ['id_token_hint', a.idToken], ['max_age', '0'], ['prompt', 'none'], ['response_mode', 'fragment'], ['login_hint', 'alice'],
    ['acr_values', 'urn:x'], ['ui_locales', 'en fr'], ['registration', '{}'], ['display', 'popup'], ['client_secret', 'x'],
  ];
  const transports = ['GET', 'POST', 'GET+session', 'POST+session'] as const;
  for (const baseline of authBaselines) {
    const names = (baseline.form as Array<[string, string]>).map(([n]) => n);
    for (const name of names) {
      for (const mutation of MUTATIONS) {
        const transport = rng.pick(transports);
        const method = transport.startsWith('GET') ? 'GET' : 'POST';
        const { form, note } = mutate(rng, baseline.form, name, mutation, method === 'GET' ? 'query' : 'body');
        const headers: Record<string, string> = transport.endsWith('session') ? { cookie: a.sessionCookie } : {};
        formCase(`auth:${mutation}`, AUTH, method, form, `${baseline.name}: ${note} (${transport})`, headers);
      }
    }
    for (const [name, value] of authExtras) {
      const transport = rng.pick(transports);
      const method = transport.startsWith('GET') ? 'GET' : 'POST';
      const headers: Record<string, string> = transport.endsWith('session') ? { cookie: a.sessionCookie } : {};
      const mutation = rng.pick(MUTATIONS.filter((m) => m !== 'missing'));
      const { form, note } = mutate(rng, [...baseline.form, [name, value]], name, mutation, method === 'GET' ? 'query' : 'body');
      formCase(`auth:extra-parameter`, AUTH, method, form, `${baseline.name}: extra ${note} (${transport})`, headers);
    }
  }
  // Targeted values of the parameters that decide where the browser goes.
  const code = authBaselines[0]!.form;
  const withValue = (form: Form, name: string, value: string): Form => [...form.filter((p) => !(Array.isArray(p) && p[0] === name)), [name, value]];
  const foreignRedirects = [
    'https://evil.example/callback', 'https://rp.example.com/callback/../evil', 'https://rp.example.com/callback?x=1', 'https://rp.example.com/callback#frag',
    'https://rp.example.com@evil.example/callback', 'https://RP.example.com/callback', 'https://rp.example.com/callback/', 'http://rp.example.com/callback',
    'https://rp.example.com:443/callback', 'http://127.0.0.1:99999/callback', 'http://127.0.0.1:65536/callback', 'http://127.0.0.1:0/callback',
    'http://127.0.0.1:/callback', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080?x=1', 'http://127.0.0.1:00080/callback', 'http://[::1]:8080/callback',
    'http://localhost/callback', 'http://127.0.0.1.evil.example/callback', 'javascript:alert(1)', 'data:text/html,<b>x</b>', '//evil.example/callback',
    '/callback', 'https://rp.example.com/callback\u0000', ' https://rp.example.com/callback', 'https://rp.example.com/call%62ack', 'https://spa.example.com/callback',
    'https://rp2.example.com/callback', 'http://127.0.0.1:8080/callback?evil=1', 'http://127.0.0.1:8080/callback#x', 'http://127.0.0.1:99999',
    'http://127.0.0.1:1/callback',
  ];
  for (const uri of foreignRedirects) {
    for (const transport of ['GET', 'POST+session'] as const) {
      const method = transport.startsWith('GET') ? 'GET' : 'POST';
      const headers: Record<string, string> = transport.endsWith('session') ? { cookie: a.sessionCookie } : {};
      const client = rng.pick(['web-post', 'web-basic', 'spa-public']);
      const responseType = rng.pick(['code', 'id_token', 'code id_token', 'bogus']);
      const form = withValue(withValue(withValue(code, 'client_id', client), 'response_type', responseType), 'redirect_uri', uri);
      formCase('auth:redirect_uri', AUTH, method, form, `redirect_uri ${JSON.stringify(uri)} for ${client} ${responseType} (${transport})`, headers);
    }
  }
  const none = (o: unknown) => `${base64url.encode('{"alg":"none"}')}.${base64url.encode(JSON.stringify(o))}.`;
  const targeted: Array<[string, string]> = [
    ...['query', 'fragment', 'form_post', 'jwt', 'query.jwt', 'FORM_POST', 'web_message', 'form_post form_post'].map((v): [string, string] => ['response_mode', v]),
    ...['token', 'code token id_token', 'none', 'code code', 'id_token  token', 'CODE', 'code\u0000'].map((v): [string, string] => ['response_type', v]),
    ['request', 'garbage'], ['request', 'a.b'], ['request', 'a.b.c.d'], ['request', 'a.b.c'], ['request', none([1])], ['request', none(null)],
    ['request', none({ redirect_uri: 'https://evil.example/cb' })], ['request', none({ client_id: 'web-basic' })], ['request', none({ client_id: 7 })],
    ['request', none({ state: { a: [1, { b: null }] }, nonce: 5, max_age: 'x', claims: 'not json' })], ['request', none({ __proto__: { x: 1 }, constructor: 'x' })],
    ['request', none({ response_type: 'id_token token', response_mode: 'query' })], ['request', `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('{}')}.sig`],
    ['request', `${base64url.encode('[]')}.${base64url.encode('{}')}.`], ['request', none({ request: none({}) })], ['request', none({ x: 'y'.repeat(5000) })],
    ...['{', '[]', 'null', '1', '"x"', '{"userinfo":[]}', '{"id_token":{"sub":{"value":5}}}', '{"id_token":{"sub":{"value":"user-bob-0002"}}}',
      '{"id_token":{"__proto__":{"essential":true},"constructor":null,"toString":{"value":1}}}', '{"userinfo":{"__proto__":null,"hasOwnProperty":null,"email":{"essential":"yes"}}}',
      '{"id_token":{"acr":null,"email":[],"name":"x"}}', `${'{"a":'.repeat(500)}1${'}'.repeat(500)}`, '{"userinfo":{"address":{"values":[1,2]}},"id_token":{"auth_time":{"essential":true}}}',
    ].map((v): [string, string] => ['claims', v]),
    ...['garbage', 'a.b.c', a.idToken.slice(0, -5), none({ sub: ALICE.sub, iss: 'x' }), a.idTokenBasic, a.accessToken, a.refreshPost].map((v): [string, string] => ['id_token_hint', v]),
    ...['-1', '1e3', '99999999999', 'abc', '0', '1.5', ' 5', '00000000010'].map((v): [string, string] => ['max_age', v]),
    ...['none login', 'none', 'login', 'consent', 'select_account', 'bogus', 'none none', 'LOGIN'].map((v): [string, string] => ['prompt', v]),
    ...['', 'profile', 'openid openid', 'openid\tprofile', 'OPENID', 'openid offline_access', `openid ${'x '.repeat(3000)}`].map((v): [string, string] => ['scope', v]),
    ...['short', 'x'.repeat(129), '+'.repeat(43), 'a'.repeat(43)].map((v): [string, string] => ['code_challenge', v]),
    ...['S512', 's256', 'plain', ''].map((v): [string, string] => ['code_challenge_method', v]),
    ['login_hint', '<img src=x onerror=alert(1)>'], ['state', '"><script>alert(1)</script>'], ['nonce', 'x'.repeat(9000)],
  ];
  for (const [name, value] of targeted) {
    // Signed in, each value meets every baseline (so it reaches token issuance whatever the seed);
    // signed out and by POST, a random one.
    const runs = [
      ...authBaselines.map((b) => ['GET+session', b] as const),
      ['GET', rng.pick(authBaselines)] as const,
      ['POST+session', rng.pick(authBaselines)] as const,
    ];
    for (const [transport, baseline] of runs) {
      const method = transport.startsWith('GET') ? 'GET' : 'POST';
      const headers: Record<string, string> = transport.endsWith('session') ? { cookie: a.sessionCookie } : {};
      const note = `${baseline.name}: ${name}=${JSON.stringify(value).slice(0, 60)} (${transport})`;
      formCase(`auth:${name}`, AUTH, method, withValue(baseline.form, name, value), note, headers);
    }
  }

  // --- interaction pages ---
  const bogusUids = ['x', 'a'.repeat(199), 'a'.repeat(201), 'a'.repeat(5 * KIB), '%00', '%zz', '%C3%28', '%FF', '..%2F..%2Fetc', '__proto__', 'constructor', '%20', a.login.uid.slice(1), a.consent.uid];
  for (const uid of bogusUids) {
    const withCookie = rng.next() < 0.5;
    const cookie: Record<string, string> = withCookie ? { cookie: `op_interaction=${uid}; ${a.sessionCookie}` } : {};
    add({ category: 'interaction:bogus-uid', clients: ['web-post', 'web-basic'], endpoint: `GET ${P}/interaction/:uid`, method: 'GET', path: `${P}/interaction/${uid}`, headers: cookie, note: `uid ${uid.slice(0, 20)}${withCookie ? ' with a matching cookie' : ''}` });
    for (const step of ['login', 'consent']) {
      const body = rng.pick<Form>([[], [['csrf', 'x']], [['csrf', 'x'], ['csrf', 'y']], [['csrf', a.login.csrf], ['username', 'alice'], ['password', ALICE.password]], [raw(Buffer.from([0xff, 0x3d, 0xfe]))]]);
      add({ category: 'interaction:bogus-uid', clients: ['web-post', 'web-basic'], endpoint: `POST ${P}/interaction/:uid/${step}`, method: 'POST', path: `${P}/interaction/${uid}/${step}`, headers: formHeaders(cookie), body: encodeForm(body), note: `${step} for uid ${uid.slice(0, 20)}` });
    }
  }
  const loginForm: Form = [['csrf', a.login.csrf], ['username', 'alice'], ['password', 'not-the-password']];
  for (const name of ['csrf', 'username', 'password']) {
    for (const mutation of MUTATIONS) {
      const { form, note } = mutate(rng, loginForm, name, mutation, 'body');
      add({ category: `interaction:${mutation}`, clients: ['web-post', 'web-basic'], endpoint: `POST ${P}/interaction/:uid/login`, method: 'POST', path: `${P}/interaction/${a.login.uid}/login`, headers: formHeaders({ cookie: a.login.cookie }), body: encodeForm(form), note: `login: ${note}` });
    }
  }
  const consentForm: Form = [['csrf', a.consent.csrf], ['decision', 'maybe']];
  for (const name of ['csrf', 'decision']) {
    for (const mutation of MUTATIONS) {
      const own = a.consents.shift() ?? a.consent;
      const { form, note } = mutate(rng, [['csrf', own.csrf], ['decision', rng.pick(['approve', 'deny'])]], name, mutation, 'body');
      add({ category: `interaction:${mutation}`, clients: ['web-basic'], endpoint: `POST ${P}/interaction/:uid/consent`, method: 'POST', path: `${P}/interaction/${own.uid}/consent`, headers: formHeaders({ cookie: own.cookie }), body: encodeForm(form), note: `consent: ${note}` });
    }
  }
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    add({ category: 'wrong-method', endpoint: `${method} ${P}/interaction/:uid`, method, path: `${P}/interaction/${a.login.uid}`, headers: { cookie: a.login.cookie }, note: method });
  }
  add({ category: 'wrong-method', endpoint: `GET ${P}/interaction/:uid/login`, method: 'GET', path: `${P}/interaction/${a.login.uid}/login`, headers: { cookie: a.login.cookie }, note: 'GET on the login form target' });

  // --- token endpoint ---
  const TOKEN = `${P}/token`;
  const codeOf = (client: keyof Artifacts['codes']) => a.codes[client].shift() ?? 'no-more-real-codes';
  const tokenBaselines: Array<{ name: string; form: () => Form; basic?: string }> = [
    { name: 'authorization_code post', form: () => [['grant_type', 'authorization_code'], ['code', codeOf('web-post')], ['redirect_uri', REDIRECT], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]] },
    { name: 'authorization_code basic', form: () => [['grant_type', 'authorization_code'], ['code', codeOf('web-basic')], ['redirect_uri', REDIRECT]], basic: 'web-basic' },
    { name: 'authorization_code public', form: () => [['grant_type', 'authorization_code'], ['code', codeOf('spa-public')], ['redirect_uri', 'https://spa.example.com/callback'], ['client_id', 'spa-public'], ['code_verifier', a.verifier]] },
    { name: 'client_credentials post', form: () => [['grant_type', 'client_credentials'], ['scope', 'reports:read'], ['client_id', 'machine'], ['client_secret', secretOf('machine')]] },
    { name: 'client_credentials basic', form: () => [['grant_type', 'client_credentials'], ['scope', 'reports:read']], basic: 'machine-basic' },
    { name: 'password post', form: () => [['grant_type', 'password'], ['username', 'alice'], ['password', ALICE.password], ['scope', 'openid offline_access'], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]] },
    { name: 'password basic', form: () => [['grant_type', 'password'], ['username', 'bob'], ['password', 'builder-can-fix-it']], basic: 'web-basic' },
    { name: 'refresh_token post', form: () => [['grant_type', 'refresh_token'], ['refresh_token', a.refreshPost], ['scope', 'openid'], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]] },
    { name: 'refresh_token basic', form: () => [['grant_type', 'refresh_token'], ['refresh_token', a.refreshBasic]], basic: 'web-basic' },
  ];
  const basicOf = (id: string) => `Basic ${b64(`${id}:${secretOf(id)}`)}`;
  for (const baseline of tokenBaselines) {
    const names = (baseline.form() as Array<[string, string]>).map(([n]) => n);
    for (const name of names) {
      for (const mutation of MUTATIONS) {
        const { form, note } = mutate(rng, baseline.form(), name, mutation, 'body');
        const headers: Record<string, string> = baseline.basic ? { authorization: basicOf(baseline.basic) } : {};
        formCase(`token:${mutation}`, TOKEN, 'POST', form, `${baseline.name}: ${note}`, headers);
      }
    }
  }
  const grantTypes = ['implicit', 'Authorization_Code', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:device_code', 'token-exchange', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'client_credentials ', 'password\u0000', 'refresh_token,password', '*'];
  for (const grant of grantTypes) {
    formCase('token:grant_type', TOKEN, 'POST', [['grant_type', grant], ['client_id', 'machine'], ['client_secret', secretOf('machine')]], `grant_type ${JSON.stringify(grant)}`);
  }
  for (const [value, note] of basicVariants(rng)) {
    const body = rng.pick<Form>([[['grant_type', 'client_credentials']], [['grant_type', 'password'], ['username', 'alice'], ['password', ALICE.password]], [['grant_type', 'client_credentials'], ['client_secret', 'x']], [['grant_type', 'client_credentials'], ['client_id', 'machine']]]);
    formCase('token:basic-header', TOKEN, 'POST', body, `Authorization ${note}`, { authorization: value }, !note.includes('(valid)'));
  }
  // Client credentials in the query are refused (RFC 6749 2.3.1).
  for (const q of ['client_secret=x', 'client_id=machine&client_secret=' + secretOf('machine'), 'password=p', 'code=%zz', 'refresh_token=' + 'r'.repeat(9000), 'grant_type=client_credentials']) {
    add({ category: 'token:query-credentials', endpoint: `POST ${TOKEN}`, method: 'POST', path: `${TOKEN}?${q}`, headers: formHeaders(), body: encodeForm([['grant_type', 'client_credentials'], ['client_id', 'machine'], ['client_secret', secretOf('machine')]]), note: `query ${q.slice(0, 40)}` });
  }

  // --- userinfo ---
  const ME = `${P}/me`;
  for (const [value, note] of bearerVariants(a)) {
    for (const method of ['GET', 'POST'] as const) {
      add({ category: 'userinfo:bearer', endpoint: `${method} ${ME}`, method, path: ME, headers: method === 'POST' ? formHeaders({ authorization: value }) : { authorization: value }, body: method === 'POST' ? Buffer.alloc(0) : undefined, note: `Authorization ${note}`, mustFail: !note.includes('(valid)') });
    }
  }
  const meForm: Form = [['access_token', a.accessToken]];
  for (const mutation of MUTATIONS) {
    const { form, note } = mutate(rng, meForm, 'access_token', mutation, 'body');
    formCase(`userinfo:${mutation}`, ME, 'POST', form, `body ${note}`);
    const q = mutate(rng, meForm, 'access_token', mutation, 'query');
    formCase(`userinfo:${mutation}`, ME, 'GET', q.form, `query ${q.note}`);
  }
  formCase('userinfo:two-ways', ME, 'POST', meForm, 'header and body', { authorization: `Bearer ${a.accessToken}` });

  // --- revocation and introspection ---
  for (const [route, label] of [[`${P}/token/revocation`, 'revocation'], [`${P}/token/introspection`, 'introspection']] as const) {
    const baselines: Array<{ name: string; form: Form; basic?: string }> = [
      { name: 'post', form: [['token', a.revocableToken], ['token_type_hint', 'access_token'], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]] },
      { name: 'basic', form: [['token', rng.pick([a.refreshBasic, 'unknown-token'])], ['token_type_hint', 'refresh_token']], basic: 'web-basic' },
    ];
    for (const baseline of baselines) {
      for (const [name] of baseline.form as Array<[string, string]>) {
        for (const mutation of MUTATIONS) {
          const { form, note } = mutate(rng, baseline.form, name, mutation, 'body');
          formCase(`${label}:${mutation}`, route, 'POST', form, `${baseline.name}: ${note}`, baseline.basic ? { authorization: basicOf(baseline.basic) } : {});
        }
      }
    }
    for (const hint of ['refresh_token', 'id_token', 'bogus', 'access_token access_token']) {
      formCase(`${label}:token_type_hint`, route, 'POST', [['token', a.idToken], ['token_type_hint', hint], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]], `hint ${hint} with an ID token`);
    }
    formCase(`${label}:public-client`, route, 'POST', [['token', a.accessToken], ['client_id', 'spa-public']], 'public client');
    formCase(`${label}:other-client`, route, 'POST', [['token', a.accessToken], ['client_id', 'web-hs256'], ['client_secret', secretOf('web-hs256')]], "another client's token");
    for (const [value, note] of basicVariants(rng).filter(() => rng.next() < 0.6)) {
      formCase(`${label}:basic-header`, route, 'POST', [['token', a.accessToken]], `Authorization ${note}`, { authorization: value }, !note.includes('(valid)'));
    }
  }

  // --- RP-initiated logout ---
  const END = `${P}/session/end`;
  const endBaseline: Form = [['id_token_hint', a.idToken], ['post_logout_redirect_uri', POST_LOGOUT], ['state', 'lo-1'], ['client_id', 'web-post']];
  for (const name of ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id']) {
    for (const mutation of MUTATIONS) {
      const method = rng.pick(['GET', 'POST'] as const);
      // Never with the real session cookie: a valid hint would sign the shared session out.
      const { form, note } = mutate(rng, endBaseline, name, mutation, method === 'GET' ? 'query' : 'body');
      formCase(`end-session:${mutation}`, END, method, form, note);
    }
  }
  const foreignLogout = ['https://evil.example/logged-out', 'https://rp.example.com/logged-out/', 'https://rp.example.com/logged-out?x=1', 'https://rp.example.com@evil.example/', 'javascript:alert(1)', '//evil.example', 'https://spa.example.com/logged-out', 'http://127.0.0.1:99999/logged-out', 'http://127.0.0.1:8080/logged-out'];
  for (const uri of foreignLogout) {
    for (const variant of ['hint', 'client_id', 'neither', 'hint of another client', 'unknown client']) {
      const form: Form = [['post_logout_redirect_uri', uri]];
      if (variant === 'hint') form.push(['id_token_hint', a.idToken]);
      if (variant === 'client_id') form.push(['client_id', 'web-post']);
      if (variant === 'hint of another client') form.push(['id_token_hint', a.idTokenBasic], ['client_id', 'web-post']);
      if (variant === 'unknown client') form.push(['client_id', 'no-such-client']);
      formCase('end-session:post_logout_redirect_uri', END, rng.pick(['GET', 'POST'] as const), form, `${uri} with ${variant}`);
    }
  }
  for (const hint of ['garbage', 'a.b.c', a.idToken.slice(0, -5), none({ sub: ALICE.sub, aud: 'web-post' }), a.accessToken, a.refreshPost, `${a.idToken}.x`, 'x'.repeat(9 * KIB)]) {
    formCase('end-session:id_token_hint', END, rng.pick(['GET', 'POST'] as const), [['id_token_hint', hint], ['post_logout_redirect_uri', POST_LOGOUT]], `hint ${hint.slice(0, 20)}`);
  }
  for (const body of [[], [['logout', 'x'], ['csrf', 'y']], [['logout', '__proto__'], ['csrf', '']], [raw(Buffer.from([0xff]))], [['logout', 'a'.repeat(60 * KIB)]]] as Form[]) {
    formCase('end-session:confirm', `${END}/confirm`, 'POST', body, 'bogus confirmation');
  }
  add({ category: 'end-session:confirm', endpoint: `GET ${END}/confirm`, method: 'GET', path: `${END}/confirm`, note: 'GET on confirm' });

  // --- wrong content types on every form endpoint ---
  const formEndpoints: Array<[string, Form, Record<string, string>]> = [
    [TOKEN, [['grant_type', 'client_credentials'], ['client_id', 'machine'], ['client_secret', secretOf('machine')]], {}],
    [`${P}/token/revocation`, [['token', 'x'], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]], {}],
    [`${P}/token/introspection`, [['token', 'x'], ['client_id', 'web-post'], ['client_secret', secretOf('web-post')]], {}],
    [ME, [['access_token', a.accessToken]], {}],
    [AUTH, authBaselines[0]!.form, {}],
    [`${P}/interaction/${a.login.uid}/login`, loginForm, { cookie: a.login.cookie }],
    [`${P}/interaction/${a.consent.uid}/consent`, consentForm, { cookie: a.consent.cookie }],
    [END, [['state', 'x']], {}],
  ];
  for (const [route, form, extra] of formEndpoints) {
    const endpoint = `POST ${route.replace(a.login.uid, ':uid').replace(a.consent.uid, ':uid')}`;
    for (const [type, bodyOf, note] of CONTENT_TYPES) {
      const headers: Record<string, string> = { ...extra };
      if (type !== undefined) headers['content-type'] = type;
      add({ category: 'content-type', endpoint, method: 'POST', path: route, headers, body: bodyOf(encodeForm(form)), note });
    }
    // Bodies at, over and far over the 64 KiB limit, sent with a length and chunked.
    const pad = (size: number) => Buffer.concat([encodeForm(form), Buffer.from(`&pad=`), Buffer.alloc(Math.max(0, size - encodeForm(form).length - 5), 0x61)]);
    add({ category: 'huge-body', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: pad(64 * KIB), note: 'exactly 64 KiB' });
    add({ category: 'huge-body', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: pad(64 * KIB + 1), note: '64 KiB + 1' });
    add({ category: 'huge-body', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: pad(KIB * KIB), note: '1 MiB' });
    add({ category: 'huge-body', endpoint, method: 'POST', path: route, headers: { ...extra, 'content-type': 'application/json' }, body: Buffer.alloc(KIB * KIB, 0x5b), note: '1 MiB of [' });
    add({ category: 'huge-body', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: () => Readable.from(Array.from({ length: 16 }, () => Buffer.alloc(64 * KIB, 0x61))), note: '1 MiB chunked' });
    add({ category: 'huge-body', endpoint, method: 'POST', path: route, headers: { ...extra, 'content-type': 'text/plain' }, body: () => Readable.from([Buffer.alloc(100 * KIB, 0x62)]), note: '100 KiB chunked text' });
    // Many parameters.
    add({ category: 'many-parameters', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: Buffer.concat([encodeForm(form), Buffer.from(Array.from({ length: 5000 }, (_, i) => `&p${i}=${i}`).join(''))]), note: '5,000 extra parameters' });
    add({ category: 'many-parameters', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: Buffer.concat([encodeForm(form), Buffer.from('&='.repeat(20 * KIB))]), note: '20,000 empty pairs' });
    add({ category: 'many-parameters', endpoint, method: 'POST', path: route, headers: formHeaders(extra), body: Buffer.from(Array.from({ length: 3000 }, () => encodeForm(form).toString('latin1')).join('&').slice(0, 60 * KIB)), note: 'the whole form repeated' });
  }

  // --- unknown paths and wrong methods ---
  const unknownPaths = ['/', '/oidc', `${P}/`, `${P}/unknown`, `${P}/token/`, `${P}/tokens`, `${P}/auth/`, `${P}/authorize`, `${P}/me/`, `${P}/session`, `${P}/.well-known/`, '/.well-known/openid-configuration',
    `${P}/../etc/passwd`, `${P}/%2e%2e/%2e%2e/etc/passwd`, `${P}//token`, `${P}/auth%00`, `${P}/%zz`, `${P}/%C3%28`, `/${'a'.repeat(9 * KIB)}`, `${P}/interaction`, `${P}/interaction/`,
    `${P}/token/revocation/x`, `${P}/jwks.json`, '/favicon.ico', `${P}/auth;jsessionid=1`, `${P}/token?`, `${P}/%2Ftoken`, '/OIDC/token', `${P}/TOKEN`];
  for (const path of unknownPaths) {
    const method = rng.pick(['GET', 'POST', 'HEAD', 'OPTIONS']);
    add({ category: 'unknown-path', endpoint: `${method} (unknown path)`, method, path, headers: method === 'POST' ? formHeaders() : {}, body: method === 'POST' ? Buffer.from('a=1') : undefined, note: path.slice(0, 60) });
  }
  const known = [`${P}/auth`, TOKEN, ME, `${P}/token/revocation`, `${P}/token/introspection`, END, `${P}/jwks`, `${P}/.well-known/openid-configuration`];
  for (const route of known) {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'SEARCH', 'PROPFIND']) {
      add({ category: 'wrong-method', endpoint: `${method === 'OPTIONS' ? method : 'other methods'} ${route}`, method, path: route, headers: method === 'OPTIONS' ? { origin: 'https://evil.example', 'access-control-request-method': 'POST' } : {}, note: method });
    }
  }
  for (const route of [TOKEN, `${P}/token/revocation`, `${P}/token/introspection`]) {
    add({ category: 'wrong-method', endpoint: `GET ${route}`, method: 'GET', path: `${route}?grant_type=client_credentials&client_id=machine`, note: 'GET with parameters' });
  }

  // --- long URLs and headers ---
  for (const [route, size] of [[AUTH, 15 * KIB], [AUTH, 20 * KIB], [TOKEN, 20 * KIB], [ME, 40 * KIB], [END, 15 * KIB]] as const) {
    add({ category: 'long-url', endpoint: `GET ${route}`, method: 'GET', path: `${route}?client_id=web-post&x=${'u'.repeat(size)}`, note: `URL of ${size} bytes` });
  }
  for (const [name, size] of [['cookie', 15 * KIB], ['cookie', 20 * KIB], ['x-filler', 12 * KIB], ['authorization', 20 * KIB], ['user-agent', 17 * KIB]] as const) {
    const route = rng.pick(known);
    add({ category: 'long-header', endpoint: `GET ${route}`, method: 'GET', path: route, headers: { [name]: name === 'cookie' ? `op_session=${'s'.repeat(size)}` : 'h'.repeat(size) }, note: `${name} of ${size} bytes` });
  }
  add({ category: 'long-header', endpoint: `GET ${AUTH}`, method: 'GET', path: `${AUTH}?${query(code)}`, headers: { cookie: Array.from({ length: 300 }, (_, i) => `op_session=${i}`).join('; ') }, note: '300 session cookies' });
  add({ category: 'long-header', endpoint: `GET ${AUTH}`, method: 'GET', path: `${AUTH}?${query(code)}`, headers: { cookie: `op_session=__proto__; op_interaction=constructor` }, note: 'cookie names of prototype members' });

  // --- raw sockets: broken HTTP and bytes undici will not send ---
  const host = a.host;
  const rawCase = (note: string, text: string | Buffer, endpoint = 'raw HTTP', mayDrop = false) =>
    add({ category: 'raw-http', endpoint, method: 'RAW', path: '/', raw: Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'), note, mayDrop });
  const form = `grant_type=client_credentials&client_id=machine&client_secret=${secretOf('machine')}`;
  rawCase('raw byte 0xff in the path', Buffer.concat([Buffer.from(`GET ${P}/`), Buffer.from([0xff]), Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)]));
  rawCase('raw non-UTF-8 bytes in the auth query', Buffer.concat([Buffer.from(`GET ${AUTH}?client_id=web-post&state=`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)]), `GET ${AUTH}`);
  rawCase('space in the target', `GET ${AUTH}?a=b c HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  rawCase('unknown method', `FOO ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  rawCase('lower-case method', `get ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  rawCase('HTTP/9.9', `GET ${P}/jwks HTTP/9.9\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  rawCase('HTTP/1.0 without Host', `GET ${P}/jwks HTTP/1.0\r\n\r\n`, `GET ${P}/jwks`);
  rawCase('HTTP/1.1 without Host', `GET ${P}/jwks HTTP/1.1\r\nConnection: close\r\n\r\n`);
  rawCase('two Host headers', `GET ${P}/jwks HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n`);
  rawCase('no version', `GET ${P}/jwks\r\n\r\n`);
  rawCase('HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'raw HTTP', true);
  rawCase('TLS ClientHello', Buffer.from('16030100a5010000a10303', 'hex'));
  rawCase('header without a colon', `GET ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\nNoColonHere\r\nConnection: close\r\n\r\n`);
  rawCase('space in a header name', `GET ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\nConnection: close\r\n\r\n`);
  rawCase('NUL in a header value', `GET ${ME} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer a\u0000b\r\nConnection: close\r\n\r\n`);
  rawCase('obs-fold', `GET ${ME} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer\r\n  folded\r\nConnection: close\r\n\r\n`);
  rawCase('bare LF line endings', `GET ${P}/jwks HTTP/1.1\nHost: ${host}\nConnection: close\n\n`);
  rawCase('Content-Length: abc', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: abc\r\nConnection: close\r\n\r\n${form}`);
  rawCase('Content-Length: -1', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: -1\r\nConnection: close\r\n\r\n${form}`);
  rawCase('two different Content-Length', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\n${form}`);
  rawCase('Content-Length and chunked', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nabcde\r\n0\r\n\r\n`);
  rawCase('bad chunk size', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`);
  rawCase('huge chunk size', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffffffffffff\r\nabc\r\n0\r\n\r\n`, 'raw HTTP', true);
  rawCase('Transfer-Encoding: gzip', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n${form}`);
  rawCase('Content-Encoding: gzip on a plain form', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Encoding: gzip\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`, `POST ${TOKEN}`);
  rawCase('Content-Length: 1 GB, nothing sent', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n`, `POST ${TOKEN}`);
  rawCase('Expect: 100-continue', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`, `POST ${TOKEN}`);
  rawCase('Expect: something else', `POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: teapot\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`, `POST ${TOKEN}`);
  rawCase('3,000 headers', `GET ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}Connection: close\r\n\r\n`);
  rawCase('20 KiB header', `GET ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'b'.repeat(20 * KIB)}\r\nConnection: close\r\n\r\n`);
  rawCase('latin1 bytes in the Basic header', Buffer.concat([Buffer.from(`POST ${TOKEN} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic `), Buffer.from([0xe9, 0xff]), Buffer.from(`\r\nContent-Length: 29\r\nConnection: close\r\n\r\ngrant_type=client_credentials`)]), `POST ${TOKEN}`);
  rawCase('latin1 bytes in the Bearer header', Buffer.concat([Buffer.from(`GET ${ME} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer `), Buffer.from([0xe9, 0xff, 0x80]), Buffer.from(`\r\nConnection: close\r\n\r\n`)]), `GET ${ME}`);
  rawCase('latin1 bytes in the cookie', Buffer.concat([Buffer.from(`GET ${P}/interaction/x HTTP/1.1\r\nHost: ${host}\r\nCookie: op_interaction=x`), Buffer.from([0xe9, 0xff]), Buffer.from(`; op_session=`), Buffer.from([0xc3, 0x28]), Buffer.from(`\r\nConnection: close\r\n\r\n`)]), `GET ${P}/interaction/:uid`);
  rawCase('absolute-form target', `GET http://evil.example${P}/jwks HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  rawCase('asterisk-form target', `OPTIONS * HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  rawCase('CONNECT', `CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n`, 'raw HTTP', true);
  rawCase('Upgrade: websocket', `GET ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`, 'raw HTTP', true);
  rawCase('a good request then a broken one, pipelined', `GET ${P}/jwks HTTP/1.1\r\nHost: ${host}\r\n\r\nGARBAGE\r\n\r\n`);
  rawCase('empty line only', '\r\n\r\n', 'raw HTTP', true);
  rawCase('binary noise', Buffer.from(Array.from({ length: 512 }, () => rng.int(256))));

  return cases;
}

// ---- The test ------------------------------------------------------------------------------------

let provider: Awaited<ReturnType<typeof startFixtureProvider>>;
let agent: Agent;
let artifacts: Artifacts;

async function postJson(path: string, form: Record<string, string>, basic?: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${b64(`${basic}:${secretOf(basic)}`)}`;
  const res = await agent.request({ origin: provider.url, path: new URL(provider.issuer).pathname + path, method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const body = (await res.body.json()) as Record<string, string>;
  if (res.statusCode !== 200) throw new Error(`setup request ${path} failed: ${JSON.stringify(body)}`);
  return body;
}

async function prepare(): Promise<Artifacts> {
  const basePath = new URL(provider.issuer).pathname;
  const origin = provider.url;
  // Separate grants, so that revoking one (revocation cases, refresh token reuse) leaves the others valid.
  const webPost = { client_id: 'web-post', client_secret: secretOf('web-post'), grant_type: 'password', username: 'alice', password: ALICE.password };
  const password = await postJson('/token', { ...webPost, scope: 'openid profile email phone address' });
  const refreshable = await postJson('/token', { ...webPost, scope: 'openid offline_access' });
  const revocable = await postJson('/token', { ...webPost, scope: 'openid' });
  const passwordBasic = await postJson('/token', { grant_type: 'password', username: 'alice', password: ALICE.password, scope: 'openid offline_access' }, 'web-basic');
  const machine = await postJson('/token', { grant_type: 'client_credentials', client_id: 'machine', client_secret: secretOf('machine') });

  const verifier = base64url.encode(createHash('sha256').update(`verifier-${SEED}`).digest()) + 'abcdefgh';
  const challenge = base64url.encode(createHash('sha256').update(verifier).digest());
  const browser = new Browser(agent, origin);
  const grantFor = async (client: string, redirect: string, extra = '') => {
    const q = `client_id=${client}&response_type=code&scope=openid%20profile%20email&redirect_uri=${encodeURIComponent(redirect)}&state=s${extra}`;
    const res = await browser.authorize(q, basePath);
    const code = res.location ? new URL(res.location).searchParams.get('code') : null;
    if (!code) throw new Error(`setup authorization for ${client} gave no code: ${res.location ?? res.text.slice(0, 200)}`);
    return code;
  };
  const pkce = `&code_challenge=${challenge}&code_challenge_method=S256`;
  // The first authorization of each client logs in and consents; the rest return a code at once.
  const codes: Artifacts['codes'] = { 'web-post': [], 'web-basic': [], 'spa-public': [] };
  for (const [client, redirect, extra] of [['web-post', REDIRECT, ''], ['web-basic', REDIRECT, ''], ['spa-public', 'https://spa.example.com/callback', pkce]] as const) {
    codes[client].push(await grantFor(client, redirect, extra));
    const more = await Promise.all(Array.from({ length: 75 }, () => grantFor(client, redirect, extra)));
    codes[client].push(...more);
  }
  const sessionCookie = `op_session=${browser.cookies.get('op_session')}`;

  // A pending login interaction (no session) and a pending consent interaction (the session, prompt=consent).
  const fresh = new Browser(agent, origin);
  const start = await fresh.go('GET', `${basePath}/auth?client_id=web-post&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}`);
  const loginPage = await fresh.go('GET', start.location!);
  const login = { uid: start.location!.split('/').pop()!, cookie: fresh.cookieHeader(), csrf: parseForm(loginPage.text, 'login-form').fields.csrf! };
  const pendingConsent = async () => {
    const started = await browser.go('GET', `${basePath}/auth?client_id=web-basic&response_type=code&scope=openid%20phone&prompt=consent&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    const uid = started.location!.split('/').pop()!;
    const cookie = `${sessionCookie}; op_interaction=${uid}`;
    const page = await agent.request({ origin, path: started.location!, method: 'GET', headers: { cookie } });
    return { uid, cookie, csrf: parseForm(await page.body.text(), 'consent-form').fields.csrf! };
  };
  const consent = await pendingConsent();
  const consents = await Promise.all(Array.from({ length: 2 * MUTATIONS.length }, pendingConsent));

  return {
    basePath,
    host: new URL(origin).host,
    sessionCookie,
    accessToken: password.access_token!,
    idToken: password.id_token!,
    idTokenBasic: passwordBasic.id_token!,
    refreshPost: refreshable.refresh_token!,
    revocableToken: revocable.access_token!,
    refreshBasic: passwordBasic.refresh_token!,
    machineToken: machine.access_token!,
    codes,
    verifier,
    challenge,
    login,
    consent,
    consents,
  };
}

beforeAll(async () => {
  provider = await startFixtureProvider();
  // Redirects echo state, so a Location header may be far longer than undici's default 16 KiB allows.
  agent = new Agent({ connections: CONCURRENCY * 2, pipelining: 1, maxHeaderSize: 256 * KIB });
  artifacts = await prepare();
});
afterAll(async () => {
  await agent?.close();
  await provider?.close();
});

describe('malformed input', () => {
  it(`answers every generated bad request without a 5xx, with a proper error body (seed ${SEED})`, { timeout: 60_000 }, async () => {
    const rng = new Rng(SEED);
    const cases = generate(rng, artifacts);
    const generated = cases.length;
    const port = new URL(provider.url).port;
    const base = { origin: provider.url, basePath: artifacts.basePath };
    const failures: string[] = [];
    const tally = new Map<string, Map<string, number>>();
    const categories = new Map<string, number>();
    let next = 0;
    const started = Date.now();

    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const outcome = await send(agent, provider.url, Number(port), c);
        const problems = problemsOf(c, outcome, base);
        for (const followUp of followUpsOf(c, outcome, artifacts, provider.url)) cases.push({ ...followUp, id: cases.length });
        const status = outcome.dropped ? 'dropped' : String(outcome.status);
        const row = tally.get(c.endpoint) ?? new Map<string, number>();
        row.set(status, (row.get(status) ?? 0) + 1);
        tally.set(c.endpoint, row);
        const group = c.category.split(':')[0]!;
        categories.set(c.category, (categories.get(c.category) ?? 0) + 1);
        categories.set(`(all ${group})`, (categories.get(`(all ${group})`) ?? 0) + 1);
        if (problems.length > 0) {
          failures.push(`#${c.id} [${c.category}] ${c.method} ${c.path.slice(0, 100)} (${c.note}): ${problems.join('; ')} :: ${outcome.status} ${outcome.body.toString('utf8').slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const lines = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([endpoint, row]) => `  ${endpoint.padEnd(48)} ${[...row].sort().map(([s, n]) => `${s}:${n}`).join(' ')}`);
    console.log(
      `malformed input: ${cases.length} requests (${cases.length - generated} of them follow-ups) in ${Date.now() - started} ms (seed ${SEED}), ${failures.length} failing\n` +
        `by endpoint and status:\n${lines.join('\n')}\n` +
        `by category: ${[...categories].filter(([k]) => k.startsWith('(all')).map(([k, n]) => `${k.slice(5, -1)} ${n}`).join(', ')}`,
    );

    expect(cases.length).toBeGreaterThanOrEqual(1000);
    expect(failures.slice(0, 40), `${failures.length} failing requests`).toEqual([]);

    // The process is still up and still right.
    const discovery = await agent.request({ origin: provider.url, path: `${artifacts.basePath}/.well-known/openid-configuration`, method: 'GET' });
    expect(discovery.statusCode).toBe(200);
    expect(((await discovery.body.json()) as { issuer: string }).issuer).toBe(provider.issuer);
  });

  it('generates the same requests for the same seed', () => {
    const digest = (c: Case) =>
      createHash('sha256')
        .update(`${c.method} ${c.path} ${JSON.stringify(c.headers ?? {})}`)
        .update(c.raw ?? (Buffer.isBuffer(c.body) ? c.body : Buffer.alloc(0)))
        .digest('hex');
    const shape = (cases: Case[]) => cases.map((c) => `${c.category} ${c.note} ${digest(c)}`).join('\n');
    const fake = { ...artifacts, codes: { 'web-post': [], 'web-basic': [], 'spa-public': [] }, consents: [] };
    expect(shape(generate(new Rng(SEED), fake))).toBe(shape(generate(new Rng(SEED), fake)));
  });
});

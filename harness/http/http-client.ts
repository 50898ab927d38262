// The ONE place that sends HTTP. Every request becomes an Exchange, recorded (redacted) in send
// order, so any verdict can cite what the provider actually said.
import { Agent, request as undiciRequest } from 'undici';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HttpError } from './http-error.ts';
import { appendQuery, encodeBasicAuth, encodeForm } from './encode-form.ts';
import { createRedactor } from './redact.ts';
import type { Exchange, HttpClient, HttpClientOptions, HttpErrorCode, HttpRequest, RecordedResponse } from './types.ts';

const DEFAULT_USER_AGENT = 'oidc-conformance';

type Phase = 'connect' | 'headers' | 'body';

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const redactor = createRedactor(options.redact ?? []);
  const recorded: Exchange[] = [];
  const byId = new Map<string, number>();
  const now = options.now ?? (() => new Date());
  // Our own agent: closable, and its built-in timeouts act as a backstop to the deadline below.
  const agent = new Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  // connectTo: one agent per node address, whose lookup answers that address for any host.
  const nodeAgents = new Map<string, Agent>();
  const agentFor = (address: string): Agent => {
    let nodeAgent = nodeAgents.get(address);
    if (!nodeAgent) {
      const family = isIP(address);
      const lookup = (_host: string, lookupOptions: { all?: boolean }, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
        if (lookupOptions.all) callback(null, [{ address, family }]);
        else callback(null, address, family);
      };
      nodeAgent = new Agent({ connect: { timeout: options.timeoutMs, lookup } as never, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
      nodeAgents.set(address, nodeAgent);
    }
    return nodeAgent;
  };
  let counter = 0;

  function record(exchange: Exchange): void {
    const copy = redactor.redactExchange(exchange);
    const at = byId.get(exchange.id);
    if (at === undefined) {
      byId.set(exchange.id, recorded.length);
      recorded.push(copy);
    } else {
      recorded[at] = copy;
    }
  }

  async function send(req: HttpRequest): Promise<Exchange> {
    if (req.form !== undefined && req.body !== undefined) {
      throw new TypeError('send: pass either form or body, not both');
    }
    const id = `${options.idPrefix ?? ''}#${++counter}`;
    const url = req.query ? appendQuery(req.url, req.query) : req.url;
    const headers = buildHeaders(req, options.userAgent ?? DEFAULT_USER_AGENT);
    const body = req.form !== undefined ? encodeForm(req.form) : req.body;
    const exchange: Exchange = {
      id,
      request: { method: req.method.toUpperCase(), url, headers },
      startedAt: now().toISOString(),
      durationMs: 0,
    };
    if (req.label !== undefined) exchange.label = req.label;
    if (body !== undefined) exchange.request.body = body;
    if (req.basicAuth) exchange.request.basicAuthUsername = req.basicAuth.username;
    // Recorded before sending, so even a request that crashes the harness shows up.
    record(exchange);

    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    const started = performance.now();
    const controller = new AbortController();
    let phase: Phase = 'connect';
    let timedOut = false;
    let received = 0;
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('deadline'));
    }, timeoutMs);

    const finish = (): Exchange => {
      exchange.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      record(exchange);
      return exchange;
    };
    const failWith = (code: HttpErrorCode, message: string): HttpError => {
      exchange.error = { code, message };
      finish();
      const shown = recorded[byId.get(id) ?? -1] ?? exchange;
      return new HttpError(code, `${id} ${shown.request.method} ${shown.request.url}: ${shown.error?.message ?? message}`, exchange);
    };

    try {
      let parsedUrl: URL;
      try {
        parsedUrl = new URL(url);
      } catch {
        throw failWith('BAD_REQUEST', `invalid URL "${url}"`);
      }
      if (req.connectTo !== undefined && isIP(req.connectTo) === 0) throw failWith('BAD_REQUEST', `connectTo "${req.connectTo}" is not an IP address`);
      phase = 'headers';
      const response = await undiciRequest(parsedUrl, {
        method: exchange.request.method as 'GET',
        headers,
        body: body ?? null,
        signal: controller.signal,
        dispatcher: req.connectTo === undefined ? agent : agentFor(req.connectTo),
        // Per request too: an override longer than the agent's default must not be cut short.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      phase = 'body';
      const recordedResponse: RecordedResponse = {
        status: response.statusCode,
        headers: normaliseHeaders(response.headers),
        body: '',
        bytes: 0,
        truncated: false,
      };
      exchange.response = recordedResponse;

      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        discardBody(response.body);
        recordedResponse.truncated = true;
        throw failWith('TOO_LARGE', `response body of ${declared} bytes (content-length) exceeds the ${options.maxResponseBytes}-byte cap`);
      }
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > options.maxResponseBytes) {
          const keep = chunk.subarray(0, chunk.length - (received - options.maxResponseBytes));
          chunks.push(keep);
          discardBody(response.body);
          setBody(recordedResponse, Buffer.concat(chunks), true);
          throw failWith('TOO_LARGE', `response body exceeds the ${options.maxResponseBytes}-byte cap (stopped reading after ${received} bytes)`);
        }
        chunks.push(chunk);
      }
      setBody(recordedResponse, Buffer.concat(chunks), false);
      return finish();
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // Keep what did arrive: a half-sent body is evidence of how the target failed.
      if (exchange.response && chunks.length > 0) setBody(exchange.response, Buffer.concat(chunks), true);
      const [code, message] = describeFailure(error, { timedOut, phase, timeoutMs, received, url });
      throw failWith(code, message);
    } finally {
      clearTimeout(timer);
    }
  }

  function recordObserved(observed: Omit<Exchange, 'id'>): Exchange {
    const exchange: Exchange = { id: `${options.idPrefix ?? ''}#${++counter}`, ...observed };
    record(exchange);
    return exchange;
  }

  return {
    send,
    record: recordObserved,
    exchanges: () => recorded.slice(),
    exchange: (id) => {
      const at = byId.get(id);
      return at === undefined ? undefined : recorded[at];
    },
    addSecret: (value) => redactor.addSecret(value),
    redact: (value) => redactor.redactValue(value),
    close: async () => {
      await Promise.all([agent.close(), ...[...nodeAgents.values()].map((a) => a.close())]);
    },
  };
}

// Destroying an undici body emits an AbortError; nobody else listens, so swallow it here
// instead of letting it surface as an uncaught exception.
function discardBody(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

function buildHeaders(req: HttpRequest, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name);
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name] = value;
  if (!has('user-agent')) headers['user-agent'] = userAgent;
  if (req.form !== undefined && !has('content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (req.basicAuth && !has('authorization')) {
    headers['authorization'] = encodeBasicAuth(req.basicAuth.username, req.basicAuth.password);
  }
  return headers;
}

function normaliseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}

function setBody(response: RecordedResponse, bytes: Buffer, truncated: boolean): void {
  response.body = bytes.toString('utf8');
  response.bytes = bytes.length;
  response.truncated = truncated;
  const contentType = response.headers['content-type'];
  if (truncated || !isJsonType(Array.isArray(contentType) ? contentType[0] : contentType)) return;
  try {
    response.json = JSON.parse(response.body) as unknown;
  } catch (error) {
    response.jsonError = (error as Error).message;
  }
}

/** application/json, or any structured +json type (RFC 6839), parameters ignored. */
export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[^/]+\+json$/.test(type);
}

interface FailureContext {
  timedOut: boolean;
  phase: Phase;
  timeoutMs: number;
  received: number;
  url: string;
}

function describeFailure(error: unknown, ctx: FailureContext): [HttpErrorCode, string] {
  const code = (error as { code?: string } | null)?.code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const target = safeHost(ctx.url);
  if (ctx.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    const where = ctx.phase === 'body'
      ? `reading the response body (${ctx.received} bytes received)`
      : code === 'UND_ERR_CONNECT_TIMEOUT' ? `connecting to ${target}` : `waiting for the response headers from ${target}`;
    return ['TIMEOUT', `timed out after ${ctx.timeoutMs} ms ${where}`];
  }
  if (code === 'ECONNREFUSED') return ['CONNECTION_REFUSED', `connection refused by ${target}`];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['DNS', `host name of ${target} does not resolve (${code})`];
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    const when = ctx.phase === 'body' ? `while reading the response body (${ctx.received} bytes received)` : 'before a complete response head arrived';
    return ['CONNECTION_RESET', `connection closed by ${target} ${when}: ${reason}`];
  }
  if (code.startsWith('HPE_') || (error instanceof Error && error.name === 'HTTPParserError')) {
    return ['NETWORK', `malformed HTTP from ${target}: ${reason}`];
  }
  return ['NETWORK', `${code ? `${code}: ` : ''}${reason}`];
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { createHttpClient } from './http-client.ts';
import { HttpError } from './http-error.ts';
import type { HttpClient } from './types.ts';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes: Record<string, Route> = {
  '/echo': (req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, headers: req.headers, body, url: req.url }));
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: '/echo' });
    res.end();
  },
  '/never': () => { /* holds the connection open without answering */ },
  '/stall-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  },
  '/trickle': (_req, res) => {
    // One byte every 50 ms: never idle long enough for a per-chunk timeout, never finished.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('.'), 50);
    res.on('close', () => clearInterval(timer));
  },
  '/short-token': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"access_token":"abc","token_type":"Bearer"}');
  },
  '/big-chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 20; i++) res.write('x'.repeat(512));
    res.end();
  },
  '/big-declared': (_req, res) => {
    const body = 'y'.repeat(4096);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) });
    res.end(body);
  },
  '/bad-json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"issuer": ');
  },
  '/html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('{"looks":"like json"}');
  },
  '/problem': (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/problem+json', 'www-authenticate': 'Basic realm="x"' });
    res.end('{"error":"invalid_client"}');
  },
  '/token': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'set-cookie': 'sid=abcdef123456; Path=/' });
    res.end(JSON.stringify({
      access_token: 'AT-live-0123456789', token_type: 'Bearer', expires_in: 300,
      refresh_token: 'RT-live-0123456789', id_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
      note: 'echo of s3cr3t-value',
    }));
  },
};

let server: Server;
let base: string;
const seen: Seen[] = [];
let client: HttpClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const route = routes[(req.url ?? '').split('?')[0] ?? ''];
      if (route) route(req, res, body);
      else { res.writeHead(404); res.end(); }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await client?.close();
  seen.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function newClient(overrides: Partial<Parameters<typeof createHttpClient>[0]> = {}): HttpClient {
  client = createHttpClient({ timeoutMs: 2000, maxResponseBytes: 64 * 1024, ...overrides });
  return client;
}

async function expectHttpError(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('createHttpClient: sending', () => {
  it('encodes form bodies as application/x-www-form-urlencoded, repeating array fields', async () => {
    const http = newClient();
    const exchange = await http.send({ method: 'POST', url: `${base}/echo`, form: { grant_type: 'client_credentials', scope: ['a b', 'c&d'] } });
    expect(seen[0]?.body).toBe('grant_type=client_credentials&scope=a+b&scope=c%26d');
    expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(exchange.response?.status).toBe(200);
  });

  it('form-urlencodes client_id and secret before base64 for Basic (RFC 6749 2.3.1)', async () => {
    const http = newClient();
    await http.send({ method: 'POST', url: `${base}/echo`, basicAuth: { username: 'my:client', password: 'p@ss word+%' } });
    const header = String(seen[0]?.headers.authorization);
    expect(header.startsWith('Basic ')).toBe(true);
    expect(Buffer.from(header.slice(6), 'base64').toString('utf8')).toBe('my%3Aclient:p%40ss+word%2B%25');
  });

  it('appends query parameters and sends a raw body unchanged', async () => {
    const http = newClient();
    await http.send({ method: 'post', url: `${base}/echo?x=1`, query: { y: '2 3' }, body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(seen[0]?.url).toBe('/echo?x=1&y=2+3');
    expect(seen[0]?.body).toBe('{"a":1}');
    expect(seen[0]?.method).toBe('POST');
  });

  it('refuses form and body together', async () => {
    const http = newClient();
    await expect(http.send({ method: 'POST', url: `${base}/echo`, form: { a: 'b' }, body: 'x' })).rejects.toThrow(TypeError);
  });

  it('never follows redirects', async () => {
    const http = newClient();
    const exchange = await http.send({ method: 'GET', url: `${base}/redirect` });
    expect(exchange.response?.status).toBe(302);
    expect(exchange.response?.headers.location).toBe('/echo');
    expect(seen).toHaveLength(1);
  });

  it('connects to the connectTo address instead of resolving the host, keeping the URL host in Host', async () => {
    const http = newClient();
    const port = new URL(base).port;
    const exchange = await http.send({ method: 'GET', url: `http://node.oidc-conformance.invalid:${port}/echo`, connectTo: '127.0.0.1' });
    expect(exchange.response?.status).toBe(200);
    expect(seen[0]?.headers.host).toBe(`node.oidc-conformance.invalid:${port}`);
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/echo`, connectTo: 'not-an-address' }));
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('returns 4xx responses (not errors) and parses +json bodies', async () => {
    const http = newClient();
    const exchange = await http.send({ method: 'POST', url: `${base}/problem` });
    expect(exchange.error).toBeUndefined();
    expect(exchange.response?.status).toBe(401);
    expect(exchange.response?.json).toEqual({ error: 'invalid_client' });
    expect(exchange.response?.headers['www-authenticate']).toBe('Basic realm="x"');
  });

  it('reports why a JSON body did not parse, and does not parse non-JSON types', async () => {
    const http = newClient();
    const bad = await http.send({ method: 'GET', url: `${base}/bad-json` });
    expect(bad.response?.json).toBeUndefined();
    expect(bad.response?.jsonError).toMatch(/JSON/);
    expect(bad.response?.body).toBe('{"issuer": ');
    const html = await http.send({ method: 'GET', url: `${base}/html` });
    expect(html.response && 'json' in html.response).toBe(false);
    expect(html.response?.jsonError).toBeUndefined();
  });
});

describe('createHttpClient: failures', () => {
  it('times out waiting for headers, with a precise message, and records the exchange', async () => {
    const http = newClient({ timeoutMs: 300 });
    const started = Date.now();
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/never`, label: 'hang' }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/timed out after 300 ms waiting for the response headers/);
    expect(error.exchange.response).toBeUndefined();
    const [recorded] = http.exchanges();
    expect(recorded?.error?.code).toBe('TIMEOUT');
    expect(recorded?.label).toBe('hang');
    expect(recorded?.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('applies the deadline to the body too, keeping the status and the partial body', async () => {
    const http = newClient({ timeoutMs: 300 });
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/stall-body` }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/reading the response body \(7 bytes received\)/);
    expect(error.exchange.response?.status).toBe(200);
    expect(error.exchange.response?.body).toBe('partial');
    expect(error.exchange.response?.truncated).toBe(true);
  });

  it('enforces the deadline on the whole body, not per chunk', async () => {
    const http = newClient({ timeoutMs: 400 });
    const started = Date.now();
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/trickle` }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/timed out after 400 ms reading the response body \(\d+ bytes received\)/);
  });

  it('lets one request override the client timeout', async () => {
    const http = newClient({ timeoutMs: 10_000 });
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/never`, timeoutMs: 150 }));
    expect(error.message).toMatch(/timed out after 150 ms/);
  });

  it('keeps secrets out of the error message too', async () => {
    const http = newClient({ timeoutMs: 100 });
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/never?client_secret=zzz-query-secret` }));
    expect(error.message).toMatch(/client_secret=\[redacted:[0-9a-f]{8}\]: timed out/);
    expect(JSON.stringify(http.exchanges())).not.toContain('zzz-query-secret');
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = newClient();
    const error = await expectHttpError(http.send({ method: 'GET', url: `http://127.0.0.1:${port}/x` }));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`connection refused by 127.0.0.1:${port}`);
    expect(http.exchanges()[0]?.error?.code).toBe('CONNECTION_REFUSED');
  });

  it('stops reading past maxResponseBytes (chunked), keeping exactly the cap', async () => {
    const http = newClient({ maxResponseBytes: 1024 });
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/big-chunked` }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/exceeds the 1024-byte cap/);
    expect(error.exchange.response?.bytes).toBe(1024);
    expect(error.exchange.response?.truncated).toBe(true);
  });

  it('refuses a declared content-length over the cap without reading it', async () => {
    const http = newClient({ maxResponseBytes: 1000 });
    const error = await expectHttpError(http.send({ method: 'GET', url: `${base}/big-declared` }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/4096 bytes \(content-length\) exceeds the 1000-byte cap/);
  });

  it('names a target that answers garbage instead of HTTP', async () => {
    const sockets = new Set<Socket>();
    const garbage = createTcpServer((socket) => {
      sockets.add(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    try {
      const http = newClient();
      const error = await expectHttpError(http.send({ method: 'GET', url: `http://127.0.0.1:${(garbage.address() as AddressInfo).port}/` }));
      expect(error.code).toBe('NETWORK');
      expect(error.message).toMatch(/malformed HTTP from 127\.0\.0\.1:\d+: Response does not match the HTTP/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => garbage.close(() => resolve()));
    }
  });

  it('rejects an invalid URL as BAD_REQUEST, still recorded', async () => {
    const http = newClient();
    const error = await expectHttpError(http.send({ method: 'GET', url: 'not a url' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(http.exchanges()).toHaveLength(1);
  });
});

describe('createHttpClient: recording and redaction', () => {
  it('numbers exchanges in order, with prefix and label, and an injectable clock', async () => {
    const http = newClient({ idPrefix: 'cc', now: () => new Date('2030-01-01T00:00:00Z') });
    const first = await http.send({ method: 'GET', url: `${base}/echo`, label: 'first' });
    const second = await http.send({ method: 'GET', url: `${base}/echo` });
    expect([first.id, second.id]).toEqual(['cc#1', 'cc#2']);
    expect(http.exchanges().map((e) => e.id)).toEqual(['cc#1', 'cc#2']);
    expect(http.exchange('cc#1')?.label).toBe('first');
    expect(http.exchange('cc#1')?.startedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(http.exchange('cc#9')).toBeUndefined();
  });

  it('masks secrets in the recorded copy only', async () => {
    const http = newClient({ redact: ['s3cr3t-value'] });
    const live = await http.send({
      method: 'POST',
      url: `${base}/token?client_secret=in-the-query-123`,
      basicAuth: { username: 'client-a', password: 's3cr3t-value' },
      form: { grant_type: 'password', username: 'alice', password: 'pw', refresh_token: 'RT-old-0123456789', scope: 'openid' },
    });
    // The provider received the real values, and the live exchange keeps them for the next step.
    expect(seen[0]?.body).toContain('password=pw');
    expect(seen[0]?.url).toContain('client_secret=in-the-query-123');
    expect((live.response?.json as { access_token: string }).access_token).toBe('AT-live-0123456789');
    expect(live.request.body).toContain('refresh_token=RT-old-0123456789');

    const recorded = http.exchange(live.id);
    const text = JSON.stringify(recorded);
    for (const secret of ['s3cr3t-value', 'in-the-query-123', 'RT-old-0123456789', 'AT-live-0123456789', 'RT-live-0123456789', 'eyJhbGciOiJub25lIn0', 'abcdef123456', 'password=pw']) {
      expect(text, secret).not.toContain(secret);
    }
    expect(recorded?.request.headers.authorization).toMatch(/^Basic \[redacted:[0-9a-f]{8}\]$/);
    expect(recorded?.request.basicAuthUsername).toBe('client-a');
    expect(recorded?.request.body).toMatch(/^grant_type=password&username=alice&password=\[redacted:[0-9a-f]{8}\]&refresh_token=\[redacted:[0-9a-f]{8}\]&scope=openid$/);
    expect(recorded?.request.url).toMatch(/\?client_secret=\[redacted:[0-9a-f]{8}\]$/);
    expect(recorded?.response?.json).toMatchObject({ token_type: 'Bearer', expires_in: 300, note: expect.stringMatching(/^echo of \[redacted:/) });
    expect(recorded?.response?.body).toContain('"token_type":"Bearer"');
    expect(recorded?.response?.headers['set-cookie']).toEqual(expect.stringMatching(/^sid=\[redacted:[0-9a-f]{8}\]; Path=\/$/));
  });

  it('masks a token too short to be learned, even if that means re-serialising the body', async () => {
    const http = newClient();
    const exchange = await http.send({ method: 'POST', url: `${base}/short-token` });
    const recorded = http.exchange(exchange.id)?.response;
    expect(recorded?.body).not.toContain('"abc"');
    expect(JSON.parse(recorded?.body ?? '{}')).toEqual({ access_token: expect.stringMatching(/^\[redacted:/), token_type: 'Bearer' });
  });

  it('gives one secret the same fingerprint across exchanges, and masks learned tokens later', async () => {
    const http = newClient();
    const issued = await http.send({ method: 'POST', url: `${base}/token` });
    const token = (issued.response?.json as { refresh_token: string }).refresh_token;
    const replay = await http.send({ method: 'POST', url: `${base}/echo`, form: { grant_type: 'refresh_token', refresh_token: token } });
    const issuedMask = (http.exchange(issued.id)?.response?.json as { refresh_token: string }).refresh_token;
    expect(http.exchange(replay.id)?.request.body).toContain(`refresh_token=${issuedMask}`);
    // The echo endpoint reflects the token inside a JSON string: masked there too.
    expect(http.exchange(replay.id)?.response?.body).not.toContain(token);
  });

  it('masks bearer tokens and values registered at run time, and redacts arbitrary values', async () => {
    const http = newClient();
    http.addSecret('browser-captured-code');
    const exchange = await http.send({ method: 'GET', url: `${base}/echo?note=browser-captured-code`, headers: { Authorization: 'Bearer AT-bearer-0123456789' } });
    const recorded = JSON.stringify(http.exchange(exchange.id));
    expect(recorded).not.toContain('AT-bearer-0123456789');
    expect(recorded).not.toContain('browser-captured-code');
    expect(http.exchange(exchange.id)?.request.headers.Authorization).toMatch(/^Bearer \[redacted:/);
    // A token too short to be learned as a literal is still masked: the header is always masked.
    const short = await http.send({ method: 'GET', url: `${base}/echo`, headers: { authorization: 'Bearer abc' } });
    expect(http.exchange(short.id)?.request.headers.authorization).toMatch(/^Bearer \[redacted:[0-9a-f]{8}\]$/);
    expect(http.redact({ actual: 'got browser-captured-code', access_token: 'x' })).toEqual({
      actual: expect.stringMatching(/^got \[redacted:[0-9a-f]{8}\]$/),
      access_token: expect.stringMatching(/^\[redacted:/),
    });
  });
});

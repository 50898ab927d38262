// Token-endpoint throughput of the reference provider for client_credentials (every response
// signs a fresh RS256 JWT access token): the provider runs in this process on loopback, autocannon
// keeps N connections busy for a while, and the figures are printed. A benchmark, never a test:
// nothing here asserts a speed; it fails only when the responses are not successful tokens.
//
//   node bin/run-ts.js bench/provider-token-throughput.ts [--duration 10] [--connections 10]
//     [--warmup 1] [--pipelining 1] [--workers 0] [--config FILE] [--json]
//   npm run bench:provider -- --duration 30
import { cpus, arch, platform } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { startProvider } from '../reference-provider/index.ts';
import { ConfigError, loadProviderConfigFile } from '../reference-provider/config/load-config.ts';

const USAGE = `usage: node bin/run-ts.js bench/provider-token-throughput.ts [options]
  --duration N      seconds of measured load (default 10)
  --connections N   concurrent connections (default 10)
  --warmup N        seconds of unmeasured load first (default 1; 0 = none)
  --pipelining N    requests in flight per connection (default 1)
  --workers N       run the load generator in N worker threads (default 0 = this thread;
                    with workers the response bodies are not inspected, only the status codes)
  --config FILE     provider configuration (default fixtures/reference-provider/config.json)
  --json            also print the figures as one JSON line`;

/** The fixture's machine client (client_secret_post) asking for a scope it holds. */
const TOKEN_REQUEST = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: 'machine',
  client_secret: 'machine-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  scope: 'reports:read',
}).toString();

const REQUEST_HEADERS = {
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json',
};

interface BenchOptions {
  duration: number;
  connections: number;
  warmup: number;
  pipelining: number;
  workers: number;
  config: string;
  json: boolean;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      pipelining: { type: 'string', default: '1' },
      workers: { type: 'string', default: '0' },
      config: { type: 'string', default: 'fixtures/reference-provider/config.json' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const readCount = (name: keyof typeof values, min: number): number => {
    const text = String(values[name]);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got "${text}"`);
    return n;
  };
  return {
    duration: readCount('duration', 1),
    connections: readCount('connections', 1),
    warmup: readCount('warmup', 0),
    pipelining: readCount('pipelining', 1),
    workers: readCount('workers', 0),
    config: values.config,
    json: values.json,
  };
}

class UsageError extends Error {}

/** The provider did not answer a token request with a token: no figure would mean anything. */
class NotATokenResponse extends Error {}

/**
 * One request before the load: a wrong URL, a wrong secret or a provider that answers with
 * something other than a signed JWT should stop the bench with the reason, not produce a
 * figure for 401s.
 */
async function verifyOneTokenResponse(tokenEndpoint: string): Promise<string> {
  const response = await fetch(tokenEndpoint, { method: 'POST', headers: REQUEST_HEADERS, body: TOKEN_REQUEST });
  const text = await response.text();
  if (response.status !== 200) {
    throw new NotATokenResponse(`POST ${tokenEndpoint} answered ${response.status}, expected 200: ${text.slice(0, 500)}`);
  }
  let body: { access_token?: unknown; token_type?: unknown; refresh_token?: unknown; id_token?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new NotATokenResponse(`POST ${tokenEndpoint} answered 200 without JSON: ${text.slice(0, 500)}`);
  }
  if (typeof body.access_token !== 'string' || body.access_token.split('.').length !== 3) {
    throw new NotATokenResponse(`the token response has no JWT access_token: ${text.slice(0, 500)}`);
  }
  const header = JSON.parse(Buffer.from(body.access_token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
    alg?: string;
    kid?: string;
  };
  return `200, token_type ${String(body.token_type)}, access token a ${header.alg ?? '?'} JWT (kid ${header.kid ?? 'none'})`;
}

function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  return `node ${process.version}, ${cores.length} cores (${model}), ${platform()} ${arch()}`;
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadProviderConfigFile(options.config);
  const provider = await startProvider(config, { port: 0 });
  const inspectBodies = options.workers === 0;
  let result: Result;
  try {
    const tokenEndpoint = `${provider.issuer}/token`;
    console.log('reference provider token endpoint: client_credentials, RS256 JWT access tokens');
    console.log(`  target       POST ${tokenEndpoint}`);
    console.log(`  sanity       ${await verifyOneTokenResponse(tokenEndpoint)}`);
    console.log(
      `  load         ${options.connections} connections, pipelining ${options.pipelining}, ` +
        `${options.duration} s measured after ${options.warmup} s warm-up, ` +
        (options.workers > 0 ? `load generator in ${options.workers} worker thread(s)` : 'load generator in the same thread'),
    );
    console.log(`  machine      ${describeMachine()}`);

    const instance = autocannon({
      url: tokenEndpoint,
      method: 'POST',
      headers: REQUEST_HEADERS,
      body: TOKEN_REQUEST,
      connections: options.connections,
      pipelining: options.pipelining,
      duration: options.duration,
      ...(options.warmup > 0 ? { warmup: { connections: options.connections, duration: options.warmup } } : {}),
      ...(options.workers > 0 ? { workers: options.workers } : {}),
      // A 200 without a token would be a broken provider, not throughput.
      ...(inspectBodies ? { verifyBody: (body: string) => body.includes('"access_token"') } : {}),
      renderProgressBar: false,
      renderResultsTable: false,
      renderLatencyTable: false,
    });
    // Ctrl-C ends the run early with the figures so far; the provider is still closed below.
    const stopEarly = () => instance.stop();
    process.once('SIGINT', stopEarly);
    try {
      result = await instance;
    } finally {
      process.removeListener('SIGINT', stopEarly);
    }
  } finally {
    await provider.close();
  }

  const completed = result.requests.total;
  const figures = {
    requestsPerSecond: round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyAverageMs: round(result.latency.average, 2),
    requests: completed,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // verifyBody sees every response, so a non-2xx one counts here too.
    responsesWithoutToken: inspectBodies ? result.mismatches : null,
    durationSeconds: result.duration,
    connections: options.connections,
    pipelining: options.pipelining,
    node: process.version,
    cores: cpus().length,
  };
  const statusCounts = Object.entries(result.statusCodeStats)
    .map(([status, { count }]) => `${status}: ${count}`)
    .join(', ');

  console.log(`  requests/s   ${figures.requestsPerSecond} (average over ${result.duration} s)`);
  console.log(`  latency      p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms (average ${figures.latencyAverageMs} ms)`);
  console.log(
    `  requests     ${completed} completed, ${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.timeouts} timeouts` +
      (figures.responsesWithoutToken === null ? '' : `, ${figures.responsesWithoutToken} without access_token`),
  );
  if (statusCounts) console.log(`  status codes ${statusCounts}`);
  if (options.json) console.log(JSON.stringify(figures));

  const problems: string[] = [];
  if (completed === 0) problems.push('no request completed');
  if (figures.non2xx > 0) problems.push(`${figures.non2xx} responses were not 2xx`);
  if (figures.errors > 0) problems.push(`${figures.errors} connection errors`);
  if (figures.timeouts > 0) problems.push(`${figures.timeouts} timeouts`);
  if (figures.responsesWithoutToken) problems.push(`${figures.responsesWithoutToken} responses carried no access_token`);
  if (problems.length > 0) {
    console.error(`bench: the figures above are not valid: ${problems.join('; ')}`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof NotATokenResponse) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error('bench: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  }
}

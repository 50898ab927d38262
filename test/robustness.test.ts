// Acceptance 3: a target that is down, answers garbage, or accepts connections and never answers
// must not hang the run or be blamed with FAILs. Each run ends well within 60 s with ERROR
// outcomes, exit code 1 and a complete, valid report.json (and the Allure report). A bad profile
// or bad usage is exit code 2 with a message that names the problem.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import { main } from '../harness/cli.ts';
import reportSchema from '../harness/report/report.schema.json' with { type: 'json' };
import { validateReport } from '../harness/report/validate-report.ts';
import { ROOT, readReport, runCli, tempReportDir } from './support.ts';

const LIMIT_MS = 60_000;
const catalogueIds = (await loadCatalogue(ROOT)).map((c) => c.id).sort();
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateAgainstSchema = ajv.compile(reportSchema);

let garbage: Server;
let silent: TcpServer;
const silentSockets = new Set<Socket>();
let closedPort = 0;
const profileDir = mkdtempSync(join(tmpdir(), 'oc-profiles-'));

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** The reference provider's profile (every client role, so nothing SKIPs for want of a client) aimed elsewhere. */
function writeProfile(name: string, changes: Record<string, unknown>, drop: string[] = ['$schema']): string {
  const profile = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'profiles', 'reference-provider.json'), 'utf8')) as Record<string, unknown>;
  for (const member of drop) delete profile[member];
  const path = join(profileDir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...profile, ...changes }, null, 2));
  return path;
}

beforeAll(async () => {
  garbage = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body><h1>It works!</h1>\u0000\u00ff not json {{{</body></html>');
  });
  silent = createTcpServer((socket) => {
    silentSockets.add(socket); // accepted, read, never answered
    socket.on('error', () => {});
    socket.on('close', () => silentSockets.delete(socket));
  });
  const [, , spare] = await Promise.all([listen(garbage), listen(silent), (async () => {
    const probe = createTcpServer();
    const port = await listen(probe);
    await new Promise((done) => probe.close(done));
    return port;
  })()]);
  closedPort = spare;
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([new Promise((done) => garbage.close(done)), new Promise((done) => silent.close(done))]);
});

interface Scenario {
  name: string;
  issuer: () => string;
  /** Timeouts for the profile; undefined keeps the defaults (10 s per request, 30 s per check). */
  timeouts?: { request_ms: number; check_ms: number };
  reason: RegExp;
  /** Also render the Allure HTML report (one scenario does, to show it survives a dead target; the rest save the CPU). */
  allure?: boolean;
}

const scenarios: Scenario[] = [
  { name: 'a closed port', issuer: () => `http://127.0.0.1:${closedPort}/oidc`, timeouts: { request_ms: 2000, check_ms: 5000 }, reason: /connection refused/ },
  {
    name: 'a server answering 200 text/html junk to everything',
    issuer: () => `http://127.0.0.1:${(garbage.address() as { port: number }).port}/oidc`,
    timeouts: { request_ms: 2000, check_ms: 5000 },
    reason: /did not answer a JSON object \(content-type text\/html\)/,
  },
  {
    name: 'a server that accepts connections and never answers (default timeouts)',
    issuer: () => `http://127.0.0.1:${(silent.address() as { port: number }).port}/oidc`,
    reason: /timed out after 10000 ms waiting for the response headers/,
    allure: true,
  },
];

describe.concurrent('run --profile against a broken target', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: ERROR outcomes, exit 1, a complete valid report, within 60 s`, { timeout: 120_000 }, async () => {
      const profile = writeProfile(scenario.name.split(' ').slice(0, 3).join('-'), {
        issuer: scenario.issuer(),
        ...(scenario.timeouts ? { timeouts: scenario.timeouts } : {}),
      });
      const dir = tempReportDir();
      const args = ['run', '--quiet', '--profile', profile, '--report-dir', dir, ...(scenario.allure ? [] : ['--no-allure'])];
      const result = await runCli(args, { timeoutMs: 90_000 });
      const output = result.stdout + result.stderr;
      console.log(`${scenario.name}: exit ${result.code} in ${result.durationMs} ms`);
      expect(result.durationMs, output).toBeLessThan(LIMIT_MS);
      expect(result.code, output).toBe(1);

      const report = readReport(dir);
      expect(validateAgainstSchema(report), JSON.stringify(validateAgainstSchema.errors)).toBe(true);
      expect(validateReport(report).errors).toEqual([]);
      expect(report.checks.map((c) => c.id).sort(), 'every check of the catalogue is in the report').toEqual(catalogueIds);
      expect(report.target.profile).toBe(profile);

      const outcomes = report.checks.map((c) => c.outcome);
      expect(report.summary.fail + report.summary.pass + report.summary.warn, 'nothing judged a target that cannot be reached').toBe(0);
      expect(report.summary.error).toBeGreaterThan(report.summary.total / 2);
      expect(new Set(outcomes)).toEqual(new Set(report.summary.skip ? ['ERROR', 'SKIP'] : ['ERROR']));
      // Every ERROR carries the one reason the preflight found: no check went on to wait for a
      // timeout of its own (a check bypassing the preflight would say "target unreachable").
      const preflight = /^target unavailable: (step "[^"]+": )?discovery at http:\/\/127\.0\.0\.1:\d+\/oidc\/\.well-known\/openid-configuration[: ]/;
      for (const check of report.checks.filter((c) => c.outcome === 'ERROR')) {
        expect(check.message, check.id).toMatch(preflight);
        expect(check.message, check.id).toMatch(scenario.reason);
      }
      expect(result.stdout).toMatch(/checks: \d+ {2}pass 0 {2}fail 0 {2}warn 0 {2}skip \d+ {2}error [1-9]\d*/);
      expect(existsSync(join(dir, 'junit.xml'))).toBe(true);
      expect(existsSync(join(dir, 'allure-report', 'index.html'))).toBe(scenario.allure ?? false);
    });
  }

  // Alongside the runs above: two more processes cost little while (c) waits for its timeout.
  it('the installed command exits 2 too (a bad profile and an unknown option, as separate processes)', { timeout: 60_000 }, async () => {
    const [bogus, badProfile] = await Promise.all([
      runCli(['run', '--bogus']),
      runCli(['run', '--profile', writeProfile('no-issuer-cli', {}, ['$schema', 'issuer'])]),
    ]);
    expect(bogus.code, bogus.stderr).toBe(2);
    expect(bogus.stderr).toContain("Unknown option '--bogus'");
    expect(badProfile.code, badProfile.stderr).toBe(2);
    expect(badProfile.stderr).toMatch(/must have required property 'issuer'/);
  });
});

describe('bad profiles and bad usage exit 2 with a message naming the problem', () => {
  const cases: Array<{ name: string; args: () => string[]; message: RegExp }> = [
    {
      name: 'an unknown member',
      args: () => ['--profile', writeProfile('unknown-member', { clients: { basic: { client_id: 'a', auth_method: 'client_secret_basic', client_secret: 's', secret: 'x' } } })],
      message: /clients\.basic: unknown member "secret"/,
    },
    {
      name: 'an unknown top-level member',
      args: () => ['--profile', writeProfile('unknown-top', { timeout: { request_ms: 5 } })],
      message: /\(top level\): unknown member "timeout"/,
    },
    {
      name: 'a missing issuer',
      args: () => ['--profile', writeProfile('no-issuer', {}, ['$schema', 'issuer'])],
      message: /\(top level\): must have required property 'issuer'/,
    },
    {
      name: 'a wrongly typed member',
      args: () => ['--profile', writeProfile('bad-timeout', { timeouts: { request_ms: 'soon' } })],
      message: /timeouts\.request_ms: must be integer/,
    },
    {
      name: 'a file that is not JSON',
      args: () => {
        const path = join(profileDir, 'broken.json');
        writeFileSync(path, '{ "name": "x", "issuer": ');
        return ['--profile', path];
      },
      message: /invalid target profile \(.*broken\.json\):\n {2}- not valid JSON: /,
    },
    { name: 'a profile that does not exist', args: () => ['--profile', join(profileDir, 'nope.json')], message: /cannot read the file/ },
    { name: 'an unknown option', args: () => ['--bogus'], message: /Unknown option '--bogus'/ },
    { name: 'a malformed --shard', args: () => ['--shard', 'half'], message: /--shard takes i\/n/ },
  ];
  // In-process through the CLI's main(): what bin/oidc-conformance.js sets as the exit code.
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempReportDir();
      const errors: string[] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
      try {
        expect(await main(['run', ...c.args(), '--report-dir', dir])).toBe(2);
      } finally {
        spy.mockRestore();
      }
      expect(errors.join('\n')).toMatch(c.message);
      expect(existsSync(join(dir, 'report.json')), 'nothing ran').toBe(false);
    });
  }

});

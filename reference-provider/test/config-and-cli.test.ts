// The configuration file is validated at start with precise messages, and the `serve` command
// prints its issuer once it accepts requests and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, FAULTS, loadProviderConfigFile, validateProviderConfig } from '../index.ts';
import { FIXTURE_PATH, fixtureConfig } from './support/provider.ts';
import { getJson } from './support/oauth.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function problemsOf(value: unknown): string[] {
  try {
    validateProviderConfig(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration validation', () => {
  it('accepts the fixture', () => {
    expect(loadProviderConfigFile(FIXTURE_PATH).clients.length).toBeGreaterThan(5);
  });

  it('names the field and the reason for schema errors', () => {
    const config = fixtureConfig() as unknown as Record<string, unknown>;
    expect(problemsOf({ ...config, lifetimes: { authorizationCode: 'soon' } })).toEqual(['lifetimes.authorizationCode: must be integer']);
    expect(problemsOf({ ...config, colour: 'blue' })).toEqual(['(top level): unknown option "colour"']);
    expect(problemsOf({ ...config, policies: { refreshToken: { rotation: 'sometimes' } } })[0]).toMatch(/^policies\.refreshToken\.rotation: must be equal to one of the allowed values \("always", "never"\)/);
    expect(problemsOf({ users: [] })).toEqual(["(top level): must have required property 'clients'"]);
  });

  it('checks the rules a schema cannot express', () => {
    const config = fixtureConfig();
    const first = config.clients[0]!;
    const problems = problemsOf({
      ...config,
      clients: [
        first,
        { ...first },
        { client_id: 'p', token_endpoint_auth_method: 'none', client_secret: 'x', redirect_uris: ['https://a/cb'] },
        { client_id: 'q', client_secret: 'x', grant_types: ['authorization_code'] },
      ],
      faults: ['no-such-fault'],
    });
    expect(problems).toEqual([
      'clients.1.client_id: duplicate client_id "web-basic"',
      'clients.2.client_secret: a public client (token_endpoint_auth_method "none") has no secret',
      'clients.3.redirect_uris: a client using authorization_code or implicit needs at least one redirect URI',
      'faults.0: unknown fault "no-such-fault" (see `oidc-conformance serve --list-faults`)',
    ]);
  });

  it('reports unreadable files and bad JSON with the path', () => {
    expect(() => loadProviderConfigFile('/nonexistent/config.json')).toThrow(/\/nonexistent\/config\.json[\s\S]*cannot read the file/);
    const dir = mkdtempSync(join(tmpdir(), 'oc-'));
    writeFileSync(join(dir, 'bad.json'), '{ "clients": [');
    expect(() => loadProviderConfigFile(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
  });

  it('has unique fault names, each with a clause and a description', () => {
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
    // Each clause names a section of a spec the reports link to (harness/spec-links.ts knows these prefixes).
    for (const fault of FAULTS) expect(fault.clause, fault.name).toMatch(/^(OIDCC|OIDCD|OIDCRIL|RFC\d+|OAuth2-RT|OAuth2-FP)-(\d+|[A-Z])(\.\d+)*$/);
  });
});

function runCli(args: string[]) {
  return spawn(process.execPath, ['bin/oidc-conformance.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(child: ReturnType<typeof runCli>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('oidc-conformance serve', () => {
  it('prints "issuer <url>" once it answers, lists clients and users, and stops on SIGTERM', async () => {
    const child = runCli(['serve', '--port', '0']);
    const result = collect(child);
    const issuer = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (d) => {
        seen += d;
        const match = /^issuer (\S+)$/m.exec(seen);
        if (match) resolve(match[1]!);
      });
      child.on('close', () => reject(new Error(`exited early: ${seen}`)));
    });
    const discovery = await getJson(`${issuer}/.well-known/openid-configuration`);
    expect(discovery.body.issuer).toBe(issuer);
    child.kill('SIGTERM');
    const { code, stdout } = await result;
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`issuer ${issuer}`);
    expect(stdout).toContain('web-basic');
    expect(stdout).toContain('alice');
    expect(stdout).toContain('stopped');
  });

  it('exits 2 with the field and reason for a bad config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ clients: [{ client_id: 'a', token_endpoint_auth_method: 'magic' }], users: [] }));
    const { code, stderr } = await collect(runCli(['serve', '--config', join(dir, 'c.json')]));
    expect(code).toBe(2);
    expect(stderr).toContain('clients.0.token_endpoint_auth_method: must be equal to one of the allowed values');
  });

  it('exits 2 on a bad port or an unknown option', async () => {
    expect((await collect(runCli(['serve', '--port', 'abc']))).code).toBe(2);
    expect((await collect(runCli(['serve', '--colour']))).code).toBe(2);
    expect((await collect(runCli(['bogus']))).code).toBe(2);
  });

  it('lists the faults', async () => {
    const { code, stdout } = await collect(runCli(['serve', '--list-faults']));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(FAULTS.length);
    expect(stdout).toContain('pkce-ignored');
  });
});

describe('redirect URI registration', () => {
  it('refuses http redirect URIs other than loopback (RFC 9700 2.6)', () => {
    const config = fixtureConfig();
    const problems = problemsOf({ ...config, clients: [{ client_id: 'h', client_secret: 's', redirect_uris: ['http://rp.example.com/cb', 'http://127.0.0.1/cb', 'http://localhost:8080/cb'] }] });
    expect(problems).toEqual(['clients.0.redirect_uris.0: http is allowed only for loopback redirect URIs (RFC 9700 2.6)']);
  });
});

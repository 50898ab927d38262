// A vendor mutant's start command: waited for until discovery answers, stopped with its whole
// process group, refused when another server already answers at the issuer (the checks would
// judge that one), and reported with its output when it ends early or never answers.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetProfile } from '../../profile/types.ts';
import { startCommand } from './start-command.ts';

let server: Server;
let busyPort = 0;

function profileAt(port: number): TargetProfile {
  return { name: 't', issuer: `http://127.0.0.1:${port}/oidc`, clients: {}, users: [], timeouts: { request_ms: 2000 } } as unknown as TargetProfile;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"issuer":"x"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  busyPort = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const options = (port: number, timeoutMs = 10_000) => ({ cwd: process.cwd(), profile: profileAt(port), profilePath: 'p.json', timeoutMs });

describe('startCommand', () => {
  it('refuses to start when something already answers at the issuer', async () => {
    await expect(startCommand('true', options(busyPort))).rejects.toThrow(/something already answers at http:\/\/127\.0\.0\.1:\d+\/oidc\/\.well-known\/openid-configuration/);
  });

  it('reports a command that ends before discovery answers, with its output', async () => {
    await expect(startCommand('echo cannot bind; exit 3', options(await freePort()))).rejects.toThrow(/ended \(exit code 3\) before .* answered; its last output:\ncannot bind/);
  });

  it('gives up after its timeout and stops the command', async () => {
    await expect(startCommand('sleep 30', options(await freePort(), 600))).rejects.toThrow(/did not answer within 1 s/);
  });

  it('waits until discovery answers, then stops the whole process group', async () => {
    const port = await freePort();
    const script = `require('node:http').createServer((q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{}')).listen(${port}, '127.0.0.1')`;
    // The shell starts node as a child: stopping must reach it too, not only the shell.
    const started = await startCommand(`sleep 0.3; node -e "${script}"; true`, options(port));
    const answer = await fetch(`http://127.0.0.1:${port}/oidc/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    await started.stop();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

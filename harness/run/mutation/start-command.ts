// A vendor mutant's start command: run it, wait until the profile's discovery answers, and stop
// its whole process group afterwards. Refuses to start when something already answers at the
// issuer, since the checks would then judge that other provider instead of the mutant.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TargetProfile } from '../../profile/types.ts';
import { describeTarget } from '../preflight.ts';

export interface StartedCommand {
  pid: number;
  stop(): Promise<void>;
}

const TAIL_BYTES = 2000;

export async function startCommand(
  command: string,
  options: { cwd: string; profile: TargetProfile; profilePath: string; timeoutMs: number },
): Promise<StartedCommand> {
  const url = `${options.profile.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  if (await accepts(new URL(url))) {
    throw new Error(`something already answers at ${url} before "${command}" ran: stop it, or give this mutant a profile on another port`);
  }
  // Its own process group, so that stopping it stops whatever the command started.
  const child = spawn(command, { shell: true, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  const spawnError = new Promise<Error>((done) => child.once('error', done));
  const pid = child.pid;

  // Stopped means the whole group has ended, or at least nothing listens at the issuer any more
  // (the shell may be gone while the provider it started still closes its port; the next mutant
  // needs that port). SIGKILL after 5 s.
  const released = async () => !groupAlive(pid!) || !(await accepts(new URL(url)));
  const stop = async () => {
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    if (await waitUntil(released, 5000)) return;
    signalGroup(pid, 'SIGKILL');
    await waitUntil(released, 2000);
  };
  const output = () => (tail.trim() ? `; its last output:\n${tail.trim()}` : '');

  if (pid === undefined) throw new Error(`"${command}" could not be started: ${(await spawnError).message}`);
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    if (exited !== undefined) throw new Error(`"${command}" ended (${exited}) before ${url} answered${output()}`);
    const description = await describeTarget(options.profile, options.profilePath);
    if (!description.preflightError) return { pid, stop };
    lastError = description.preflightError;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${url} did not answer within ${Math.round(options.timeoutMs / 1000)} s of "${command}" (${lastError})${output()}`);
    }
    await sleep(200);
  }
}

/** Whether anything accepts TCP connections at the URL's host and port. */
function accepts(url: URL): Promise<boolean> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: 2000 });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (_gone) {
    return false;
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (_gone) {}
}

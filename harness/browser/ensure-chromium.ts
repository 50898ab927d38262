// The browser suites drive Debian's Chromium (/usr/bin/chromium) through Playwright; a browser
// download cannot work on an offline machine. When it is missing, the main job installs it when
// it runs as root, and otherwise says exactly what to run: it never fails obscurely.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

export type EnsureResult = { ok: true; path: string; installed: boolean } | { ok: false; message: string };

export interface EnsureOptions {
  path?: string;
  isRoot?: boolean;
  exists?: (path: string) => boolean;
  /** Runs a command; returns its exit status and combined output. */
  run?: (command: string, args: string[]) => { status: number | null; output: string };
  log?: (line: string) => void;
  /** How often to retry apt while its lock is held, and how long to wait between tries. */
  lockRetries?: number;
  sleep?: (ms: number) => void;
}

const LOCKED = /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock/;

function runCommand(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureChromium(options: EnsureOptions = {}): EnsureResult {
  const path = options.path ?? CHROMIUM_PATH;
  const exists = options.exists ?? existsSync;
  if (exists(path)) return { ok: true, path, installed: false };
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) {
    return { ok: false, message: `Chromium is missing (${path}). The browser suites use Debian's package; install it with:\n  sudo ${INSTALL_COMMAND.replace('&& apt-get', '&& sudo apt-get')}` };
  }
  const run = options.run ?? runCommand;
  const log = options.log ?? ((line: string) => console.log(line));
  const sleep = options.sleep ?? sleepSync;
  const apt = (args: string[]) => {
    for (let attempt = 1; ; attempt++) {
      const result = run('apt-get', args);
      if (result.status === 0) return { ok: true as const };
      if (!LOCKED.test(result.output) || attempt > (options.lockRetries ?? 20)) return { ok: false as const, output: result.output };
      log(`apt is locked by another process; retrying (${attempt})`);
      sleep(15_000);
    }
  };
  log(`Chromium is missing (${path}); installing Debian's chromium package (${INSTALL_COMMAND})`);
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const result = apt(args);
    if (!result.ok) {
      return { ok: false, message: `apt-get ${args.join(' ')} failed; install Chromium with: ${INSTALL_COMMAND}\n${result.output.trim().split('\n').slice(-10).join('\n')}` };
    }
  }
  if (!exists(path)) return { ok: false, message: `apt installed chromium but ${path} is still missing` };
  return { ok: true, path, installed: true };
}

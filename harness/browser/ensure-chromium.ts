// The browser suites drive Debian's Chromium through Playwright; a browser download cannot work on
// an offline machine. Two Debian packages serve: chromium-headless-shell (Chromium's "old"
// headless browser, the one Playwright itself runs for headless tests) when it is installed, else
// chromium (/usr/bin/chromium, the full browser in its new headless mode). The shell does the same
// work with a third less CPU: a whole run took 55.4 and 44.4 s (88 and 68 busy CPU-seconds) with
// the shell against 75.1 and 58.5 s (131 and 99) with the full browser, alternated, same outcomes.
// When neither is there, the main job installs both when it runs as root, and otherwise says
// exactly what to run: it never fails obscurely.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium chromium-headless-shell';
/** Said when the full browser runs: the shell would do the same work with a third less CPU. */
export const HEADLESS_SHELL_HINT = 'apt-get install -y chromium-headless-shell makes the browser suites about a quarter faster';
/** Names the browser to launch instead of the Debian packages. */
export const CHROMIUM_ENV = 'OIDC_CONFORMANCE_CHROMIUM';

/** The browser the suites launch: $OIDC_CONFORMANCE_CHROMIUM, else the headless shell when installed, else Chromium. */
export function chromiumExecutable(exists: (path: string) => boolean = existsSync, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env[CHROMIUM_ENV];
  if (chosen) return chosen;
  return exists(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : CHROMIUM_PATH;
}

export type EnsureResult = { ok: true; path: string; installed: boolean } | { ok: false; message: string };

export interface EnsureOptions {
  exists?: (path: string) => boolean;
  env?: NodeJS.ProcessEnv;
  isRoot?: boolean;
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

/** Makes sure a browser is there to launch (chromiumExecutable() names it), installing Debian's packages as root. */
export function ensureChromium(options: EnsureOptions = {}): EnsureResult {
  const exists = options.exists ?? existsSync;
  const env = options.env ?? process.env;
  const chosen = chromiumExecutable(exists, env);
  if (exists(chosen)) return { ok: true, path: chosen, installed: false };
  if (env[CHROMIUM_ENV]) return { ok: false, message: `${CHROMIUM_ENV} names ${chosen}, which does not exist` };
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) {
    return { ok: false, message: `Chromium is missing (${HEADLESS_SHELL_PATH} or ${CHROMIUM_PATH}). The browser suites use Debian's packages; install them with:\n  sudo ${INSTALL_COMMAND.replace('&& apt-get', '&& sudo apt-get')}` };
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
  const failed = (args: string[], output: string): EnsureResult => ({
    ok: false,
    message: `apt-get ${args.join(' ')} failed; install Chromium with: ${INSTALL_COMMAND}\n${output.trim().split('\n').slice(-10).join('\n')}`,
  });
  log(`Chromium is missing; installing Debian's chromium packages (${INSTALL_COMMAND})`);
  const update = apt(['update']);
  if (!update.ok) return failed(['update'], update.output);
  const both = ['install', '-y', 'chromium', 'chromium-headless-shell'];
  if (!apt(both).ok) {
    // The shell only makes the run faster: a repository without it still serves.
    log('chromium-headless-shell could not be installed; installing chromium alone');
    const alone = ['install', '-y', 'chromium'];
    const result = apt(alone);
    if (!result.ok) return failed(alone, result.output);
  }
  const path = chromiumExecutable(exists, env);
  if (!exists(path)) return { ok: false, message: `apt installed chromium but ${path} is still missing` };
  return { ok: true, path, installed: true };
}

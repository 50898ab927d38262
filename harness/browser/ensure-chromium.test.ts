import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, HEADLESS_SHELL_PATH, chromiumExecutable, ensureChromium } from './ensure-chromium.ts';

const only = (...paths: string[]) => (path: string) => paths.includes(path);
const noInstall = () => {
  throw new Error('no install expected');
};

describe('chromiumExecutable', () => {
  it('prefers the headless shell, then the full browser, and always the one the environment names', () => {
    expect(chromiumExecutable(only(HEADLESS_SHELL_PATH, CHROMIUM_PATH), {})).toBe(HEADLESS_SHELL_PATH);
    expect(chromiumExecutable(only(CHROMIUM_PATH), {})).toBe(CHROMIUM_PATH);
    expect(chromiumExecutable(only(), {})).toBe(CHROMIUM_PATH);
    expect(chromiumExecutable(only(HEADLESS_SHELL_PATH), { OIDC_CONFORMANCE_CHROMIUM: '/opt/chrome' })).toBe('/opt/chrome');
  });
});

describe('ensureChromium', () => {
  it('does nothing when either browser is there, and names the one to launch', () => {
    expect(ensureChromium({ env: {}, exists: only(CHROMIUM_PATH), run: noInstall })).toEqual({ ok: true, path: CHROMIUM_PATH, installed: false });
    expect(ensureChromium({ env: {}, exists: only(HEADLESS_SHELL_PATH, CHROMIUM_PATH), run: noInstall })).toEqual({ ok: true, path: HEADLESS_SHELL_PATH, installed: false });
  });

  it('checks the browser the environment names, and never installs one in its place', () => {
    const env = { OIDC_CONFORMANCE_CHROMIUM: '/opt/chrome' };
    expect(ensureChromium({ env, exists: only('/opt/chrome'), run: noInstall })).toEqual({ ok: true, path: '/opt/chrome', installed: false });
    const missing = ensureChromium({ env, exists: only(CHROMIUM_PATH), isRoot: true, run: noInstall });
    expect(missing).toEqual({ ok: false, message: 'OIDC_CONFORMANCE_CHROMIUM names /opt/chrome, which does not exist' });
  });

  it('says exactly what to run when it is missing and we are not root', () => {
    const result = ensureChromium({ env: {}, exists: only(), isRoot: false });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('sudo apt-get update && sudo apt-get install -y chromium chromium-headless-shell');
  });

  it('installs both packages with apt as root, retrying while the apt lock is held', () => {
    const calls: string[] = [];
    const installed: string[] = [];
    let locked = 2;
    const result = ensureChromium({
      env: {},
      exists: (path) => installed.includes(path),
      isRoot: true,
      log: () => {},
      sleep: () => {},
      run: (_cmd, args) => {
        calls.push(args.join(' '));
        if (args[0] === 'update' && locked-- > 0) return { status: 100, output: 'E: Could not get lock /var/lib/apt/lists/lock' };
        if (args[0] === 'install') installed.push(CHROMIUM_PATH, HEADLESS_SHELL_PATH);
        return { status: 0, output: '' };
      },
    });
    expect(result).toEqual({ ok: true, path: HEADLESS_SHELL_PATH, installed: true });
    expect(calls).toEqual(['update', 'update', 'update', 'install -y chromium chromium-headless-shell']);
  });

  it('installs chromium alone when the repository has no headless shell', () => {
    const calls: string[] = [];
    let installed = false;
    const result = ensureChromium({
      env: {},
      exists: (path) => installed && path === CHROMIUM_PATH,
      isRoot: true,
      log: () => {},
      sleep: () => {},
      run: (_cmd, args) => {
        calls.push(args.join(' '));
        if (args.includes('chromium-headless-shell')) return { status: 100, output: 'E: Unable to locate package chromium-headless-shell' };
        if (args[0] === 'install') installed = true;
        return { status: 0, output: '' };
      },
    });
    expect(result).toEqual({ ok: true, path: CHROMIUM_PATH, installed: true });
    expect(calls).toEqual(['update', 'install -y chromium chromium-headless-shell', 'install -y chromium']);
  });

  it('fails with the command and apt output when apt fails for another reason', () => {
    const result = ensureChromium({ env: {}, exists: only(), isRoot: true, log: () => {}, sleep: () => {}, run: () => ({ status: 100, output: 'E: Unable to locate package chromium' }) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/apt-get update failed[\s\S]*Unable to locate package chromium/);
  });
});

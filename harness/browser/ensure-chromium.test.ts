import { describe, expect, it } from 'vitest';
import { ensureChromium } from './ensure-chromium.ts';

describe('ensureChromium', () => {
  it('does nothing when Chromium is there', () => {
    expect(ensureChromium({ exists: () => true, run: () => { throw new Error('no install expected'); } })).toEqual({ ok: true, path: '/usr/bin/chromium', installed: false });
  });

  it('says exactly what to run when it is missing and we are not root', () => {
    const result = ensureChromium({ exists: () => false, isRoot: false });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('sudo apt-get update && sudo apt-get install -y chromium');
  });

  it('installs it with apt as root, retrying while the apt lock is held', () => {
    const calls: string[] = [];
    let installed = false;
    let locked = 2;
    const result = ensureChromium({
      exists: () => installed,
      isRoot: true,
      log: () => {},
      sleep: () => {},
      run: (_cmd, args) => {
        calls.push(args.join(' '));
        if (args[0] === 'update' && locked-- > 0) return { status: 100, output: 'E: Could not get lock /var/lib/apt/lists/lock' };
        if (args[0] === 'install') installed = true;
        return { status: 0, output: '' };
      },
    });
    expect(result).toEqual({ ok: true, path: '/usr/bin/chromium', installed: true });
    expect(calls).toEqual(['update', 'update', 'update', 'install -y chromium']);
  });

  it('fails with the command and apt output when apt fails for another reason', () => {
    const result = ensureChromium({ exists: () => false, isRoot: true, log: () => {}, sleep: () => {}, run: () => ({ status: 100, output: 'E: Unable to locate package chromium' }) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/apt-get update failed[\s\S]*Unable to locate package chromium/);
  });
});

// The Chromium command line of the browser suites: Chromium keeps only the last --disable-features
// switch, so ours (which turns off the omnibox popup pages each context would otherwise load)
// must carry every feature playwright-core disables itself, and must really take effect.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../harness/browser/ensure-chromium.ts';
import { CHROMIUM_ARGS, OMNIBOX_POPUP_FEATURES, PLAYWRIGHT_DISABLED_FEATURES, launchChromium } from '../harness/browser/launch.ts';

/** The features listed in playwright-core's own chromiumSwitches (read from its bundle). */
function playwrightDisabledFeatures(): string[] {
  const root = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
  const bundle = readFileSync(join(root, 'lib/coreBundle.js'), 'utf8');
  const start = bundle.indexOf('disabledFeatures = [');
  expect(start, 'playwright-core still declares disabledFeatures in lib/coreBundle.js').toBeGreaterThan(0);
  const list = bundle.slice(start, bundle.indexOf('].filter(Boolean)', start)).replace(/\/\/.*$/gm, '');
  return [...list.matchAll(/"([A-Za-z0-9]+)"/g)].map((m) => m[1]!);
}

describe('Chromium arguments', () => {
  it('repeat every feature playwright-core disables, in the one --disable-features switch', () => {
    expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(playwrightDisabledFeatures());
    const switches = CHROMIUM_ARGS.filter((a) => a.startsWith('--disable-features='));
    expect(switches).toHaveLength(1);
    expect(switches[0]!.slice('--disable-features='.length).split(',')).toEqual([...PLAYWRIGHT_DISABLED_FEATURES, ...OMNIBOX_POPUP_FEATURES]);
  });

  // The full browser: the headless shell, launched when installed, has no omnibox to turn off.
  it.skipIf(!existsSync(CHROMIUM_PATH))('leave a new context of the full browser with only its own page: no omnibox popup pages', { timeout: 60_000 }, async () => {
    const browser = await launchChromium({ executablePath: CHROMIUM_PATH });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string; url: string }> };
      expect(targetInfos.map((t) => `${t.type} ${t.url}`)).toEqual(['page about:blank']);
    } finally {
      await browser.close();
    }
  });
});

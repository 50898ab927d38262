// Launching Debian's Chromium through playwright-core (a browser download cannot work on this
// kind of machine, so playwright-core, which bundles none, is the dependency): its headless shell
// when installed, else the full browser (see ensure-chromium.ts). One browser per
// worker process: suites share it through acquireBrowser()/releaseBrowser(), and each flow opens
// its own context, so flows stay independent and can run in parallel.
import { type Browser, chromium } from 'playwright-core';
import { chromiumExecutable } from './ensure-chromium.ts';

/**
 * The features playwright-core 1.65 disables itself (its chromiumSwitches.ts). Chromium keeps only
 * the last --disable-features switch, so ours must repeat them; test/chromium-args.test.ts fails
 * when an upgrade of playwright-core changes its list.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Chromium 156's new headless mode (the full browser; the headless shell has no omnibox) opens two
 * WebUI pages (the omnibox popups, in a renderer process of their own) for every browser context.
 * The suites open a context per flow, so these cost about a quarter of a whole run's CPU in the
 * full browser (measured: 92 CPU-seconds with them, 67 without, same outcomes).
 */
export const OMNIBOX_POPUP_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OMNIBOX_POPUP_FEATURES].join(',')}`,
];

/** Launches a new headless Chromium (the caller closes it). */
export function launchChromium(options: { executablePath?: string; timeoutMs?: number } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: options.executablePath ?? chromiumExecutable(),
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: options.timeoutMs ?? 30_000,
  });
}

let shared: Promise<Browser> | undefined;
let users = 0;
let idleTimer: NodeJS.Timeout | undefined;
/** Suite files run one after another in a worker: the browser outlives a file by this much, to serve the next. */
const IDLE_CLOSE_MS = 3000;

/** The worker's shared browser, launched on first use. Pair every call with releaseBrowser(). */
export function acquireBrowser(): Promise<Browser> {
  users++;
  clearTimeout(idleTimer);
  shared ??= launchChromium().catch((error: unknown) => {
    shared = undefined;
    throw new Error(`Chromium could not start (${chromiumExecutable()}): ${(error as Error).message.split('\n')[0]}`);
  });
  return shared;
}

/** Closes the shared browser when it has had no user for a while (Playwright also kills it when the worker exits). */
export function releaseBrowser(): void {
  users = Math.max(0, users - 1);
  if (users > 0 || !shared) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closeBrowser(), IDLE_CLOSE_MS);
  idleTimer.unref();
}

/** Closes the shared browser now (tests and the end of a run). */
export async function closeBrowser(): Promise<void> {
  clearTimeout(idleTimer);
  const closing = shared;
  shared = undefined;
  users = 0;
  if (closing) await closing.then((browser) => browser.close()).catch(() => undefined);
}

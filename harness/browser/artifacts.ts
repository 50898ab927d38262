// The screenshot and Playwright trace of each browser session, filed under the ids of the
// exchanges the session recorded: a check whose verdict is FAIL or ERROR attaches the artifacts of
// the exchanges it cites or awaited (harness/suite.ts), so the evidence shows what the user saw.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BrowserArtifacts {
  /** What the session was for ("code flow (basic)"). */
  label: string;
  /** PNG of the page when the session ended; absent if the browser could not take it. */
  screenshotPath?: string;
  /** Playwright trace (open with `npx playwright show-trace FILE` or in the Allure report). */
  tracePath?: string;
  /** 'session' (default): taken when the session closed; 'request': what one request left on screen. */
  scope?: 'session' | 'request';
}

/**
 * What each browser session records: unset, a screenshot and a Playwright trace of its actions,
 * network and console ("on"); "snapshots" (`run --trace-snapshots`), the trace also holds a DOM
 * snapshot of every action; "off" (`run --no-browser-evidence`), neither screenshot nor trace.
 */
export const BROWSER_EVIDENCE_ENV = 'OIDC_CONFORMANCE_BROWSER_EVIDENCE';

export type BrowserEvidence = 'off' | 'on' | 'snapshots';

export function browserEvidence(): BrowserEvidence {
  const value = process.env[BROWSER_EVIDENCE_ENV];
  return value === 'off' || value === 'snapshots' ? value : 'on';
}

export function browserEvidenceOn(): boolean {
  return browserEvidence() !== 'off';
}

const byExchange = new Map<string, BrowserArtifacts[]>();
let directory: string | undefined;

/** A private folder for this worker's artifacts (kept until the reports have copied them). */
export function artifactDirectory(): string {
  directory ??= mkdtempSync(join(tmpdir(), 'oidc-conformance-browser-'));
  return directory;
}

export function fileArtifacts(exchangeIds: string[], artifacts: BrowserArtifacts): void {
  for (const id of exchangeIds) byExchange.set(id, [...(byExchange.get(id) ?? []), artifacts]);
}

/** The distinct artifacts filed under any of these exchange ids. */
export function artifactsFor(exchangeIds: Iterable<string>): BrowserArtifacts[] {
  const found = new Set<BrowserArtifacts>();
  for (const id of exchangeIds) {
    for (const artifacts of byExchange.get(id) ?? []) found.add(artifacts);
  }
  return [...found];
}

/** Browser sessions still open (shared by a suite file's steps), by the function that closes them. */
const openSessions = new Set<() => Promise<void>>();

/**
 * Registers an open session's close(): a failing check closes every open session first, so that
 * their screenshot and trace are filed before its evidence is attached. Returns the unregistration.
 */
export function trackOpenSession(close: () => Promise<void>): () => void {
  openSessions.add(close);
  return () => openSessions.delete(close);
}

/** Closes every tracked session (each files its artifacts as it closes). */
export async function closeOpenSessions(): Promise<void> {
  await Promise.all([...openSessions].map((close) => close()));
}

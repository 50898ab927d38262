// What a suite file uses: one HTTP recorder per file, steps (I/O done once, shared by the checks
// that judge it) and checks (a vitest test per check id, whose verdict and evidence travel to the
// reporter in the test's meta). Steps do I/O; checks judge and never send requests themselves,
// except through the steps they await.
//
// Each check also writes its Allure result (through allure-js-commons; allure-vitest collects
// it): labels from the definition, a "judge" step holding the suite steps it awaited, the
// exchanges those steps and the judge sent attached as JSON (redacted copies), and the verdict.
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, test } from 'vitest';
import { type CheckDefinition, type CheckResult, type PassDetails, judgeCheck } from './checks.ts';
import { createHttpClient } from './http/http-client.ts';
import { HttpError } from './http/http-error.ts';
import type { Exchange, HttpClient } from './http/types.ts';
import { allure, attachExchange, attachVerdict, describeCheck, labelCheck, labelVerdict } from './report/allure.ts';
import { Target, currentTarget, profileSecrets } from './target.ts';
import { artifactsFor, closeOpenSessions } from './browser/artifacts.ts';

/** What a check leaves in its vitest task's meta for the reporter. */
export interface CheckMeta {
  definition: CheckDefinition;
  /** The verdict, secrets masked (messages and expected/actual can quote tokens). */
  result: CheckResult;
  /** Redacted copies of the exchanges the verdict cites. */
  exchanges: Exchange[];
}

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

export interface SuiteContext {
  target: Target;
  http: HttpClient;
}

export type Judge = (ctx: SuiteContext) => PassDetails | void | Promise<PassDetails | void>;

export interface Suite extends SuiteContext {
  /** A piece of I/O run at most once per file, on first use; its failure is every dependent check's ERROR. */
  step<T>(name: string, run: (ctx: SuiteContext) => Promise<T>): () => Promise<T>;
  /**
   * Registers the check as a vitest test named by its id. `waitsMs`: time the check waits on
   * purpose (a code redeemed again after a delay), added to its deadline.
   */
  check(definition: CheckDefinition, judge: Judge, options?: { waitsMs?: number }): void;
  /**
   * The common case of check(): judge the exchange one step produced with a function that throws
   * on a breach; the verdict cites that exchange.
   */
  judgeExchange(definition: CheckDefinition, step: () => Promise<Exchange>, judge: (exchange: Exchange) => void): void;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The check being judged, so a shared step attaches its exchanges once to each check that awaits it. */
interface CheckScope {
  attached: Set<string>;
}

const checkScope = new AsyncLocalStorage<CheckScope>();

/** A view of `http` that also notes the id of every exchange sent through it. */
function noting(http: HttpClient, sent: string[]): HttpClient {
  return {
    async send(request) {
      try {
        const exchange = await http.send(request);
        sent.push(exchange.id);
        return exchange;
      } catch (error) {
        if (error instanceof HttpError) sent.push(error.exchange.id);
        throw error;
      }
    },
    record(observed) {
      const exchange = http.record(observed);
      sent.push(exchange.id);
      return exchange;
    },
    exchanges: () => http.exchanges(),
    exchange: (id) => http.exchange(id),
    addSecret: (value) => http.addSecret(value),
    redact: (value) => http.redact(value),
    close: () => http.close(),
  };
}

/** The thrown form of a FAIL or ERROR verdict (Allure shows a FAIL as failed, an ERROR as broken). */
class VerdictError extends Error {
  constructor(outcome: 'FAIL' | 'ERROR', id: string, message: string) {
    super(`${outcome} ${id}: ${message}`);
    this.name = outcome === 'FAIL' ? 'AssertionError' : 'HarnessError';
    this.stack = this.message; // the verdict is the message; a harness stack helps nobody here
  }
}

/**
 * The screenshot and trace of every browser session behind these exchanges (FAIL and ERROR
 * evidence); `requestScreenshots`: only the screenshots taken of single requests (a PASS or WARN
 * judged from what the browser showed).
 */
async function attachBrowserArtifacts(exchangeIds: Iterable<string>, options: { requestScreenshots?: boolean } = {}): Promise<void> {
  for (const artifacts of artifactsFor(exchangeIds)) {
    if (options.requestScreenshots && artifacts.scope !== 'request') continue;
    if (artifacts.screenshotPath) await allure.attachmentPath(`screenshot: ${artifacts.label}`, artifacts.screenshotPath, { contentType: 'image/png' });
    if (artifacts.tracePath) await allure.attachmentPath(`Playwright trace: ${artifacts.label}`, artifacts.tracePath, { contentType: 'application/vnd.allure.playwright-trace' });
  }
}

/** Creates the suite of one file. `name` prefixes its exchange ids (e.g. "password#3"). */
export function createSuite(name: string): Suite {
  const target = currentTarget();
  const http = createHttpClient({
    timeoutMs: target.requestTimeoutMs(),
    maxResponseBytes: MAX_RESPONSE_BYTES,
    redact: profileSecrets(target.profile),
    idPrefix: name,
  });
  afterAll(() => http.close());
  const ctx: SuiteContext = { target, http };
  const checkTimeout = target.profile.timeouts?.check_ms ?? 30_000;

  async function attach(ids: Iterable<string>, scope: CheckScope | undefined): Promise<void> {
    for (const id of ids) {
      if (scope?.attached.has(id)) continue;
      const exchange = http.exchange(id);
      if (!exchange) continue;
      scope?.attached.add(id);
      await attachExchange(exchange);
    }
  }

  function redactResult(result: CheckResult): CheckResult {
    const shown: CheckResult = { ...result, message: http.redact(result.message), evidence: http.redact(result.evidence) };
    if ('expected' in result) shown.expected = http.redact(result.expected);
    if ('actual' in result) shown.actual = http.redact(result.actual);
    return shown;
  }

  const suite: Suite = {
    ...ctx,
    step<T>(stepName: string, run: (c: SuiteContext) => Promise<T>) {
      let pending: Promise<T> | undefined;
      const sent: string[] = [];
      const stepCtx: SuiteContext = { target, http: noting(http, sent) };
      return () =>
        Promise.resolve(
          allure.step(`step: ${stepName}`, async (allureStep) => {
            if (pending) await allureStep.parameter('result', 'shared: the step ran once for this file, earlier');
            pending ??= run(stepCtx).catch((error: unknown) => {
              if (error instanceof Error && !error.message.startsWith(`step "`)) error.message = `step "${stepName}": ${error.message}`;
              throw error;
            });
            try {
              return await pending;
            } finally {
              await attach(sent, checkScope.getStore());
            }
          }),
        );
    },
    check(definition, judge, options = {}) {
      test(definition.id, { timeout: checkTimeout + (options.waitsMs ?? 0) }, async (context) => {
        await labelCheck(definition, { targetName: target.profile.name });
        const scope: CheckScope = { attached: new Set() };
        const sentByJudge: string[] = [];
        const judgeCtx: SuiteContext = { target, http: noting(http, sentByJudge) };
        let verdict: CheckResult | undefined;
        let thrown: VerdictError | undefined;
        try {
          await checkScope.run(scope, () =>
            allure.step('judge', async (allureStep) => {
              let screenshots = false;
              const judged = await judgeCheck(
                definition,
                async () => {
                  // A target whose discovery document the preflight could not read gives every
                  // check the preflight's one reason (TargetUnavailable), before any request of its own.
                  target.metadata();
                  const passed = await judge(judgeCtx);
                  if (passed?.screenshots) screenshots = true;
                  return passed;
                },
                { deviation: target.deviation(definition.id) },
              );
              const result = redactResult(judged);
              verdict = result;
              const exchanges = [...new Set(result.exchanges)].map((id) => http.exchange(id)).filter((e): e is Exchange => e !== undefined);
              context.task.meta.check = { definition, result, exchanges };
              // The requests the judge sent itself, then any cited exchange no step attached.
              await attach([...sentByJudge, ...result.exchanges], scope);
              await attachVerdict(definition, result);
              if (result.outcome === 'FAIL' || result.outcome === 'ERROR') {
                // A session shared by the file's steps files its screenshot and trace only when it closes.
                await closeOpenSessions();
                await attachBrowserArtifacts([...scope.attached, ...result.exchanges]);
              }
              else if (screenshots || result.outcome === 'WARN') await attachBrowserArtifacts(result.exchanges, { requestScreenshots: true });
              const summary = result.message.split('\n')[0]!;
              await allureStep.displayName(`judge → ${result.outcome}: ${summary.length > 120 ? `${summary.slice(0, 117)}...` : summary}`);
              if (result.outcome === 'FAIL' || result.outcome === 'ERROR') {
                thrown = new VerdictError(result.outcome, definition.id, result.message);
                throw thrown;
              }
            }),
          );
        } catch (error) {
          if (error !== thrown) throw error;
        }
        if (!verdict) return;
        await labelVerdict(verdict);
        await allure.description(describeCheck(definition, verdict));
        if (verdict.outcome === 'SKIP') context.skip(verdict.message);
        if (thrown) throw thrown;
      });
    },
    judgeExchange(definition, step, judgeExchange) {
      suite.check(definition, async () => {
        const exchange = await step();
        judgeExchange(exchange);
        return { exchanges: [exchange.id] };
      });
    },
  };
  return suite;
}

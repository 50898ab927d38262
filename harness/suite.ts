// What a suite file uses: one HTTP recorder per file, steps (I/O done once, shared by the checks
// that judge it) and checks (a vitest test per check id, whose verdict and evidence travel to the
// reporter in the test's meta). Steps do I/O; checks judge and never send requests themselves,
// except through the steps they await.
import { afterAll, test } from 'vitest';
import { type CheckDefinition, type CheckResult, type PassDetails, judgeCheck } from './checks.ts';
import { createHttpClient } from './http/http-client.ts';
import type { Exchange, HttpClient } from './http/types.ts';
import { Target, currentTarget, profileSecrets } from './target.ts';

/** What a check leaves in its vitest task's meta for the reporter. */
export interface CheckMeta {
  definition: CheckDefinition;
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
  /** Registers the check as a vitest test named by its id. */
  check(definition: CheckDefinition, judge: Judge): void;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

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

  return {
    ...ctx,
    step<T>(stepName: string, run: (c: SuiteContext) => Promise<T>) {
      let pending: Promise<T> | undefined;
      return () => {
        pending ??= run(ctx).catch((error: unknown) => {
          if (error instanceof Error && !error.message.startsWith(`step "`)) error.message = `step "${stepName}": ${error.message}`;
          throw error;
        });
        return pending;
      };
    },
    check(definition, judge) {
      test(definition.id, { timeout: checkTimeout }, async (context) => {
        const result = await judgeCheck(definition, () => judge(ctx), { deviation: target.deviation(definition.id) });
        const exchanges = [...new Set(result.exchanges)].map((id) => http.exchange(id)).filter((e): e is Exchange => e !== undefined);
        context.task.meta.check = { definition, result, exchanges };
        if (result.outcome === 'SKIP') context.skip(result.message);
        if (result.outcome === 'FAIL' || result.outcome === 'ERROR') {
          const error = new Error(`${result.outcome} ${definition.id}: ${result.message}`);
          error.stack = error.message; // the verdict is the message; a harness stack helps nobody here
          throw error;
        }
      });
    },
  };
}

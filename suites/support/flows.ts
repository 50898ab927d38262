// The browser flows of one suite file whose checks judge requests made in shared sessions (the
// logout and authorization-security suites). A flow runs at most once, however many checks await
// it; a flow that must come after another awaits it with after(). Each check declares the flows
// it judges: before the first check, the flows of the checks this run selected start (with the
// flows they wait for), and no other; so `--only` one check makes only the requests it needs, and
// a check that fails (closing the sessions to file their screenshots and traces) leaves no
// selected check without its requests.
import { type RunnerTestSuite, afterAll, beforeAll } from 'vitest';
import { CheckSkip, type PassDetails } from '../../harness/checks.ts';

export type Flow<T = unknown> = () => Promise<T>;

export class Flows {
  /** Every flow started so far, in the order they started. */
  private readonly started: Array<Promise<unknown>> = [];
  private readonly byCheck = new Map<string, ReadonlyArray<Flow>>();

  /** A flow run at most once; its failure stays with the checks that await it (never an unhandled rejection). */
  once<T>(run: () => Promise<T>): Flow<T> {
    let pending: Promise<T> | undefined;
    return () => {
      if (!pending) {
        // Started on the next microtask, so a flow that (indirectly) asks for itself gets the pending promise.
        pending = Promise.resolve().then(run);
        pending.catch(() => undefined);
        this.started.push(pending);
      }
      return pending;
    };
  }

  /** The flows a check judges (every flow its judge awaits). */
  declare(checkId: string, flows: ReadonlyArray<Flow>): void {
    this.byCheck.set(checkId, flows);
  }

  /** Starts the flows of the selected checks (register() calls it before the first check). */
  startSelected(selected: ReadonlySet<string>): void {
    for (const [id, flows] of this.byCheck) {
      if (selected.has(id)) for (const flow of flows) void after(flow);
    }
  }

  private closeSessions: () => Promise<unknown> = async () => undefined;
  private closing: Promise<void> | undefined;

  /**
   * Registers the file's hooks: before the first check, the flows of the selected checks start;
   * after the last, the sessions close (`closeSessions`: the file's way to close them, which
   * files each session's screenshot and Playwright trace under its exchanges).
   */
  register(closeSessions: () => Promise<unknown>): void {
    this.closeSessions = closeSessions;
    // eslint-disable-next-line no-empty-pattern -- vitest hands a suite hook the file second; the first (fixtures) argument must be a pattern
    beforeAll(({}, file) => this.startSelected(selectedChecks(file)));
    afterAll(() => this.close());
  }

  /** Closes the sessions once every started flow is done, without starting any other (once). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.settled();
      await this.closeSessions();
    })();
    return this.closing;
  }

  /** A check's judging: when it fails (not a SKIP), the sessions close first, so the verdict carries their screenshot and trace. */
  judging(judge: () => Promise<PassDetails>): () => Promise<PassDetails> {
    return async () => {
      try {
        return await judge();
      } catch (error) {
        if (!(error instanceof CheckSkip)) await this.close().catch(() => undefined);
        throw error;
      }
    };
  }

  /** Resolves once every started flow is done, including the ones started meanwhile. */
  async settled(): Promise<void> {
    for (let done = 0; done < this.started.length; ) {
      const pending = this.started.slice(done);
      done = this.started.length;
      await Promise.allSettled(pending);
    }
  }
}

/** Awaits a flow only to keep the order of a session's requests; its failure is judged where it is used. */
export async function after(flow: Flow): Promise<void> {
  await flow().catch(() => undefined);
}

/** The test names (check ids) of a file (the suite a beforeAll hook gets) that this run executes (not filtered out by --only). */
export function selectedChecks(file: Readonly<RunnerTestSuite>): Set<string> {
  return new Set(file.tasks.filter((t) => t.mode === 'run' || t.mode === 'only').map((t) => t.name));
}

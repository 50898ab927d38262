// Runs jobs on N worker processes (worker.ts), each taking the next job from one queue when it is
// free. A job that outlives its timeout, or whose worker dies, is reported with the reason and
// its worker is replaced; nothing a worker started survives it (each worker leads its own
// process group, and start commands it ran are stopped with it).
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PACKAGE_ROOT } from '../run-command.ts';
import { signalGroup } from './start-command.ts';
import type { ParentMessage, WorkerJob, WorkerMessage } from './worker.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.js');
const WORKER = join(PACKAGE_ROOT, 'harness', 'run', 'mutation', 'worker.ts');
const TAIL_BYTES = 4000;

export interface PoolJob {
  job: WorkerJob;
  timeoutMs: number;
}

export interface JobResult {
  id: string;
  problems: string[];
  error?: string;
  durationMs: number;
}

class Worker {
  private readonly child: ChildProcess;
  private readonly groups = new Set<number>();
  private tail = '';
  private onExit?: (reason: string) => void;
  dead = false;

  constructor() {
    this.child = fork(RUN_TS, [WORKER], { cwd: PACKAGE_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const keep = (chunk: Buffer) => (this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_BYTES));
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('message', (message: WorkerMessage) => {
      if (message.type === 'started') this.groups.add(message.pid);
    });
    this.child.once('exit', (code, signal) => {
      this.dead = true;
      this.onExit?.(signal ? `signal ${signal}` : `exit code ${code}`);
    });
    this.child.once('error', (error) => {
      this.dead = true;
      this.onExit?.(error.message);
    });
  }

  run(item: PoolJob): Promise<JobResult> {
    const started = Date.now();
    const { id } = item.job;
    this.tail = '';
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: Omit<JobResult, 'id' | 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.onExit = undefined;
        resolve({ id, durationMs: Date.now() - started, ...result });
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'done' && message.id === id) {
          this.groups.clear();
          settle({ problems: message.problems, ...(message.error ? { error: message.error } : {}) });
        }
      };
      const timer = setTimeout(() => {
        void this.terminate();
        settle({ problems: [], error: `timed out after ${Math.round(item.timeoutMs / 1000)} s${this.output()}` });
      }, item.timeoutMs);
      this.onExit = (reason) => settle({ problems: [], error: `the worker process ended (${reason})${this.output()}` });
      this.child.on('message', onMessage);
      if (this.dead) return this.onExit('it was not running');
      this.child.send({ type: 'run', job: item.job } satisfies ParentMessage);
    });
  }

  private output(): string {
    const text = this.tail.trim();
    return text ? `; last output: ${text.slice(-600)}` : '';
  }

  /**
   * SIGTERM first, so that whatever runs there can close what it started outside its process
   * group (Playwright's browsers lead their own group and close on SIGTERM); SIGKILL after 3 s.
   */
  async terminate(): Promise<void> {
    this.dead = true;
    for (const pid of this.groups) signalGroup(pid, 'SIGTERM');
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGTERM');
    const exited = this.child.exitCode !== null || this.child.signalCode !== null;
    if (!exited) await Promise.race([new Promise((done) => this.child.once('exit', done)), sleep(3000)]);
    this.kill();
  }

  /** Stops the worker, its vitest processes and any start command it ran, at once. */
  kill(): void {
    for (const pid of this.groups) signalGroup(pid, 'SIGKILL');
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    this.dead = true;
  }

  close(): void {
    if (this.dead) return;
    this.child.send({ type: 'exit' } satisfies ParentMessage);
    this.child.disconnect();
  }
}

/**
 * Runs every job with at most `concurrency` at once, in the given order; calls `onResult` as
 * each ends. Resolves when all have ended.
 */
export async function runPool(jobs: readonly PoolJob[], concurrency: number, onResult: (result: JobResult) => void = () => {}): Promise<Map<string, JobResult>> {
  const queue = [...jobs];
  const results = new Map<string, JobResult>();
  const live = new Set<Worker>();
  const interrupt = (signal: NodeJS.Signals) => {
    for (const worker of live) worker.kill();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onSigint = () => interrupt('SIGINT');
  const onSigterm = () => interrupt('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);

  const lane = async () => {
    let worker: Worker | undefined;
    for (let item = queue.shift(); item; item = queue.shift()) {
      if (!worker || worker.dead) {
        if (worker) live.delete(worker);
        worker = new Worker();
        live.add(worker);
      }
      const result = await worker.run(item);
      results.set(result.id, result);
      onResult(result);
    }
    if (worker) {
      worker.close();
      live.delete(worker);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, lane));
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    for (const worker of live) worker.kill();
  }
  return results;
}

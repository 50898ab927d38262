// A mutation worker: a child process that runs one job after another, each a full `run` (its own
// provider, its own vitest instance, its own report directory), and answers over IPC. Reusing
// the process saves node, tsx and vitest start-up per fault: about half the CPU of a CLI run.
// Started by pool.ts as `node bin/run-ts.js harness/run/mutation/worker.ts`.
import { loadProfile } from '../../profile/load-profile.ts';
import { parseRunArgs, runConformance } from '../run-command.ts';
import { startCommand, type StartedCommand } from './start-command.ts';
import type { MutantTarget } from './types.ts';

export interface WorkerJob {
  id: string;
  only: string[];
  reportDir: string;
  target: MutantTarget;
}

export type ParentMessage = { type: 'run'; job: WorkerJob } | { type: 'exit' };

export type WorkerMessage =
  | { type: 'done'; id: string; problems: string[]; error?: string }
  /** A start command's process group, so the parent can stop it if this worker is killed. */
  | { type: 'started'; id: string; pid: number };

function send(message: WorkerMessage): Promise<void> {
  return new Promise((done) => process.send!(message, undefined, {}, () => done()));
}

export async function runJob(job: WorkerJob, onStarted: (pid: number) => void = () => {}): Promise<{ problems: string[]; error?: string }> {
  let started: StartedCommand | undefined;
  try {
    // The options of the equivalent CLI run, so that the run's defaults are `run`'s own.
    // One vitest worker per job (the pool runs jobs side by side), and no screenshots or traces:
    // a mutation run reads only the outcomes.
    const args = ['--quiet', '--strict', '--no-allure', '--workers', '1', '--no-browser-evidence', '--report-dir', job.reportDir, ...job.only.flatMap((o) => ['--only', o])];
    if (job.target.kind === 'embedded') {
      args.push(...job.target.faults.flatMap((f) => ['--provider-fault', f]));
    } else {
      const profilePath = job.target.profile;
      args.push('--profile', profilePath);
      if (job.target.start) {
        started = await startCommand(job.target.start, {
          cwd: job.target.cwd ?? process.cwd(),
          profile: loadProfile(profilePath),
          profilePath,
          timeoutMs: job.target.startTimeoutMs ?? 60_000,
        });
        onStarted(started.pid);
      }
    }
    const result = await runConformance(parseRunArgs(args));
    return { problems: result.problems };
  } catch (error) {
    return { problems: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    await started?.stop();
  }
}

if (process.send) {
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'exit') process.exit(0);
    if (message.type !== 'run') return;
    const { job } = message;
    void runJob(job, (pid) => void send({ type: 'started', id: job.id, pid })).then((result) => send({ type: 'done', id: job.id, ...result }));
  });
  process.on('disconnect', () => process.exit(0));
}

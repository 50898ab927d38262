// A vitest reporter that gathers every check's verdict from its test meta, prints a line per
// check as it finishes, and turns tests that crashed before judging (a file that failed to load,
// a hook that threw) into ERROR verdicts: nothing a run starts may vanish from the report.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckDefinition } from '../checks.ts';
import type { CheckMeta } from '../suite.ts';

const SYMBOL: Record<string, string> = { PASS: '✓', FAIL: '✗', WARN: '!', SKIP: '-', ERROR: 'E' };

export interface CollectorOptions {
  /** Where progress lines go (stdout by default); null silences them. */
  write?: ((line: string) => void) | null;
}

function fallbackDefinition(id: string): CheckDefinition {
  return { id, title: id, area: id.split('/')[0] ?? 'unknown', refs: ['n/a'], requirements: [], level: 'MUST' };
}

export class CheckCollector implements Reporter {
  readonly verdicts = new Map<string, CheckMeta & { durationMs?: number }>();
  readonly problems: string[] = [];
  private readonly write: ((line: string) => void) | null;

  constructor(options: CollectorOptions = {}) {
    this.write = options.write === undefined ? (line) => process.stdout.write(`${line}\n`) : options.write;
  }

  private add(meta: CheckMeta, durationMs?: number): void {
    this.verdicts.set(meta.definition.id, { ...meta, durationMs });
    const { outcome, message } = meta.result;
    const detail = outcome === 'PASS' ? '' : `  ${message.split('\n')[0]!.slice(0, 160)}`;
    this.write?.(`${SYMBOL[outcome] ?? '?'} ${outcome.padEnd(5)} ${meta.definition.id}${detail}`);
  }

  private crashed(id: string, message: string): void {
    this.add({ definition: fallbackDefinition(id), result: { outcome: 'ERROR', message: `harness error: ${message}`, exchanges: [], evidence: {} }, exchanges: [] });
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().check;
    const result = testCase.result();
    const durationMs = testCase.diagnostic()?.duration;
    if (meta) {
      this.add(meta, durationMs === undefined ? undefined : Math.round(durationMs));
    } else if (result.state === 'failed') {
      this.crashed(testCase.name, result.errors.map((e) => e.message).join('; ') || 'the check failed before judging');
    }
    // Skipped without a verdict: filtered out by --only / --shard; not part of this run.
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const module of testModules) {
      const errors = module.errors();
      if (errors.length === 0) continue;
      const message = errors.map((e) => e.message).join('; ');
      const tests = [...module.children.allTests()];
      if (tests.length === 0) this.problems.push(`${module.relativeModuleId}: ${message}`);
      for (const test of tests) if (!this.verdicts.has(test.name)) this.crashed(test.name, `${module.relativeModuleId}: ${message}`);
    }
    for (const error of unhandledErrors) this.problems.push(`unhandled error: ${error.message ?? String(error)}`);
  }
}

// `run` options as parsed from the command line.
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './run-command.ts';

describe('parseRunArgs', () => {
  it('takes --certification (off by default)', () => {
    expect(parseRunArgs([]).certification).toBe(false);
    expect(parseRunArgs(['--certification', '--only', 'code-flow']).certification).toBe(true);
  });
});

describe('parseRunArgs: workers and browser evidence', () => {
  it('runs at least 2 suite files at once by default, and takes --workers N from 1 to 64', () => {
    expect(parseRunArgs([]).workers).toBeGreaterThanOrEqual(2);
    expect(parseRunArgs(['--workers', '1']).workers).toBe(1);
    for (const bad of ['0', '65', '1.5', 'two']) expect(() => parseRunArgs(['--workers', bad]), bad).toThrow(/--workers takes an integer from 1 to 64/);
  });

  it('records browser evidence unless --no-browser-evidence', () => {
    expect(parseRunArgs([]).browserEvidence).toBe(true);
    expect(parseRunArgs(['--no-browser-evidence']).browserEvidence).toBe(false);
  });

  it('records DOM snapshots in the traces only with --trace-snapshots, which needs the evidence on', () => {
    expect(parseRunArgs([]).traceSnapshots).toBe(false);
    expect(parseRunArgs(['--trace-snapshots']).traceSnapshots).toBe(true);
    expect(() => parseRunArgs(['--trace-snapshots', '--no-browser-evidence'])).toThrow(/exclude each other/);
  });
});

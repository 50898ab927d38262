// `run` options as parsed from the command line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleCacheOptions, parseRunArgs } from './run-command.ts';

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

describe('moduleCacheOptions', () => {
  it('keeps transformed modules under node_modules when it can write there, never otherwise, and not when turned off', () => {
    const root = mkdtempSync(join(tmpdir(), 'oidc-conformance-cache-'));
    try {
      expect(moduleCacheOptions(root, {})).toEqual({ fsModuleCache: true, fsModuleCachePath: join(root, 'node_modules', '.experimental-vitest-cache') });
      expect(moduleCacheOptions(root, { OIDC_CONFORMANCE_MODULE_CACHE: 'off' })).toEqual({ fsModuleCache: false });
      // The package root is a file here: the cache directory cannot exist, and the run goes on without it.
      writeFileSync(join(root, 'x'), '');
      expect(moduleCacheOptions(join(root, 'x'), {})).toEqual({ fsModuleCache: false });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// `run` options as parsed from the command line.
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './run-command.ts';

describe('parseRunArgs', () => {
  it('takes --certification (off by default)', () => {
    expect(parseRunArgs([]).certification).toBe(false);
    expect(parseRunArgs(['--certification', '--only', 'code-flow']).certification).toBe(true);
  });
});

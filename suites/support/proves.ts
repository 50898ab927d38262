// A sample proof: the check's judge, fed a bad payload, reports the failure. The proof-coverage
// test reads these calls (by their literal id) to make sure no check id goes unproven.
import { expect, test } from 'vitest';
import { CheckFailure, type CheckDefinition, judgeCheck } from '../../harness/checks.ts';

/**
 * Registers a test that runs `judge` on a bad sample and expects the check's FAIL (or WARN for
 * SHOULD/MAY and warn-only rules), with a message matching `message` when given.
 */
export function proves(definition: CheckDefinition, sample: string, judge: () => unknown, message?: RegExp): void {
  test(`${definition.id} fails on ${sample}`, async () => {
    const result = await judgeCheck(definition, async () => {
      await judge();
    });
    expect(['FAIL', 'WARN'], `${definition.id} did not fail: ${result.message}`).toContain(result.outcome);
    if (message) expect(result.message).toMatch(message);
  });
}

/** The same judge passes on a good sample (so the bad-sample failure is not trivially always there). */
export function passesOn(definition: CheckDefinition, sample: string, judge: () => unknown): void {
  test(`${definition.id} passes on ${sample}`, async () => {
    try {
      await judge();
    } catch (error) {
      if (error instanceof CheckFailure) throw new Error(`${definition.id} failed on a good sample: ${error.message}`);
      throw error;
    }
  });
}

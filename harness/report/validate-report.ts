// Validates a report against its published schema plus the rules a schema cannot state.
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './report.schema.json' with { type: 'json' };
import { describeErrors, type ValidationResult } from '../schemas/validate-payload.ts';
import { summarise } from './build-report.ts';
import type { Report } from './types.ts';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats.default(ajv);
const validateSchema = ajv.compile<Report>(schema as object);

export function validateReport(value: unknown): ValidationResult {
  if (!validateSchema(value)) return { valid: false, errors: describeErrors(validateSchema.errors ?? []) };
  const report = value;
  const problems: string[] = [];
  const expected = summarise(report.checks.map((c) => c.outcome));
  for (const [key, count] of Object.entries(expected)) {
    const stated = report.summary[key as keyof typeof expected];
    if (stated !== count) problems.push(`summary.${key}: says ${stated}, the checks count ${count}`);
  }
  if (report.shard && report.shard.index > report.shard.count) problems.push(`shard: index ${report.shard.index} is beyond count ${report.shard.count}`);
  const seen = new Set<string>();
  report.checks.forEach((check, i) => {
    if (seen.has(check.id)) problems.push(`checks.${i}.id: duplicate check id "${check.id}"`);
    seen.add(check.id);
  });
  return problems.length === 0 ? { valid: true, errors: [] } : { valid: false, errors: problems };
}

// A vendor's mutants file: their own fault switches, for `oidc-conformance mutation --mutants
// FILE`. The same mechanism as the reference provider's catalogue: a baseline provider with no
// defect, and per mutant how to get the provider with one defect (a start command and/or a
// profile) and the check ids that must catch it. Validated against mutants.schema.json; every
// problem names the member and the reason.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './mutants.schema.json' with { type: 'json' };
import { areasOf } from './classify.ts';
import type { Mutant, MutantTarget, MutationPlan } from './types.ts';

export class MutantsFileError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid mutants file (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MutantsFileError';
  }
}

interface MutantsFile {
  jobs?: number;
  startTimeoutSeconds?: number;
  baseline: { profile: string; start?: string; cwd?: string };
  mutants: Array<{ name: string; description?: string; clause?: string; expects: string[]; only?: string[]; profile?: string; start?: string; cwd?: string }>;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateSchema = ajv.compile(schema);

function describe(error: ErrorObject): string {
  const field = error.instancePath === '' ? '(top level)' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') return `${field}: unknown member "${String(error.params.additionalProperty)}"`;
  return `${field}: ${error.message}`;
}

/** Validates a parsed mutants file; `file` is its path (relative paths in it are resolved from its directory). */
export function planFromMutantsFile(value: unknown, file: string): MutationPlan {
  if (!validateSchema(value)) throw new MutantsFileError([...new Set((validateSchema.errors ?? []).map(describe))], file);
  const data = value as unknown as MutantsFile;
  const dir = dirname(resolve(file));
  const problems: string[] = [];
  const startTimeoutMs = Math.round((data.startTimeoutSeconds ?? 60) * 1000);
  const target = (entry: { profile: string; start?: string; cwd?: string }): MutantTarget => ({
    kind: 'profile',
    profile: resolve(dir, entry.profile),
    ...(entry.start ? { start: entry.start, cwd: resolve(dir, entry.cwd ?? '.'), startTimeoutMs } : {}),
  });
  const baselineTarget = target(data.baseline);
  const mutants: Mutant[] = data.mutants.map((m, i) => {
    if (data.mutants.findIndex((other) => other.name === m.name) !== i) problems.push(`mutants.${i}.name: "${m.name}" is used twice`);
    const profile = m.profile ?? data.baseline.profile;
    if (!m.start && resolve(dir, profile) === resolve(dir, data.baseline.profile)) {
      problems.push(`mutants.${i}: needs a start command or a profile of its own (as written it would test the baseline provider)`);
    }
    return {
      name: m.name,
      ...(m.description ? { description: m.description } : {}),
      ...(m.clause ? { clause: m.clause } : {}),
      expects: m.expects,
      only: m.only ?? areasOf(m.expects),
      target: target({ profile, start: m.start, cwd: m.cwd }),
    };
  });
  if (problems.length > 0) throw new MutantsFileError(problems, file);
  return { source: file, baseline: { target: baselineTarget }, mutants, defaultJobs: data.jobs ?? 1 };
}

export function loadMutantsFile(path: string): MutationPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MutantsFileError([`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`], path);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MutantsFileError([`not valid JSON: ${(error as Error).message}`], path);
  }
  return planFromMutantsFile(value, path);
}

// Reads a target profile and validates it against profile.schema.json; every problem names the
// field and the reason (the CLI exits 2 on a ProfileError).
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './profile.schema.json' with { type: 'json' };
import type { TargetProfile } from './types.ts';

export class ProfileError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid target profile (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateSchema = ajv.compile(schema);

function describe(error: ErrorObject): string | undefined {
  const field = error.instancePath === '' ? '(top level)' : error.instancePath.slice(1).replaceAll('/', '.');
  switch (error.keyword) {
    case 'additionalProperties':
      return `${field}: unknown member "${String(error.params.additionalProperty)}"`;
    case 'enum':
      return `${field}: ${error.message} (${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
    case 'if':
      return undefined; // the then/else branch says what is wrong
    case 'not':
      return `${field}: a public client (auth_method "none") has no client_secret`;
    default:
      return `${field}: ${error.message}`;
  }
}

export function validateProfile(value: unknown, source = 'inline'): TargetProfile {
  if (!validateSchema(value)) {
    const problems = (validateSchema.errors ?? []).map(describe).filter((p): p is string => p !== undefined);
    throw new ProfileError([...new Set(problems)], source);
  }
  const profile = value as unknown as TargetProfile;
  const problems: string[] = [];
  if (profile.users.length === 0 && (profile.clients.basic || profile.clients.post || profile.clients.public)) {
    problems.push('users: at least one test user is needed for the user flows');
  }
  const deviations = profile.expected_deviations ?? [];
  deviations.forEach((d, i) => {
    if (deviations.findIndex((e) => e.check === d.check) !== i) problems.push(`expected_deviations.${i}.check: "${d.check}" is listed twice`);
  });
  if (problems.length > 0) throw new ProfileError(problems, source);
  return profile;
}

export function loadProfile(path: string): TargetProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProfileError([`cannot read the file: ${(error as Error).message}`], path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProfileError([`not valid JSON: ${(error as Error).message}`], path);
  }
  return validateProfile(parsed, path);
}

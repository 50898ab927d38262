// One Ajv instance for every response schema, and error messages a reader can act on:
// "keys.0.d: private key material ..." rather than "must NOT be valid".
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import discovery from './discovery.schema.json' with { type: 'json' };
import jwks from './jwks.schema.json' with { type: 'json' };
import tokenResponse from './token-response.schema.json' with { type: 'json' };
import oidcTokenResponse from './oidc-token-response.schema.json' with { type: 'json' };
import errorResponse from './error-response.schema.json' with { type: 'json' };
import userinfo from './userinfo.schema.json' with { type: 'json' };
import introspectionResponse from './introspection-response.schema.json' with { type: 'json' };
import idTokenClaims from './id-token-claims.schema.json' with { type: 'json' };
import { SECRET_JSON_MEMBERS } from '../http/redact.ts';

const SCHEMAS = {
  'discovery': discovery,
  'jwks': jwks,
  'token-response': tokenResponse,
  'oidc-token-response': oidcTokenResponse,
  'error-response': errorResponse,
  'userinfo': userinfo,
  'introspection-response': introspectionResponse,
  'id-token-claims': idTokenClaims,
} as const;

export type SchemaName = keyof typeof SCHEMAS;
export const SCHEMA_NAMES = Object.keys(SCHEMAS) as SchemaName[];

export type ValidationResult = { valid: true; errors: [] } | { valid: false; errors: string[] };

// verbose: errors carry the failing schema, whose `description` is the readable reason.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats.default(ajv);
for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);

/** Validates a parsed response body against one of the published schemas. */
export function validatePayload(name: SchemaName, value: unknown): ValidationResult {
  const validate = ajv.getSchema(SCHEMAS[name].$id);
  if (!validate) throw new Error(`schema ${name} is not registered`);
  if (validate(value)) return { valid: true, errors: [] };
  return { valid: false, errors: describeErrors(validate.errors ?? []) };
}

export function describeErrors(errors: ErrorObject[]): string[] {
  // A failed oneOf/anyOf/contains also reports every branch or item; the summary is enough.
  const branches = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'contains').map((e) => `${e.schemaPath}/`);
  const messages = errors
    .filter((e) => e.keyword !== 'if' && !branches.some((prefix) => e.schemaPath.startsWith(prefix)))
    .map(describeError);
  return [...new Set(messages)];
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '(document)' : error.instancePath.slice(1).split('/').map(unescapePointer).join('.');
  const shown = SECRET_JSON_MEMBERS.has(path.split('.').at(-1) ?? '') ? '(value hidden)' : preview(error.data);
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  // The root description explains the schema, not this error.
  const reason = typeof description === 'string' && error.schemaPath.split('/').length > 2 ? description : undefined;
  switch (error.keyword) {
    case 'required':
      return `${path}: missing required member "${String(error.params.missingProperty)}"${reason ? ` (${reason})` : ''}`;
    case 'type':
      return `${path}: must be ${String(error.params.type)}, got ${describeType(error.data)} ${shown}`;
    case 'pattern':
      return `${path}: expected ${reason ?? `a match for ${String(error.params.pattern)}`}, got ${shown}`;
    case 'format':
      return `${path}: ${shown} is not a valid ${String(error.params.format)}`;
    case 'not':
    case 'contains':
    case 'minItems':
      return `${path}: ${reason ?? error.message ?? error.keyword}`;
    default:
      return `${path}: ${error.message ?? error.keyword}${reason ? ` (${reason})` : ''}`;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

// Reads and validates a provider configuration: JSON Schema first (shape and types), then the
// rules a schema cannot say (unique ids, secrets where a method needs them, known fault names).
// Every problem is reported with the field it concerns and the reason.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './config.schema.json' with { type: 'json' };
import type { ProviderConfig } from './types.ts';
import { FAULTS } from '../faults.ts';

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid provider configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateSchema = ajv.compile(schema);

function describeSchemaError(error: ErrorObject): string {
  const field = error.instancePath === '' ? '(top level)' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    return `${field}: unknown option "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'enum') {
    return `${field}: ${error.message} (${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  }
  return `${field}: ${error.message}`;
}

function checkRules(config: ProviderConfig): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  config.clients.forEach((client, i) => {
    const at = `clients.${i}`;
    if (seen.has(client.client_id)) problems.push(`${at}.client_id: duplicate client_id "${client.client_id}"`);
    seen.add(client.client_id);
    const method = client.token_endpoint_auth_method ?? 'client_secret_post';
    if (method === 'none' && client.client_secret !== undefined) {
      problems.push(`${at}.client_secret: a public client (token_endpoint_auth_method "none") has no secret`);
    }
    if (method !== 'none' && client.client_secret === undefined) {
      problems.push(`${at}.client_secret: required for token_endpoint_auth_method "${method}"`);
    }
    if (client.id_token_signed_response_alg === 'HS256' && client.client_secret === undefined) {
      problems.push(`${at}.id_token_signed_response_alg: HS256 needs a client_secret to sign with`);
    }
    if (client.userinfo_signed_response_alg === 'HS256' && client.client_secret === undefined) {
      problems.push(`${at}.userinfo_signed_response_alg: HS256 needs a client_secret to sign with`);
    }
    if (method === 'client_secret_jwt' && client.client_secret !== undefined && Buffer.byteLength(client.client_secret) < 32) {
      problems.push(`${at}.client_secret: client_secret_jwt (HS256) needs a secret of at least 32 bytes (RFC 7518 3.2)`);
    }
    if (method === 'none' && client.grant_types?.includes('client_credentials')) {
      problems.push(`${at}.grant_types: client_credentials is for confidential clients only (RFC 6749 4.4)`);
    }
    (client.redirect_uris ?? []).forEach((uri, j) => {
      // RFC 9700 2.6: no http redirect URIs except loopback for native apps.
      if (uri.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?\//.test(uri)) {
        problems.push(`${at}.redirect_uris.${j}: http is allowed only for loopback redirect URIs (RFC 9700 2.6)`);
      }
    });
    const needsRedirect = (client.response_types ?? ['code']).length > 0 &&
      (client.grant_types ?? ['authorization_code']).some((g) => g === 'authorization_code' || g === 'implicit');
    if (needsRedirect && (client.redirect_uris ?? []).length === 0) {
      problems.push(`${at}.redirect_uris: a client using authorization_code or implicit needs at least one redirect URI`);
    }
  });
  const users = new Set<string>();
  config.users.forEach((user, i) => {
    if (users.has(user.username)) problems.push(`users.${i}.username: duplicate username "${user.username}"`);
    users.add(user.username);
  });
  (config.faults ?? []).forEach((name, i) => {
    if (!FAULTS.some((f) => f.name === name)) {
      problems.push(`faults.${i}: unknown fault "${name}" (see \`oidc-conformance serve --list-faults\`)`);
    }
  });
  return problems;
}

/** Validates an already-parsed configuration object. Throws ConfigError listing every problem. */
export function validateProviderConfig(value: unknown, source = 'inline'): ProviderConfig {
  if (!validateSchema(value)) {
    throw new ConfigError((validateSchema.errors ?? []).map(describeSchemaError), source);
  }
  const config = value as unknown as ProviderConfig;
  const problems = checkRules(config);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return config;
}

/** Reads a JSON configuration file and validates it. */
export function loadProviderConfigFile(path: string): ProviderConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read the file: ${(error as Error).message}`], path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`not valid JSON: ${(error as Error).message}`], path);
  }
  return validateProviderConfig(parsed, path);
}

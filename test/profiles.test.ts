// The profiles in fixtures/profiles: valid against the published schema, referencing it through
// $schema, documented member by member, and (for the reference provider) equal to the profile
// the harness derives from the provider's own configuration, so the two cannot drift apart.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import { loadProfile } from '../harness/profile/load-profile.ts';
import schema from '../harness/profile/profile.schema.json' with { type: 'json' };
import { profileFromProviderConfig } from '../harness/run/embedded-target.ts';
import { DEFAULT_PROVIDER_CONFIG } from '../harness/run/run-command.ts';
import { loadProviderConfigFile } from '../reference-provider/index.ts';
import { ROOT } from './support.ts';

const PROFILES = join(ROOT, 'fixtures', 'profiles');
const SCHEMA_PATH = join(ROOT, 'harness', 'profile', 'profile.schema.json');
const REFERENCE_ISSUER = 'http://127.0.0.1:4400/oidc';

function raw(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROFILES, file), 'utf8')) as Record<string, unknown>;
}

describe.each(['reference-provider.json', 'example.json'])('fixtures/profiles/%s', (file) => {
  it('validates against profile.schema.json', () => {
    expect(() => loadProfile(join(PROFILES, file))).not.toThrow();
  });

  it('points $schema at the published schema file', () => {
    const ref = raw(file).$schema;
    expect(typeof ref).toBe('string');
    expect(resolve(dirname(join(PROFILES, file)), ref as string)).toBe(SCHEMA_PATH);
  });
});

describe('the reference provider profile', () => {
  it('equals the profile derived from fixtures/reference-provider/config.json (regenerate it when this fails)', () => {
    const { $schema: _schema, ...profile } = raw('reference-provider.json');
    const config = loadProviderConfigFile(join(ROOT, 'fixtures', 'reference-provider', 'config.json'));
    expect(profile).toEqual(profileFromProviderConfig(config, REFERENCE_ISSUER));
    expect(profile.issuer).toBe(REFERENCE_ISSUER);
  });

  it('is derived from the same configuration the embedded target uses', () => {
    expect(resolve(DEFAULT_PROVIDER_CONFIG)).toBe(join(ROOT, 'fixtures', 'reference-provider', 'config.json'));
  });
});

describe('the example profile', () => {
  it('uses every top-level member and every client role, so it shows all of them', () => {
    const example = raw('example.json');
    expect(Object.keys(example).sort()).toEqual(Object.keys(schema.properties).sort());
    expect(Object.keys(example.clients as object).sort()).toEqual(Object.keys(schema.properties.clients.properties).sort());
  });

  it('declares deviations only for checks that exist', async () => {
    const ids = new Set((await loadCatalogue(ROOT)).map((c) => c.id));
    const deviations = (raw('example.json').expected_deviations ?? []) as Array<{ check: string }>;
    expect(deviations.filter((d) => !ids.has(d.check))).toEqual([]);
  });

  it('has every member explained in fixtures/profiles/README.md', () => {
    const readme = readFileSync(join(PROFILES, 'README.md'), 'utf8');
    const members = [
      ...Object.keys(schema.properties),
      ...Object.keys(schema.properties.clients.properties),
      ...Object.keys(schema.definitions.client.properties),
      ...schema.definitions.steps.items.properties.action.enum,
      ...Object.keys(schema.properties.login.properties),
      ...Object.keys(schema.properties.features.properties),
      ...Object.keys(schema.properties.features.properties.endpoints.properties),
      ...Object.keys(schema.properties.policies.properties.refresh_token.properties).map((m) => `refresh_token.${m}`),
      'userinfo_body_token',
      ...Object.keys(schema.properties.timeouts.properties),
    ];
    expect(members.filter((m) => !readme.includes(`\`${m}\``))).toEqual([]);
  });
});

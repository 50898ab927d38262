// Starts the reference provider with the fixture configuration (plus overrides) for a test file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startProvider, type ProviderConfig, type StartOptions } from '../../index.ts';

export const FIXTURE_PATH = fileURLToPath(new URL('../../../fixtures/reference-provider/config.json', import.meta.url));

export function fixtureConfig(): ProviderConfig {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as ProviderConfig;
}

/** Secrets and users of the fixture, by role, so tests read like the scenario they describe. */
export function fixtureClient(clientId: string) {
  const client = fixtureConfig().clients.find((c) => c.client_id === clientId);
  if (!client) throw new Error(`no fixture client ${clientId}`);
  return client;
}

export const ALICE = { username: 'alice', password: 'wonderland-42', sub: 'user-alice-0001' };
export const BOB = { username: 'bob', password: 'builder-can-fix-it', sub: 'user-bob-0002' };

export async function startFixtureProvider(options: StartOptions & { config?: (c: ProviderConfig) => ProviderConfig } = {}) {
  const base = fixtureConfig();
  const config = options.config ? options.config(base) : base;
  return startProvider(config, { port: 0, ...options });
}

// The reference provider's public API: start it from a configuration, get its issuer, close it.
// It imports nothing from the harness or the suites; it stands alone.
import type { ProviderConfig } from './config/types.ts';
import { resolveConfig } from './config/defaults.ts';
import { validateProviderConfig } from './config/load-config.ts';
import { createContext, endpointsFor, type ProviderContext } from './context.ts';
import { createKeyStore } from './keys.ts';
import { buildServer } from './server.ts';
import { createMemoryStore } from './store/memory-store.ts';
import type { Store } from './store/store.ts';

export { ConfigError, loadProviderConfigFile, validateProviderConfig } from './config/load-config.ts';
export { FAULTS, listFaults } from './faults.ts';
export type { ProviderConfig } from './config/types.ts';

export interface StartOptions {
  /** Overrides the configuration's port (0: any free port). */
  port?: number;
  /** Overrides the configuration's listen host. */
  host?: string;
  /** Extra fault switches on top of the configuration's. */
  faults?: string[];
  /** Clock in seconds since the epoch (tests move it). */
  now?: () => number;
  store?: Store;
  logger?: boolean;
}

export interface RunningProvider {
  issuer: string;
  /** The address it listens on, e.g. http://127.0.0.1:4000 (may differ from a public issuer). */
  url: string;
  context: ProviderContext;
  close(): Promise<void>;
}

export async function startProvider(config: ProviderConfig, options: StartOptions = {}): Promise<RunningProvider> {
  const merged = validateProviderConfig({ ...config, faults: [...new Set([...(config.faults ?? []), ...(options.faults ?? [])])] });
  const host = options.host ?? merged.host ?? '127.0.0.1';
  const port = options.port ?? merged.port ?? 0;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const store = options.store ?? createMemoryStore(now);
  const keys = await createKeyStore(merged.keys ?? []);
  // The default issuer names the listen port, known only after listening: routes are mounted
  // under the issuer's path (always /oidc by default) and the issuer is filled in after listen.
  const resolved = resolveConfig(merged, { host, port });
  const context = createContext(resolved, store, keys, now);
  const app = buildServer(context, { logger: options.logger });
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  if (merged.issuer === undefined) {
    resolved.issuer = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/oidc`;
    context.endpoints = endpointsFor(resolved.issuer);
  }
  resolved.port = actualPort;
  return {
    issuer: resolved.issuer,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    context,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

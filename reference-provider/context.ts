// Everything an endpoint needs, built once at start: resolved configuration, store, keys, clock.
import type { ResolvedClient, ResolvedConfig, UserConfig } from './config/types.ts';
import type { KeyStore } from './keys.ts';
import type { Store } from './store/store.ts';

export interface Endpoints {
  discovery: string;
  authorization: string;
  token: string;
  userinfo: string;
  jwks: string;
  revocation: string;
  introspection: string;
  endSession: string;
}

export interface ProviderContext {
  config: ResolvedConfig;
  store: Store;
  keys: KeyStore;
  /** Seconds since the epoch; injectable so tests can move time. */
  now(): number;
  fault(name: string): boolean;
  client(clientId: string): ResolvedClient | undefined;
  userByName(username: string): UserConfig | undefined;
  userBySub(sub: string): UserConfig | undefined;
  endpoints: Endpoints;
  /** Path prefix of every endpoint (the issuer's path, e.g. `/oidc`). */
  basePath: string;
}

export function endpointsFor(issuer: string): Endpoints {
  return {
    discovery: `${issuer}/.well-known/openid-configuration`,
    authorization: `${issuer}/auth`,
    token: `${issuer}/token`,
    userinfo: `${issuer}/me`,
    jwks: `${issuer}/jwks`,
    revocation: `${issuer}/token/revocation`,
    introspection: `${issuer}/token/introspection`,
    endSession: `${issuer}/session/end`,
  };
}

export function createContext(config: ResolvedConfig, store: Store, keys: KeyStore, now: () => number): ProviderContext {
  const clients = new Map(config.clients.map((c) => [c.client_id, c]));
  const byName = new Map(config.users.map((u) => [u.username, u]));
  const bySub = new Map(config.users.map((u) => [u.sub, u]));
  return {
    config,
    store,
    keys,
    now,
    fault: (name) => config.faults.has(name),
    client: (id) => clients.get(id),
    userByName: (name) => byName.get(name),
    userBySub: (sub) => bySub.get(sub),
    endpoints: endpointsFor(config.issuer),
    basePath: new URL(config.issuer).pathname.replace(/\/$/, ''),
  };
}

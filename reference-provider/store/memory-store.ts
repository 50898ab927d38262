// The default store: a Map per kind, with expiry checked on read and a periodic sweep so memory
// stays bounded under load (the sweep timer never keeps the process alive).
import type { Store, StoreKind } from './store.ts';

interface Entry {
  value: unknown;
  expiresAt: number;
}

export function createMemoryStore(now: () => number = () => Date.now() / 1000, sweepEverySeconds = 60): Store {
  const maps = new Map<StoreKind, Map<string, Entry>>();
  const mapOf = (kind: StoreKind) => {
    let map = maps.get(kind);
    if (!map) maps.set(kind, (map = new Map()));
    return map;
  };
  const read = (kind: StoreKind, id: string): Entry | undefined => {
    const map = mapOf(kind);
    const entry = map.get(id);
    if (entry && entry.expiresAt <= now()) {
      map.delete(id);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const map of maps.values()) for (const [id, entry] of map) if (entry.expiresAt <= t) map.delete(id);
  }, sweepEverySeconds * 1000);
  sweep.unref();

  return {
    async get<T>(kind: StoreKind, id: string) {
      return read(kind, id)?.value as T | undefined;
    },
    async set(kind, id, value, ttlSeconds) {
      mapOf(kind).set(id, { value, expiresAt: now() + ttlSeconds });
    },
    async update(kind, id, value) {
      const entry = read(kind, id);
      if (entry) entry.value = value;
    },
    async delete(kind, id) {
      mapOf(kind).delete(id);
    },
    async consume<T extends { consumed?: boolean }>(kind: StoreKind, id: string) {
      const entry = read(kind, id);
      if (!entry) return undefined;
      const value = entry.value as T;
      const first = !value.consumed;
      value.consumed = true;
      return { value, first };
    },
    async close() {
      clearInterval(sweep);
      maps.clear();
    },
  };
}

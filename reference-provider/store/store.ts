// The provider's state behind one small interface, so that another backend (SQLite, Redis) can
// replace the in-memory default without touching the endpoints.

export type StoreKind = 'code' | 'session' | 'interaction' | 'accessToken' | 'refreshToken' | 'grant' | 'clientAssertion';

export interface Store {
  get<T>(kind: StoreKind, id: string): Promise<T | undefined>;
  /** Stores a record that disappears after ttlSeconds. */
  set<T>(kind: StoreKind, id: string, value: T, ttlSeconds: number): Promise<void>;
  /** Replaces a record's value, keeping its expiry; does nothing when the record is gone. */
  update<T>(kind: StoreKind, id: string, value: T): Promise<void>;
  delete(kind: StoreKind, id: string): Promise<void>;
  /**
   * Atomically marks a one-time record as used. Returns the record and whether this call was the
   * first to consume it, so that two parallel redemptions of one code cannot both succeed.
   */
  consume<T extends { consumed?: boolean }>(kind: StoreKind, id: string): Promise<{ value: T; first: boolean } | undefined>;
  close(): Promise<void>;
}

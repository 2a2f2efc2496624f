import type { CacheStore } from './store.js';

/** Apollo's KeyValueCache, structurally (Apollo Server and the gateway pin different versions of its package). */
export interface KeyValueCache<Value> {
  get(key: string): Promise<Value | undefined>;
  set(key: string, value: Value, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | undefined>;
}

/**
 * Apollo's cache interface over our store, for the automatic persisted
 * queries: a hash one replica learned is known to every replica sharing Redis.
 */
export function createKeyValueCache(store: CacheStore, prefix: string, defaultTtlSeconds = 86_400): KeyValueCache<string> {
  return {
    get: (key) => store.get(`${prefix}${key}`),
    set: (key, value, options) => store.set(`${prefix}${key}`, value, options?.ttl ?? defaultTtlSeconds),
    delete: (key) => store.delete([`${prefix}${key}`]).then(() => true),
  };
}

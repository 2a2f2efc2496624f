import { EventEmitter } from 'node:events';
import { LRUCache } from 'lru-cache';
import type { CacheStore } from './store.js';

/**
 * The in-process store used when no REDIS_URL is set: one replica, bounded in
 * bytes (values are what grows: answers, persisted queries) and in entries. A
 * value larger than `maxEntryBytes` is not kept at all, so one huge answer or
 * document cannot push everything else out.
 */
export function createMemoryStore(options: { maxEntries?: number; maxBytes?: number; maxEntryBytes?: number } = {}): CacheStore {
  const maxBytes = options.maxBytes ?? 268_435_456;
  const entries = new LRUCache<string, string>({
    max: options.maxEntries ?? 10_000,
    maxSize: maxBytes,
    // A commune dashboard of every indicator is about 3 MB of JSON (6 MB in memory): it must fit.
    maxEntrySize: Math.min(options.maxEntryBytes ?? 33_554_432, maxBytes),
    // UTF-16 in memory: two bytes a character, and the key beside it.
    sizeCalculation: (value, key) => 2 * (value.length + key.length),
  });
  const sets = new LRUCache<string, Set<string>>({ max: options.maxEntries ?? 10_000 });
  const channels = new EventEmitter();
  channels.setMaxListeners(0);
  return {
    get: async (key) => entries.get(key),
    has: async (key) => entries.has(key),
    set: async (key, value, ttlSeconds) => {
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    setIfAbsent: async (key, value, ttlMs) => {
      if (entries.has(key)) return false;
      entries.set(key, value, { ttl: ttlMs });
      return true;
    },
    delete: async (keys) => {
      for (const key of keys) {
        entries.delete(key);
        sets.delete(key);
      }
    },
    addToSet: async (key, members, ttlSeconds) => {
      const set = sets.get(key) ?? new Set<string>();
      for (const member of members) set.add(member);
      const remaining = sets.getRemainingTTL(key);
      sets.set(key, set, { ttl: Math.max(ttlSeconds * 1000, Number.isFinite(remaining) ? remaining : 0) });
    },
    members: async (key) => [...(sets.get(key) ?? [])],
    publish: async (channel, message) => {
      channels.emit(channel, message);
    },
    subscribe: async (channel, onMessage) => {
      channels.on(channel, onMessage);
    },
    ready: async () => undefined,
    close: async () => {
      channels.removeAllListeners();
      entries.clear();
      sets.clear();
    },
  };
}

import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { CacheStore } from './store.js';

export interface RedisStoreOptions {
  /** One redis:// URL, or several comma-separated for a Redis Cluster. */
  readonly url: string;
  /** No request waits longer than this for Redis (ms). */
  readonly commandTimeoutMs?: number;
}

/**
 * A client for one redis:// URL, or several comma-separated for a Redis
 * Cluster. Commands fail fast instead of queueing while Redis is away (no
 * offline queue, a short command timeout) and it reconnects in the background.
 */
export function connectRedis(
  url: string,
  options: { readonly commandTimeoutMs?: number; readonly extra?: RedisOptions } = {},
): Redis | Cluster {
  const urls = url
    .split(',')
    .map((one) => one.trim())
    .filter(Boolean);
  const common: RedisOptions = {
    commandTimeout: options.commandTimeoutMs ?? 250,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    // Commands issued in one tick travel together: an entity fetch's reads cost one round trip.
    enableAutoPipelining: true,
  };
  const extra = options.extra ?? {};
  const client =
    urls.length > 1
      ? new Cluster(
          urls.map((one) => ({ host: new URL(one).hostname, port: Number(new URL(one).port || 6379) })),
          {
            redisOptions: { ...common, ...extra },
            enableOfflineQueue: extra.enableOfflineQueue ?? false,
            enableAutoPipelining: true,
            clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
          },
        )
      : new Redis(urls[0]!, { ...common, ...extra });
  // Errors surface on each command; the client's own error events would otherwise crash the process.
  client.on('error', () => undefined);
  return client;
}

/** How long `ready()` waits for Redis unless told otherwise. */
export const defaultReadyTimeoutMs = 5_000;

/** Resolves on the client's next `ready` event, or at once if it is ready now; rejects after `timeoutMs`. */
function whenReady(client: Redis | Cluster, url: string, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(deadline);
      resolve();
    };
    const deadline = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis at ${url} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}

/**
 * A store on Redis through ioredis (see connectRedis). Keys that are read
 * together are not assumed to share a slot: multi-key work is pipelined key
 * by key, which a cluster accepts.
 */
export function createRedisStore(options: RedisStoreOptions): CacheStore {
  const connect = (extra: RedisOptions = {}) =>
    connectRedis(options.url, { ...(options.commandTimeoutMs ? { commandTimeoutMs: options.commandTimeoutMs } : {}), extra });
  const client = connect();
  let subscriber: Redis | Cluster | undefined;
  const handlers = new Map<string, Array<(message: string) => void>>();

  return {
    get: async (key) => (await client.get(key)) ?? undefined,
    has: async (key) => (await client.exists(key)) > 0,
    set: async (key, value, ttlSeconds) => {
      await client.set(key, value, 'EX', Math.max(1, Math.round(ttlSeconds)));
    },
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK',
    delete: async (keys) => {
      // One command per key (batched by auto-pipelining): in a cluster the keys may live on different nodes.
      await Promise.all(keys.map((key) => client.del(key)));
    },
    addToSet: async (key, members, ttlSeconds) => {
      if (members.length === 0) return;
      // GT: a set never expires sooner than an entry it lists.
      await client
        .multi()
        .sadd(key, ...members)
        .expire(key, Math.max(1, Math.round(ttlSeconds)), 'GT')
        .expire(key, Math.max(1, Math.round(ttlSeconds)), 'NX')
        .exec();
    },
    members: (key) => client.smembers(key),
    publish: async (channel, message) => {
      await client.publish(channel, message);
    },
    subscribe: async (channel, onMessage) => {
      if (!subscriber) {
        // A subscribing connection can do nothing else; it queues the subscription until connected and re-subscribes after a reconnect.
        subscriber = connect({ enableOfflineQueue: true, commandTimeout: undefined });
        subscriber.on('message', (from: string, message: string) => handlers.get(from)?.forEach((handler) => handler(message)));
      }
      handlers.set(channel, [...(handlers.get(channel) ?? []), onMessage]);
      await subscriber.subscribe(channel);
    },
    ready: (timeoutMs = defaultReadyTimeoutMs) => whenReady(client, options.url, timeoutMs),
    close: async () => {
      client.disconnect();
      subscriber?.disconnect();
    },
  };
}

import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { CacheStore } from './store.js';

export interface RedisStoreOptions {
  /** One redis:// URL, or several comma-separated for a Redis Cluster. */
  readonly url: string;
  /** No request waits longer than this for Redis (ms). */
  readonly commandTimeoutMs?: number;
}

/**
 * The nodes of a Redis Cluster listed in one REDIS_URL, and what every
 * connection to them needs: the credentials and TLS of the first URL (a
 * cluster has one password, set on every node).
 */
export function clusterOf(urls: readonly string[]): {
  readonly nodes: Array<{ host: string; port: number }>;
  readonly options: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
} {
  const parsed = urls.map((url) => new URL(url));
  const first = parsed[0]!;
  return {
    // An IPv6 address is written in brackets in a URL, and without them to a socket.
    nodes: parsed.map((url) => ({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379) })),
    options: {
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
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
  let client: Redis | Cluster;
  if (urls.length > 1) {
    const cluster = clusterOf(urls);
    client = new Cluster(cluster.nodes, {
      // Every node's connection, and those to nodes the cluster names later, carry the credentials.
      redisOptions: { ...common, ...cluster.options, ...extra },
      enableOfflineQueue: extra.enableOfflineQueue ?? false,
      enableAutoPipelining: true,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
  } else client = new Redis(urls[0]!, { ...common, ...extra });
  // Errors surface on each command; the client's own error events would otherwise crash the process.
  client.on('error', () => undefined);
  return client;
}

/** REDIS_URL as messages may show it: any password replaced by ***. */
export const withoutPassword = (url: string) => url.replace(/\/\/([^:@/,]*):[^@/,]*@/g, '//$1:***@');

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
      reject(new Error(`Redis at ${withoutPassword(url)} was not ready within ${timeoutMs} ms`));
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

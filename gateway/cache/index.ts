import { defaultStaleSeconds } from '../config.js';
import { createEntityCache, type EntityCache } from './entity-cache.js';
import { createInvalidation, entityKeyFields, type Invalidation } from './invalidation.js';
import { createKeyValueCache, type KeyValueCache } from './key-value-cache.js';
import { persistedQueryPrefix } from './keys.js';
import { createResponseCache, type ResponseCache } from './response-cache.js';
import { resilient, type CacheStatistics, type CacheStore } from './store.js';

/** Where the gateway caches, under which key prefix (keys.ts: cacheKeyPrefix). */
export interface CacheOptions {
  readonly store: CacheStore;
  readonly keyPrefix: string;
  /** How long the hottest answers stay in process (seconds; default 5). */
  readonly localSeconds?: number;
  /**
   * The stale window (STALE_IF_ERROR_SECONDS): how long past its max-age, or
   * after an invalidation, an aggregate answer is still served, marked stale,
   * while it is recomputed or while a subgraph it needs fails (seconds; 0:
   * never; none: the configuration's default, as deployed).
   */
  readonly staleSeconds?: number;
}

/** The gateway's caches: answers, entities and persisted queries, and their invalidation. */
export interface Caches {
  readonly response: ResponseCache;
  readonly entity: EntityCache;
  /** Automatic persisted queries, so a hash one replica learned is known to every replica. */
  readonly persistedQueries: KeyValueCache<string>;
  readonly invalidation: Invalidation;
}

/**
 * Every layer over the one store, its failures counted per layer, and this
 * replica subscribed to the invalidations others (and the tools) publish.
 */
export async function createCaches(
  options: CacheOptions,
  context: { readonly statistics: CacheStatistics; readonly supergraphSdl: string; readonly personalTypes: ReadonlySet<string> },
): Promise<Caches> {
  const { store, keyPrefix } = options;
  const { statistics, supergraphSdl } = context;
  const stores = { response: resilient(store, statistics, 'response'), entity: resilient(store, statistics, 'entity') };
  const response = createResponseCache({
    store: stores.response,
    prefix: keyPrefix,
    counters: statistics,
    ...(options.localSeconds === undefined ? {} : { localSeconds: options.localSeconds }),
    staleSeconds: options.staleSeconds ?? defaultStaleSeconds,
  });
  const entity = createEntityCache({
    store: stores.entity,
    prefix: keyPrefix,
    counters: statistics,
    keyFieldsOf: entityKeyFields(supergraphSdl),
    personalTypes: context.personalTypes,
  });
  // This replica's answers are told of every invalidation: it marks its own copies stale and recomputes the most asked.
  const invalidation = createInvalidation({ stores, keyPrefix, supergraphSdl, listener: response });
  await invalidation.subscribe();
  const persistedQueries = createKeyValueCache(resilient(store, statistics, 'apq'), persistedQueryPrefix(keyPrefix));
  return { response, entity, persistedQueries, invalidation };
}

import { readCacheConfig } from '../config.js';
import { readSupergraph } from '../supergraph.js';
import { cacheKeyPrefix, publishInvalidation } from './invalidation.js';
import { redisStore } from './redis-store.js';
import { createResponseCache } from '../plugins/response-cache.js';
import { createEntityCache } from '../plugins/entity-cache.js';
import { entityKeyFields } from './invalidation.js';
import { CacheStatistics, resilient } from './store.js';

/** How long a tool waits for Redis, to connect and for each command, before saying it cannot reach it. */
const patienceMs = 2_000;

const unreachable = (redisUrl: string, subgraphs: readonly string[]) =>
  `could not reach Redis at ${redisUrl}: cached answers of ${subgraphs.join(', ')} expire on their own`;

/**
 * Tells the gateways that data of these subgraphs changed (a seed, a
 * reconciliation, a correction): drops the cached answers they served and
 * publishes the news for every replica. Without REDIS_URL each gateway keeps
 * its cache in its own process, out of reach: says so and does nothing.
 */
export async function announceDataChange(subgraphs: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const config = readCacheConfig(env);
  if (!config.redisUrl)
    return 'no shared cache to invalidate (REDIS_URL is not set; a gateway without it keeps its cache in its own process)';
  const supergraphSdl = readSupergraph();
  const keyPrefix = cacheKeyPrefix(config.cachePrefix, supergraphSdl);
  const statistics = new CacheStatistics();
  const raw = redisStore({ url: config.redisUrl, commandTimeoutMs: patienceMs });
  const store = resilient(raw, statistics, 'invalidation');
  try {
    // Without an offline queue, a command sent before the connection is ready fails at once.
    const reached = await raw.ready(patienceMs).then(
      () => true,
      () => false,
    );
    if (!reached) return unreachable(config.redisUrl, subgraphs);
    const dropped = await createResponseCache({ store, prefix: keyPrefix, counters: statistics }).invalidateSubgraphs(subgraphs);
    await createEntityCache({
      store,
      prefix: keyPrefix,
      counters: statistics,
      keyFieldsOf: entityKeyFields(supergraphSdl),
      personalTypes: new Set(),
    }).invalidateSubgraphs(subgraphs);
    await publishInvalidation(store, keyPrefix, { subgraphs });
    const errors = statistics.snapshot().invalidation?.errors ?? 0;
    if (errors > 0) return unreachable(config.redisUrl, subgraphs);
    return `dropped ${dropped} cached answers of ${subgraphs.join(', ')} and told every gateway`;
  } finally {
    await raw.close();
  }
}

import { readCacheConfig } from '../config.js';
import { readSupergraph } from '../supergraph.js';
import { createInvalidation } from './invalidation.js';
import { cacheKeyPrefix } from './keys.js';
import { createRedisStore } from './redis-store.js';
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
  const raw = createRedisStore({ url: config.redisUrl, commandTimeoutMs: patienceMs });
  const store = resilient(raw, statistics, 'invalidation');
  try {
    // Without an offline queue, a command sent before the connection is ready fails at once.
    const reached = await raw.ready(patienceMs).then(
      () => true,
      () => false,
    );
    if (!reached) return unreachable(config.redisUrl, subgraphs);
    // Dropped here first, so that nothing stale outlives a change even while no gateway is running.
    const invalidation = createInvalidation({ stores: { response: store, entity: store }, keyPrefix, supergraphSdl });
    const dropped = await invalidation.drop({ subgraphs });
    await invalidation.publish({ subgraphs });
    const errors = statistics.snapshot().invalidation?.errors ?? 0;
    if (errors > 0) return unreachable(config.redisUrl, subgraphs);
    return `dropped ${dropped} cached answers of ${subgraphs.join(', ')} and told every gateway`;
  } finally {
    await raw.close();
  }
}

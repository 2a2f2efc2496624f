import { readCacheConfig } from '../config.js';
import { readSupergraph } from '../supergraph.js';
import { createInvalidation } from './invalidation.js';
import { cacheKeyPrefix } from './keys.js';
import { createRedisStore, withoutPassword } from './redis-store.js';
import { CacheStatistics, resilient } from './store.js';

/** How long a tool waits for Redis, to connect and for each command, before saying it cannot reach it. */
const patienceMs = 2_000;

const unreachable = (redisUrl: string, subgraphs: readonly string[]) =>
  `could not reach Redis at ${withoutPassword(redisUrl)}: cached answers of ${subgraphs.join(', ')} expire on their own`;

/**
 * Tells the gateways that data of these subgraphs changed (a seed, a
 * reconciliation, a correction): marks stale the cached answers they served
 * (each is served, stale, until a gateway has recomputed it) and publishes the
 * news for every replica. Without REDIS_URL each gateway keeps its cache in
 * its own process, out of reach: says so and does nothing.
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
    // Marked here first, so that no answer from before the change passes for fresh, even while no gateway is running.
    const invalidation = createInvalidation({ stores: { response: store, entity: store }, keyPrefix, supergraphSdl });
    const marked = await invalidation.drop({ subgraphs });
    await invalidation.publish({ subgraphs });
    const errors = statistics.snapshot().invalidation?.errors ?? 0;
    if (errors > 0) return unreachable(config.redisUrl, subgraphs);
    return `marked ${marked} cached answers of ${subgraphs.join(', ')} stale (served until recomputed) and told every gateway`;
  } finally {
    await raw.close();
  }
}

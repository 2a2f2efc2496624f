/**
 * The project's gateway as deployed: production settings, tokens verified,
 * limits, rate limiting in Redis, metrics, the audit trail in PostgreSQL;
 * caches on (Redis) or off, as CACHE says.
 */
import { readGatewayConfig } from '../../gateway/config.js';
import { cacheKeyPrefix } from '../../gateway/cache/keys.js';
import { connectRedis, createRedisStore } from '../../gateway/cache/redis-store.js';
import { openGatewayDatabase } from '../../gateway/database.js';
import { createGatewaySecurity } from '../../gateway/security.js';
import { startGateway } from '../../gateway/server.js';
import { readSupergraph } from '../../gateway/supergraph.js';
import { ready } from '../support/child.js';

const config = readGatewayConfig();
const supergraphSdl = readSupergraph();
const keyPrefix = cacheKeyPrefix(config.cachePrefix, supergraphSdl);
const redis = connectRedis(config.redisUrl!);
const store = config.cacheEnabled ? createRedisStore({ url: config.redisUrl! }) : undefined;
await store?.ready();
const database = await openGatewayDatabase({ url: config.security.auditDatabaseUrl, dataDir: '' });
const gateway = await startGateway({
  port: 0,
  host: '127.0.0.1',
  supergraphSdl,
  subgraphUrls: config.subgraphUrls,
  ...(store ? { cache: { store, keyPrefix } } : {}),
  security: await createGatewaySecurity(config.security, { database, redis, keyPrefix }),
});
ready({ url: gateway.url }, async () => {
  await gateway.stop();
  await store?.close();
  redis.disconnect();
  await database.close();
});

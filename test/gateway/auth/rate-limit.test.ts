import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../gateway/cache/redis-store.js';
import type { RunningGateway } from '../../../gateway/server.js';
import { createTestSecurity, type TestSecurity } from '../../support/security.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../../support/redis.js';
import { bearer, post, startTestSystem, type TestSystem, startReplica } from '../../support/system.js';

/** A client made as scripts/start.ts makes it (no offline queue), once it is connected. */
async function productionRedis(): Promise<Redis | Cluster> {
  // A loaded test machine can stall a command past production's 250 ms, and the count would then fall back to memory.
  const client = connectRedis(redisUrl, { commandTimeoutMs: 5_000 });
  // Without an offline queue, commands sent before the connection is ready would be counted in memory instead.
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

describe('rate limiting in Redis', () => {
  const prefix = uniquePrefix('rate');
  // What replicas of one deployment share: the token and subgraph-signing secrets, the budget, the key prefix.
  const environment = {
    RATE_LIMIT_PER_MINUTE: '5',
    AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
    AUTH_JWT_ISSUER: 'rate-limit-test',
    AUTH_JWT_AUDIENCE: 'vn-gateway',
    GATEWAY_SIGNING_SECRET: randomBytes(32).toString('base64url'),
  };
  const clients: Array<Redis | Cluster> = [];
  let inspector: Redis;
  let security: TestSecurity;
  let replicaSecurity: TestSecurity;
  let test: TestSystem;
  let replica: RunningGateway;
  beforeAll(async () => {
    clients.push(await productionRedis(), await productionRedis());
    inspector = new Redis(redisUrl);
    security = await createTestSecurity({ environment, keyPrefix: prefix, redis: clients[0]! });
    test = await startTestSystem({ security });
    // Its own limiter and Redis connection; the gateway database is shared, as replicas share AUDIT_DATABASE_URL.
    replicaSecurity = await createTestSecurity({ environment, keyPrefix: prefix, redis: clients[1]!, database: security.database });
    replica = await startReplica(test, {
      security: replicaSecurity.security,
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
    await replicaSecurity?.close();
    await security?.close();
    for (const client of clients) client.disconnect();
    inspector?.disconnect();
    await deleteKeys(prefix);
  });

  it('counts each client across replicas in Redis, and answers 429 with Retry-After past the limit', async () => {
    expect(replicaSecurity.security.rateLimiter).not.toBe(security.security.rateLimiter);
    const client = bearer(await security.token({ subject: 'busy-dashboard', scopes: [] }));
    const query = '{ tasks { number } }';
    for (let request = 0; request < 3; request++) expect((await test.queryAs(client, query)).status).toBe(200);
    for (let request = 0; request < 2; request++) expect((await post(replica.url, query, {}, client)).status).toBe(200);
    // One count in Redis for both replicas: `${prefix}:rate` (rate-limit.ts), then the client (rateLimitKey: `${via}:${subject}`).
    const key = `${prefix}:rate:jwt:busy-dashboard`;
    expect(await inspector.get(key)).toBe('5');
    const refused = await test.queryAs(client, query);
    expect(refused).toMatchObject({ status: 429, errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    const retryAfter = Number(refused.headers!.get('retry-after'));
    expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBe(retryAfter);
    // The window opened with the first request and lasts a minute; Retry-After is what is left of it.
    const left = await inspector.pttl(key);
    expect(left).toBeGreaterThan(0);
    expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil(left / 1000));
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The replica refuses too: the budget is spent wherever it was spent.
    expect(await post(replica.url, query, {}, client)).toMatchObject({ status: 429, errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    // Another client has its own count.
    const other = bearer(await security.token({ subject: 'another-system', scopes: [] }));
    expect((await post(replica.url, query, {}, other)).status).toBe(200);
    expect(await inspector.get(`${prefix}:rate:jwt:another-system`)).toBe('1');
  });
});

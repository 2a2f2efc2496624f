import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../gateway/server.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { createTestSecurity, type TestSecurity } from '../../support/security.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../../support/redis.js';
import { bearer, post, startTestSystem, type TestSystem } from '../../support/system.js';

describe('rate limiting in Redis', () => {
  const prefix = uniquePrefix('rate');
  let redis: Redis;
  let security: TestSecurity;
  let test: TestSystem;
  let replica: RunningGateway;
  beforeAll(async () => {
    redis = new Redis(redisUrl);
    security = await createTestSecurity({ environment: { RATE_LIMIT_PER_MINUTE: '5' }, keyPrefix: prefix, redis });
    test = await startTestSystem({ security });
    replica = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: readSupergraph(),
      subgraphUrls: Object.fromEntries([...test.system.subgraphs].map(([name, server]) => [name, server.url])),
      security: security.security,
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
    await security?.close();
    redis?.disconnect();
    await deleteKeys(prefix);
  });

  it('counts each client across replicas, and answers 429 with Retry-After past the limit', async () => {
    const client = bearer(await security.token({ subject: 'busy-dashboard', scopes: [] }));
    const query = '{ tasks { number } }';
    for (let request = 0; request < 3; request++) expect((await test.queryAs(client, query)).status).toBe(200);
    for (let request = 0; request < 2; request++) expect((await post(replica.url, query, {}, client)).status).toBe(200);
    const refused = await test.queryAs(client, query);
    expect(refused).toMatchObject({ status: 429, errors: [{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }] });
    const retryAfter = Number(refused.headers!.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client has its own count.
    const other = bearer(await security.token({ subject: 'another-system', scopes: [] }));
    expect((await post(replica.url, query, {}, other)).status).toBe(200);
  });
});

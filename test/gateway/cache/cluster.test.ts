import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishInvalidation } from '../../../gateway/cache/invalidation.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { entityTag } from '../../../gateway/cache/keys.js';
import { OwnRedisCluster, patientCommandTimeoutMs } from '../../support/redis.js';
import { eventually, startTestSystem, type GraphQLAnswer, type TestSystem } from '../../support/system.js';

describe('caches on a three-node Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let store: CacheStore;
  let test: TestSystem;
  beforeAll(async () => {
    cluster = await OwnRedisCluster.start();
    store = createRedisStore({ url: cluster.url, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    test = await startTestSystem({ cache: { store, keyPrefix: 'cluster' } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await cluster?.stop();
  });

  it('keeps values, sets and deletions across the nodes', async () => {
    const keys = Array.from({ length: 30 }, (_, index) => `cluster:k${index}`);
    await Promise.all(keys.map((key) => store.set(key, key, 60)));
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys);
    await store.addToSet('cluster:set', keys, 60);
    expect((await store.members('cluster:set')).sort()).toEqual([...keys].sort());
    await store.delete(keys);
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys.map(() => undefined));
  });

  it('serves the entity cache, with reads that span hash slots, and hears invalidations', async () => {
    const query = `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode ehrCoverage { value } } }`;
    const first = await test.query(query);
    expect(first.errors).toBeUndefined();
    expect(test.system.gateway.statistics.snapshot().entity).toEqual({ hits: 0, misses: 34, errors: 0 });
    const key = { unitCode: '01', period: '2025-Q4' };
    // The health subgraph's entry for Hà Nội; the entries and their list may live on different nodes.
    const entries = await store.members(entityTag('cluster', 'AreaStats', key));
    expect(entries).toHaveLength(1);
    await publishInvalidation(store, 'cluster', { entities: [{ type: 'AreaStats', key }] });
    expect(
      await eventually(async () => (await Promise.all(entries.map((entry) => store.get(entry)))).every((value) => value === undefined)),
    ).toBe(true);
    const before = test.system.gateway.statistics.snapshot().entity!;
    // The whole answer goes stale too (hits of the response cache never reach the entity cache): served at once
    // while one recomputation renews it, which asks the entity cache.
    let second: GraphQLAnswer | undefined;
    expect(await eventually(async () => (second = await test.query(query)).headers!.get('x-cache') === 'STALE')).toBe(true);
    expect(second!.data).toEqual(first.data);
    let renewed: GraphQLAnswer | undefined;
    expect(await eventually(async () => (renewed = await test.query(query)).headers!.get('x-cache') === 'HIT')).toBe(true);
    expect(renewed!.data).toEqual(first.data);
    const after = test.system.gateway.statistics.snapshot().entity!;
    expect(after.hits - before.hits).toBe(33);
    expect(after.misses - before.misses).toBe(1);
    expect(after.errors).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishInvalidation } from '../../../gateway/cache/invalidation.js';
import { redisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../../support/redis.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

const provinces = `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode eIdAdoption { value suppressed } ehrCoverage { numerator denominator value suppressed } } }`;

describe('entity cache under the query plan', () => {
  const prefix = uniquePrefix('entity');
  let store: CacheStore;
  let test: TestSystem;
  beforeAll(async () => {
    store = redisStore({ url: redisUrl });
    test = await startTestSystem({ cache: { store, keyPrefix: prefix } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await deleteKeys(prefix);
  });

  const entityCounts = () => ({ ...{ hits: 0, misses: 0 }, ...test.system.gateway.statistics.snapshot().entity });

  it('after one province is invalidated, asks the subgraph for that one representation only', async () => {
    const first = await test.query(provinces);
    expect(first.errors).toBeUndefined();
    const afterFirst = entityCounts();
    expect(afterFirst.misses).toBe(34);

    await publishInvalidation(store, prefix, { entities: [{ type: 'AreaStats', key: { unitCode: '01', period: '2025-Q4' } }] });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const second = await test.query(provinces);
    expect(second.headers!.get('x-cache')).toBe('MISS');
    const afterSecond = entityCounts();
    expect(afterSecond.misses - afterFirst.misses).toBe(1);
    expect(afterSecond.hits - afterFirst.hits).toBe(33);
    expect(second.data).toEqual(first.data);
  });

  it('merges cached and fetched entities in order for a mix of periods', async () => {
    const series = `{ areaSeries(unitCode: "79", from: "2025-Q2", to: "2025-Q4") { period ehrCoverage { numerator value } } }`;
    const uncached = await test.query(series);
    await publishInvalidation(store, prefix, { entities: [{ type: 'AreaStats', key: { unitCode: '79', period: '2025-Q3' } }] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const merged = await test.query(series);
    expect(merged.data).toEqual(uncached.data);
  });
});

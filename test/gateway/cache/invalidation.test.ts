import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDataChange } from '../../../gateway/cache/announce.js';
import { cacheKeyPrefix, subgraphsOfType } from '../../../gateway/cache/invalidation.js';
import { redisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../../support/redis.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

describe('invalidation', () => {
  it('finds the subgraphs that define a type in the supergraph', () => {
    expect(subgraphsOfType(readSupergraph(), 'AreaStats').sort()).toEqual(['agriculture', 'civil-service', 'health', 'population']);
    expect(subgraphsOfType(readSupergraph(), 'Task')).toEqual(['indicators']);
    expect(subgraphsOfType(readSupergraph(), 'NoSuchType')).toEqual([]);
  });

  it('says there is nothing to reach without REDIS_URL', async () => {
    expect(await announceDataChange(['health'], {})).toMatch(/REDIS_URL is not set/);
  });

  describe('after a data change announced by a tool', () => {
    const cachePrefix = uniquePrefix('announce').replaceAll(':', '-');
    let store: CacheStore;
    let test: TestSystem;
    beforeAll(async () => {
      store = redisStore({ url: redisUrl });
      test = await startTestSystem({ cache: { store, keyPrefix: cacheKeyPrefix(cachePrefix, readSupergraph()) } });
    });
    afterAll(async () => {
      await test?.stop();
      await store?.close();
      await deleteKeys(cachePrefix);
    });

    it('drops the cached answers of the changed agency in every gateway', async () => {
      const query = `{ areaStats(level: NATION, period: "2025") { ehrCoverage { value } } }`;
      await test.query(query);
      expect((await test.query(query)).headers!.get('x-cache')).toBe('HIT');
      expect(await announceDataChange(['health'], { REDIS_URL: redisUrl, CACHE_PREFIX: cachePrefix })).toMatch(/^dropped 1 cached answers of health/);
      expect((await test.query(query)).headers!.get('x-cache')).toBe('MISS');
    });
  });
});

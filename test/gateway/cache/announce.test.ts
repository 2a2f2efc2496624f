import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDataChange } from '../../../gateway/cache/announce.js';
import { cacheKeyPrefix } from '../../../gateway/cache/keys.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { deleteKeys, freePort, observedStore, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually, startTestSystem, type TestSystem } from '../../support/system.js';

describe('announcing a data change', () => {
  it('says there is nothing to reach without REDIS_URL', async () => {
    expect(await announceDataChange(['health'], {})).toMatch(/REDIS_URL is not set/);
  });

  it('says it could not reach a Redis that does not answer', async () => {
    // Nothing listens on a port just freed.
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    expect(await announceDataChange(['health'], { REDIS_URL: nowhere })).toBe(
      `could not reach Redis at ${nowhere}: cached answers of health expire on their own`,
    );
  });

  describe('after a data change announced by a tool', () => {
    const cachePrefix = uniquePrefix('announce').replaceAll(':', '-');
    let store: CacheStore;
    let handled: string[];
    let test: TestSystem;
    beforeAll(async () => {
      store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
      await store.ready();
      const observed = observedStore(store);
      handled = observed.handled;
      test = await startTestSystem({ cache: { store: observed.store, keyPrefix: cacheKeyPrefix(cachePrefix, readSupergraph()) } });
    });
    afterAll(async () => {
      await test?.stop();
      await store?.close();
      await deleteKeys(cachePrefix);
    });

    it('marks stale the cached answers of the changed agency in every gateway', async () => {
      const query = `{ areaStats(level: NATION, period: "2025") { ehrCoverage { value } } }`;
      expect((await test.query(query)).headers!.get('x-cache')).toBe('MISS');
      expect((await test.query(query)).headers!.get('x-cache')).toBe('HIT');
      expect(await announceDataChange(['health'], { REDIS_URL: redisUrl, CACHE_PREFIX: cachePrefix })).toBe(
        'marked 1 cached answers of health stale (served until recomputed) and told every gateway',
      );
      // The tool marked the entry in Redis before publishing; the gateway marks its in-memory copy as the message arrives.
      expect(await eventually(async () => handled.length === 1)).toBe(true);
      expect((await test.query(query)).headers!.get('x-cache')).toBe('STALE');
    });
  });
});

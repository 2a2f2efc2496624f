import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../../gateway/cache/memory-store.js';
import { redisStore } from '../../../gateway/cache/redis-store.js';
import { CacheStatistics, resilient, type CacheStore } from '../../../gateway/cache/store.js';
import { deleteKeys, OwnRedis, redisUrl, uniquePrefix } from '../../support/redis.js';

const prefix = uniquePrefix('store');
afterAll(() => deleteKeys(prefix));

describe.each([
  ['in-process LRU', () => memoryStore()],
  ['Redis', () => redisStore({ url: redisUrl })],
])('cache store: %s', (_name, create) => {
  let store: CacheStore;
  const key = (name: string) => `${prefix}:${_name}:${name}`;
  afterAll(() => store?.close());

  it('keeps a value until it is deleted', async () => {
    store = create();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.get(key('a'))).toBeUndefined();
    await store.set(key('a'), 'Hà Nội', 60);
    expect(await store.get(key('a'))).toBe('Hà Nội');
    await store.delete([key('a'), key('missing')]);
    expect(await store.get(key('a'))).toBeUndefined();
  });

  it('lets a value expire after its time to live', async () => {
    await store.set(key('short'), 'x', 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await store.get(key('short'))).toBeUndefined();
  });

  it('keeps sets of members, and deletes them', async () => {
    await store.addToSet(key('set'), ['k1', 'k2'], 60);
    await store.addToSet(key('set'), ['k2', 'k3'], 60);
    expect((await store.members(key('set'))).sort()).toEqual(['k1', 'k2', 'k3']);
    await store.delete([key('set')]);
    expect(await store.members(key('set'))).toEqual([]);
  });

  it('delivers a published message to a subscriber', async () => {
    const received: string[] = [];
    await store.subscribe(key('channel'), (message) => received.push(message));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.publish(key('channel'), 'invalidate AreaStats');
    for (let wait = 0; wait < 50 && received.length === 0; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual(['invalidate AreaStats']);
  });
});

describe('a Redis that goes away', () => {
  it('turns every failure into a miss, counted, and works again when Redis is back', async () => {
    const own = await OwnRedis.start();
    const statistics = new CacheStatistics();
    const store = resilient(redisStore({ url: own.url, commandTimeoutMs: 200 }), statistics, 'response');
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.set('k', 'v', 60);
      expect(await store.get('k')).toBe('v');

      await own.stop();
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'w', 60);
      expect(await store.members('s')).toEqual([]);
      expect(statistics.snapshot().response!.errors).toBeGreaterThanOrEqual(3);

      await own.start();
      let back: string | undefined;
      for (let attempt = 0; attempt < 50 && back !== 'again'; attempt++) {
        await store.set('k', 'again', 60);
        back = await store.get('k');
        if (back !== 'again') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(back).toBe('again');
    } finally {
      await store.close();
      await own.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import { CacheStatistics, resilient, type CacheStore } from '../../../gateway/cache/store.js';
import { deleteKeys, freePort, OwnRedis, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually } from '../../support/system.js';

const prefix = uniquePrefix('store');
afterAll(() => deleteKeys(prefix));

describe.each([
  ['in-process LRU', () => createMemoryStore()],
  ['Redis', () => createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs })],
])('cache store: %s', (name, create) => {
  let store: CacheStore;
  const key = (label: string) => `${prefix}:${name}:${label}`;
  beforeAll(async () => {
    store = create();
    await store.ready();
  });
  afterAll(() => store?.close());

  it('keeps a value until it is deleted', async () => {
    expect(await store.get(key('a'))).toBeUndefined();
    await store.set(key('a'), 'Hà Nội', 60);
    expect(await store.get(key('a'))).toBe('Hà Nội');
    await store.delete([key('a'), key('missing')]);
    expect(await store.get(key('a'))).toBeUndefined();
  });

  it('lets a value expire after its time to live', async () => {
    await store.set(key('short'), 'x', 1);
    expect(await store.get(key('short'))).toBe('x');
    // Expiry is the store's clock: the test only waits for it, with a deadline.
    expect(await eventually(async () => (await store.get(key('short'))) === undefined, 5_000)).toBe(true);
  });

  it('says whether a key holds a value', async () => {
    await store.set(key('mark'), '1', 60);
    expect([await store.has(key('mark')), await store.has(key('no-mark'))]).toEqual([true, false]);
    await store.delete([key('mark')]);
    expect(await store.has(key('mark'))).toBe(false);
  });

  it('sets a value only where there is none, until it expires: a lock only one of several takes', async () => {
    const taken = await Promise.all(['one', 'two', 'three'].map((owner) => store.setIfAbsent(key('lock'), owner, 500)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await store.get(key('lock'))).toBe(['one', 'two', 'three'][taken.indexOf(true)]);
    expect(await eventually(() => store.setIfAbsent(key('lock'), 'later', 500), 5_000)).toBe(true);
    expect(await store.get(key('lock'))).toBe('later');
    await store.delete([key('lock')]);
    expect(await store.setIfAbsent(key('lock'), 'again', 60_000)).toBe(true);
    await store.delete([key('lock')]);
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
    // Resolves once Redis has confirmed the subscription: a message published after it is delivered.
    await store.subscribe(key('channel'), (message) => received.push(message));
    await store.publish(key('channel'), 'invalidate AreaStats');
    expect(await eventually(async () => received.length > 0)).toBe(true);
    expect(received).toEqual(['invalidate AreaStats']);
  });
});

describe('a Redis store that is not ready', () => {
  it('says so when its deadline passes', async () => {
    // Nothing listens on a port just freed.
    const store = createRedisStore({ url: `redis://127.0.0.1:${await freePort()}` });
    try {
      await expect(store.ready(300)).rejects.toThrow(/was not ready within 300 ms/);
    } finally {
      await store.close();
    }
  });
});

describe('a Redis that goes away', () => {
  it('turns every failure into a miss, counted, and works again when Redis is back', async () => {
    const own = await OwnRedis.start();
    const statistics = new CacheStatistics();
    const store = resilient(createRedisStore({ url: own.url, commandTimeoutMs: patientCommandTimeoutMs }), statistics, 'response');
    try {
      await store.ready();
      await store.set('k', 'v', 60);
      expect(await store.get('k')).toBe('v');
      expect(statistics.snapshot().response).toBeUndefined();

      await own.stop();
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'w', 60);
      expect(await store.members('s')).toEqual([]);
      expect(statistics.snapshot().response!.errors).toBe(3);
      // A mark that cannot be read is none; a lock that cannot be taken does not hold the work back.
      expect([await store.has('k'), await store.setIfAbsent('lock', 'me', 1_000)]).toEqual([false, true]);
      expect(statistics.snapshot().response!.errors).toBe(5);

      await own.start();
      // ioredis backs off up to 2 s between attempts; a loaded machine adds to that.
      const back = async () => {
        await store.set('k', 'again', 60);
        return (await store.get('k')) === 'again';
      };
      expect(await eventually(back, 15_000)).toBe(true);
    } finally {
      await store.close();
      await own.stop();
    }
  });
});

describe('the in-process store’s bounds', () => {
  it('holds at most maxBytes of values, dropping the least recently used first', async () => {
    // Each value of 100 characters (with its key of 2) weighs 204 bytes: five fit in 1,100.
    const store = createMemoryStore({ maxBytes: 1_100 });
    for (let index = 0; index < 6; index++) await store.set(`k${index}`, 'x'.repeat(100), 60);
    expect(await store.get('k0')).toBeUndefined();
    for (let index = 1; index < 6; index++) expect(await store.get(`k${index}`)).toBe('x'.repeat(100));
    await store.close();
  });

  it('does not keep a value over maxEntryBytes, nor let it push out what is there', async () => {
    const store = createMemoryStore({ maxBytes: 10_000, maxEntryBytes: 1_000 });
    await store.set('small', 'ok', 60);
    await store.set('huge', 'x'.repeat(600), 60);
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('small')).toBe('ok');
    await store.close();
  });
});

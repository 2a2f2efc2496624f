import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { subgraphTag } from '../../../gateway/cache/keys.js';
import type { RunningGateway } from '../../../gateway/server.js';
import { eventually, startTestSystem, type TestSystem, replicaBehindProxy } from '../../support/system.js';
import type { TcpProxy } from '../../support/tcp-proxy.js';

describe('stale-if-error', () => {
  const staleSeconds = 600;
  const keyPrefix = `stale-${randomUUID()}`;
  let store: CacheStore;
  let test: TestSystem;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  // Served by the indicators subgraph's own root field: no entity cache stands in for it when it is down.
  const query = '{ tasks { number nameEn measured } }';

  beforeAll(async () => {
    test = await startTestSystem();
    store = createMemoryStore();
    // Answers live in process for a millisecond: every ask below reaches the store, whose entries the test ages.
    ({ proxy, gateway } = await replicaBehindProxy(test, 'indicators', { cache: { store, keyPrefix, localSeconds: 0.001, staleSeconds } }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.stop();
    await test?.stop();
  });

  const ask = async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return {
      cache: response.headers.get('x-cache'),
      age: response.headers.get('age'),
      body: (await response.json()) as {
        data?: unknown;
        errors?: Array<{ extensions?: Record<string, unknown> }>;
        extensions?: Record<string, unknown>;
      },
    };
  };
  /** Moves the stored answers that indicators served back in time, as if kept `seconds` ago. */
  const ageStoredAnswers = async (seconds: number) => {
    const keys = await store.members(subgraphTag(keyPrefix, 'indicators'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const entry = JSON.parse((await store.get(key))!) as { storedAt: number; maxAge: number };
      await store.set(key, JSON.stringify({ ...entry, storedAt: Date.now() - seconds * 1000 }), 3_600);
    }
    return JSON.parse((await store.get(keys[0]!))!) as { maxAge: number };
  };

  it('serves the last good answer, marked stale with its age and the failing subgraph, while a subgraph is down, and only within the stale window', async () => {
    const fresh = await ask();
    expect(fresh.body.errors).toBeUndefined();
    expect((await ask()).cache).toBe('HIT');

    await proxy.stop();
    const { maxAge } = await ageStoredAnswers(0);
    // Past its max-age, within the stale window: the last good answer, at once, said to be stale, while it is recomputed;
    // the recomputation fails (indicators is down), and from then on the stale answers name the failing subgraph.
    await ageStoredAnswers(maxAge + 30);
    const first = await ask();
    expect(first.cache).toBe('STALE');
    expect(first.body.data).toEqual(fresh.body.data);
    let stale = first;
    expect(await eventually(async () => (stale = await ask()).body.extensions !== undefined)).toBe(true);
    expect(stale.cache).toBe('STALE');
    expect(Number(stale.age)).toBeGreaterThanOrEqual(maxAge + 30);
    expect(stale.body.data).toEqual(fresh.body.data);
    expect(stale.body.errors).toBeUndefined();
    expect(stale.body.extensions).toEqual({ stale: { ageSeconds: Number(stale.age), failedSubgraphs: ['indicators'] } });

    // Past the window: the answer with the subgraph's fields missing, as without a cache.
    await ageStoredAnswers(maxAge + staleSeconds + 30);
    const tooOld = await ask();
    expect(tooOld.cache).toBe('MISS');
    expect(tooOld.body.extensions).toBeUndefined();
    expect(tooOld.body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'indicators' });

    await proxy.start();
  });
});

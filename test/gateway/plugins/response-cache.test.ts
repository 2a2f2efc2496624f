import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKeyPrefix, publishInvalidation } from '../../../gateway/cache/invalidation.js';
import { redisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { startGateway, type RunningGateway } from '../../../gateway/server.js';
import { localSeconds } from '../../../gateway/plugins/response-cache.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { deleteKeys, OwnRedis, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually, post, startTestSystem, type TestSystem } from '../../support/system.js';

const dashboard = `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode eIdAdoption { value suppressed } ehrCoverage { value suppressed } } }`;

describe('response cache on the real Redis server', () => {
  const prefix = uniquePrefix('response');
  const keyPrefix = cacheKeyPrefix(prefix, readSupergraph());
  let store: CacheStore;
  let test: TestSystem;
  const plans: unknown[] = [];
  const statements = () => {
    let count = 0;
    const stops = test.databases.agencies.map((agency) => test.databases.get(agency).onStatement(() => count++));
    return () => {
      stops.forEach((stop) => stop());
      return count;
    };
  };

  beforeAll(async () => {
    store = redisStore({ url: redisUrl });
    test = await startTestSystem({ cache: { store, keyPrefix }, onQueryPlan: (plan) => plans.push(plan) });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await deleteKeys(prefix);
  });

  it('answers a repeated dashboard query from the cache, without planning or asking any subgraph', async () => {
    const first = await test.query(dashboard);
    expect(first.headers!.get('x-cache')).toBe('MISS');
    expect(first.headers!.get('cache-control')).toBe('max-age=86400, public');
    plans.length = 0;
    const count = statements();
    const second = await test.query(dashboard);
    expect(count()).toBe(0);
    expect(plans).toHaveLength(0);
    expect(second.headers!.get('x-cache')).toBe('HIT');
    expect(Number(second.headers!.get('age'))).toBeGreaterThanOrEqual(0);
    expect(second.data).toEqual(first.data);
    expect(test.system.gateway.statistics.snapshot().response).toMatchObject({ hits: 1, misses: 1, errors: 0 });
  });

  it('keys on the variables: other variables are another entry', async () => {
    const query = `query ($period: String!) { areaStats(level: NATION, period: $period) { eIdAdoption { value } } }`;
    await test.query(query, { period: '2024' });
    expect((await test.query(query, { period: '2024' })).headers!.get('x-cache')).toBe('HIT');
    expect((await test.query(query, { period: '2023' })).headers!.get('x-cache')).toBe('MISS');
  });

  it('never keeps personal data or errors', async () => {
    const citizen = `query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }`;
    await test.query(citizen, { pin: test.pin });
    const again = await test.query(citizen, { pin: test.pin });
    expect(again.headers!.get('x-cache')).toBe('MISS');
    expect(again.headers!.get('cache-control')).toBe('no-store');
    await test.query(`{ areaStats(level: NATION, period: "2099") { unitCode } }`);
    expect((await test.query(`{ areaStats(level: NATION, period: "2099") { unitCode } }`)).headers!.get('x-cache')).toBe('MISS');
  });

  it('keeps the running period briefly', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const answer = await test.query(`{ areaStats(level: NATION, period: "${month}") { eIdAdoption { value } } }`);
    expect(answer.headers!.get('cache-control')).toBe('max-age=60, public');
  });

  it('drops the answers a changed subgraph served, on an invalidation published to every replica', async () => {
    await test.query(dashboard);
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
    const catalog = `{ tasks { number } }`;
    await test.query(catalog);
    await publishInvalidation(store, keyPrefix, { subgraphs: ['health'] });
    expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'MISS')).toBe(true);
    // The catalogue came from the indicators subgraph only, so it stays.
    expect((await test.query(catalog)).headers!.get('x-cache')).toBe('HIT');
  });

  it('makes one execution for 50 concurrent identical misses', async () => {
    await publishInvalidation(store, keyPrefix, { subgraphs: ['population'] });
    expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'MISS')).toBe(true);
    await publishInvalidation(store, keyPrefix, { subgraphs: ['population'] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    plans.length = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => test.query(dashboard)));
    expect(plans).toHaveLength(1);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
  });

  it('is shared by a second gateway replica on the same Redis, which also hears invalidations', async () => {
    const replicaStore = redisStore({ url: redisUrl });
    const replica: RunningGateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: readSupergraph(),
      subgraphUrls: Object.fromEntries([...test.system.subgraphs].map(([name, server]) => [name, server.url])),
      cache: { store: replicaStore, keyPrefix },
      security: test.security.security,
    });
    try {
      await test.query(dashboard);
      // Anonymous callers hold other scopes than the test's analyst, so they have answers of their own.
      await test.queryAs({}, dashboard);
      expect((await post(replica.url, dashboard)).headers!.get('x-cache')).toBe('HIT');
      await publishInvalidation(replicaStore, keyPrefix, { subgraphs: ['population'] });
      expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'MISS')).toBe(true);
    } finally {
      await replica.stop();
      await replicaStore.close();
    }
  });
});

describe('response cache when Redis dies and comes back', () => {
  let own: OwnRedis;
  let store: CacheStore;
  let test: TestSystem;
  beforeAll(async () => {
    own = await OwnRedis.start();
    store = redisStore({ url: own.url, commandTimeoutMs: 200 });
    test = await startTestSystem({ cache: { store, keyPrefix: 'outage' } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await own?.stop();
  });

  it('answers every request correctly while Redis is down, and hits again once it is back', async () => {
    const reference = await test.query(dashboard);
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
    await own.stop();
    // What this process keeps in memory is still served, for a few seconds.
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
    await new Promise((resolve) => setTimeout(resolve, localSeconds * 1000 + 200));
    for (let request = 0; request < 5; request++) {
      const answer = await test.query(dashboard);
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual(reference.data);
    }
    expect(test.system.gateway.statistics.snapshot().response!.errors).toBeGreaterThan(0);
    await own.start();
    let cached = false;
    for (let attempt = 0; attempt < 40 && !cached; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await test.query(dashboard);
      cached = (await test.query(dashboard)).headers!.get('x-cache') === 'HIT';
    }
    expect(cached).toBe(true);
  });
});

describe('automatic persisted queries in Redis', () => {
  const prefix = uniquePrefix('apq');
  let stores: CacheStore[] = [];
  let test: TestSystem;
  let replica: RunningGateway;
  beforeAll(async () => {
    stores = [redisStore({ url: redisUrl }), redisStore({ url: redisUrl })];
    test = await startTestSystem({ cache: { store: stores[0]!, keyPrefix: prefix } });
    replica = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: readSupergraph(),
      subgraphUrls: Object.fromEntries([...test.system.subgraphs].map(([name, server]) => [name, server.url])),
      cache: { store: stores[1]!, keyPrefix: prefix },
      security: test.security.security,
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
    await Promise.all(stores.map((store) => store.close()));
    await deleteKeys(prefix);
  });

  const send = (url: string, body: object) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);

  it('lets a second replica answer a hash the first one learned', async () => {
    const query = '{ tasks { number } }';
    const { createHash } = await import('node:crypto');
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    expect(await send(replica.url, { extensions })).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(await send(test.system.gateway.url, { query, extensions })).toMatchObject({ data: { tasks: expect.any(Array) } });
    expect(await send(replica.url, { extensions })).toMatchObject({ data: { tasks: expect.any(Array) } });
  });
});

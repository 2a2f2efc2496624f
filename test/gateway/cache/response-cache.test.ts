import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishInvalidation } from '../../../gateway/cache/invalidation.js';
import { cacheKeyPrefix, subgraphTag } from '../../../gateway/cache/keys.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import type { RunningGateway } from '../../../gateway/server.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { deleteKeys, OwnRedis, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { bearer, eventually, post, startTestSystem, type GraphQLAnswer, type TestSystem, startReplica } from '../../support/system.js';

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
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
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
    expect(second.headers!.get('age')).toMatch(/^\d+$/);
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

  it('marks stale the answers a changed subgraph served, on an invalidation published to every replica, and renews them', async () => {
    await test.query(dashboard);
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
    const catalog = `{ tasks { number } }`;
    await test.query(catalog);
    await publishInvalidation(store, keyPrefix, { subgraphs: ['health'] });
    // Served stale at once (an authenticated caller's answer is renewed by its next request, not before), then renewed.
    expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'STALE')).toBe(true);
    expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'HIT')).toBe(true);
    // The catalogue came from the indicators subgraph only, so it stays.
    expect((await test.query(catalog)).headers!.get('x-cache')).toBe('HIT');
  });

  it('makes one execution for 50 concurrent identical misses', async () => {
    // An operation of its own: nothing is kept for it yet, in this process or in Redis.
    const fifty = dashboard.replace('{ areaStats', 'query Fifty { areaStats');
    plans.length = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => test.query(fifty)));
    expect(plans).toHaveLength(1);
    expect(answers.filter((answer) => answer.headers!.get('x-cache') === 'MISS').length).toBeGreaterThan(0);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
  });

  it('is shared by a second gateway replica on the same Redis, which also hears invalidations', async () => {
    const replicaStore = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await replicaStore.ready();
    const replica: RunningGateway = await startReplica(test, {
      cache: { store: replicaStore, keyPrefix },
    });
    try {
      await test.query(dashboard);
      // Anonymous callers hold other scopes than the test's analyst, so they have answers of their own.
      await test.queryAs({}, dashboard);
      expect((await post(replica.url, dashboard)).headers!.get('x-cache')).toBe('HIT');
      await publishInvalidation(replicaStore, keyPrefix, { subgraphs: ['population'] });
      expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'STALE')).toBe(true);
    } finally {
      await replica.stop();
      await replicaStore.close();
    }
  });
});

describe('response cache and the scopes of the caller', () => {
  const prefix = uniquePrefix('scopes');
  let store: CacheStore;
  let test: TestSystem;
  beforeAll(async () => {
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    // Without ANONYMOUS_SCOPES nobody holds indicators:read unless their token grants it.
    test = await startTestSystem({ cache: { store, keyPrefix: prefix }, securityEnvironment: { ANONYMOUS_SCOPES: '' } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await deleteKeys(prefix);
  });

  it('refuses callers with fewer scopes an answer cached for a caller with more: 403, never a hit', async () => {
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('MISS');
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
    const withoutIndicators = bearer(await test.security.token({ scopes: ['population:pii', 'health:pii'] }));
    for (const headers of [{}, withoutIndicators, {}, withoutIndicators]) {
      const answer = await test.queryAs(headers, dashboard);
      expect(answer.status).toBe(403);
      expect(answer.headers!.get('x-cache')).toBe('MISS');
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe('response cache when Redis dies and comes back', () => {
  let own: OwnRedis;
  let store: CacheStore;
  let test: TestSystem;
  beforeAll(async () => {
    own = await OwnRedis.start();
    store = createRedisStore({ url: own.url, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    test = await startTestSystem({ cache: { store, keyPrefix: 'outage' } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await own?.stop();
  });

  it('answers every request correctly while Redis is down, and keeps answers in Redis again once it is back', async () => {
    const reference = await test.query(dashboard);
    expect(reference.headers!.get('x-cache')).toBe('MISS');
    await own.stop();
    // This process keeps the answer in memory for a few seconds: that copy is served while Redis is away.
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');

    // Once that copy lapses, the answer is worked out again: correct, uncached, the failed reads and writes counted.
    let uncached: GraphQLAnswer | undefined;
    expect(await eventually(async () => (uncached = await test.query(dashboard)).headers!.get('x-cache') === 'MISS', 15_000)).toBe(true);
    expect(uncached).toMatchObject({ status: 200, data: reference.data });
    expect(uncached!.errors).toBeUndefined();
    expect(test.system.gateway.statistics.snapshot().response!.errors).toBeGreaterThan(0);

    await own.start();
    // The restarted server is empty: an answer listed in it was kept after the restart. ioredis backs off up to 2 s per attempt.
    const tag = subgraphTag('outage', 'population');
    const keptAgain = async () => {
      await test.query(dashboard);
      return (await store.members(tag).catch((): string[] => [])).length > 0;
    };
    expect(await eventually(keptAgain, 15_000)).toBe(true);
    const [key] = await store.members(tag);
    expect(JSON.parse((JSON.parse((await store.get(key!))!) as { body: string }).body)).toEqual({ data: reference.data });
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
  });
});

describe('automatic persisted queries in Redis', () => {
  const prefix = uniquePrefix('apq');
  let stores: CacheStore[] = [];
  let test: TestSystem;
  let replica: RunningGateway;
  beforeAll(async () => {
    stores = [
      createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
      createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
    ];
    await Promise.all(stores.map((store) => store.ready()));
    test = await startTestSystem({ cache: { store: stores[0]!, keyPrefix: prefix } });
    replica = await startReplica(test, {
      cache: { store: stores[1]!, keyPrefix: prefix },
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
    await Promise.all(stores.map((store) => store.close()));
    await deleteKeys(prefix);
  });

  const send = (url: string, body: object) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      (response) => response.json() as Promise<Record<string, unknown>>,
    );

  it('lets a second replica answer a hash the first one learned', async () => {
    const query = '{ tasks { number } }';
    const { createHash } = await import('node:crypto');
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    expect(await send(replica.url, { extensions })).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(await send(test.system.gateway.url, { query, extensions })).toMatchObject({ data: { tasks: expect.any(Array) } });
    expect(await send(replica.url, { extensions })).toMatchObject({ data: { tasks: expect.any(Array) } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishInvalidation } from '../../../gateway/cache/invalidation.js';
import { invalidationChannel, staleMark, subgraphTag } from '../../../gateway/cache/keys.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import type { RunningGateway } from '../../../gateway/server.js';
import { deleteKeys, observedStore, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually, post, startTestSystem, type TestSystem, startReplica } from '../../support/system.js';

// Served by the population subgraph alone (areaStats and eIdAdoption are its fields).
const dashboard = `{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } } }`;
// Served by the indicators subgraph alone.
const catalogue = `{ tasks { number } }`;

/** Waits until every listed answer of the subgraph carries a stale mark in Redis (the answers stay, served stale until recomputed). */
const markedInRedis = (store: CacheStore, keyPrefix: string, subgraph: string) =>
  eventually(async () => {
    const keys = await store.members(subgraphTag(keyPrefix, subgraph));
    return keys.length > 0 && (await Promise.all(keys.map((key) => store.has(staleMark(key))))).every(Boolean);
  });

describe('cache invalidation endpoint', () => {
  const keyPrefix = uniquePrefix('admin');
  let stores: CacheStore[];
  let test: TestSystem;
  let replica: RunningGateway;
  let heardByReplica: string[];
  let admin: string;
  let analyst: string;
  beforeAll(async () => {
    // Each replica has its own connections to Redis, as two processes would.
    stores = [
      createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
      createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
    ];
    await Promise.all(stores.map((store) => store.ready()));
    test = await startTestSystem({ cache: { store: stores[0]!, keyPrefix } });
    const observed = observedStore(stores[1]!);
    heardByReplica = observed.handled;
    replica = await startReplica(test, {
      cache: { store: observed.store, keyPrefix },
    });
    admin = await test.security.token({ subject: 'cache-admin', scopes: ['cache:admin'] });
    analyst = await test.security.token({ scopes: ['indicators:read', 'population:pii'] });
  });
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
    await Promise.all((stores ?? []).map((store) => store.close()));
    await deleteKeys(keyPrefix);
  });

  const invalidate = (body: unknown, bearer?: string) =>
    fetch(test.system.gateway.url.replace('/graphql', '/admin/cache/invalidate'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { errors?: Array<{ extensions: { code: string }; message: string }> },
    }));

  it('refuses callers without the cache:admin scope, and bad tokens', async () => {
    expect(await invalidate({ types: ['AreaStats'] })).toMatchObject({
      status: 403,
      body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] },
    });
    expect(await invalidate({ types: ['AreaStats'] }, analyst)).toMatchObject({
      status: 403,
      body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] },
    });
    expect(await invalidate({ types: ['AreaStats'] }, 'wrong-token')).toMatchObject({
      status: 401,
      body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] },
    });
  });

  it.each([
    [{}, /Say what changed/],
    [{ subgraphs: ['police'] }, /No subgraph is called "police"/],
    [{ types: ['Salary'] }, /No type is called "Salary"/],
    [{ entities: [{ type: 'AreaStats' }] }, /Each entity is/],
    [{ subgraphs: 'health' }, /lists of names/],
  ])('refuses %j with BAD_USER_INPUT', async (body, message) => {
    const answer = await invalidate(body, admin);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(message) });
  });

  it('marks stale the answers of the named type for every replica', async () => {
    const onReplica = () => post(replica.url, dashboard, undefined, test.analyst);
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('MISS');
    // The replica finds the first gateway's answer in Redis, and keeps it in its own memory too.
    expect((await onReplica()).headers!.get('x-cache')).toBe('HIT');
    expect((await onReplica()).headers!.get('x-cache')).toBe('HIT');
    const heardBefore = heardByReplica.length;

    expect(await invalidate({ types: ['AreaStats'] }, admin)).toMatchObject({ status: 202 });
    // Only the replica's own handling of the message marks its in-memory copy; either replica marks the Redis entry.
    expect(await eventually(async () => heardByReplica.length > heardBefore)).toBe(true);
    expect(heardByReplica.slice(heardBefore).map((message) => JSON.parse(message))).toEqual([
      { subgraphs: ['agriculture', 'civil-service', 'health', 'population'], entities: [] },
    ]);
    expect(await markedInRedis(stores[0]!, keyPrefix, 'population')).toBe(true);
    expect((await onReplica()).headers!.get('x-cache')).toBe('STALE');
  });
});

describe('the invalidation channel', () => {
  const keyPrefix = uniquePrefix('channel');
  let store: CacheStore;
  let handled: string[];
  let test: TestSystem;
  beforeAll(async () => {
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    const observed = observedStore(store);
    handled = observed.handled;
    test = await startTestSystem({ cache: { store: observed.store, keyPrefix } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await deleteKeys(keyPrefix);
  });

  it('shrugs off messages that are not invalidations, and carries out the next one that is', async () => {
    for (const query of [dashboard, catalogue]) {
      expect((await test.query(query)).headers!.get('x-cache')).toBe('MISS');
      expect((await test.query(query)).headers!.get('x-cache')).toBe('HIT');
    }
    const junk = ['not json', '{"entities": {"type": 1}}', '{"subgraphs": "population"}', 'null', '[1, 2]'];
    // Anyone with access to Redis can publish on the channel.
    for (const message of junk) await store.publish(invalidationChannel(keyPrefix), message);
    await publishInvalidation(store, keyPrefix, { subgraphs: ['population'] });

    // Messages arrive in order: once the valid one is handled, so was the junk, and the subscriber survived it.
    expect(await eventually(async () => handled.length === junk.length + 1)).toBe(true);
    expect(await markedInRedis(store, keyPrefix, 'population')).toBe(true);
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('STALE');
    // What the indicators subgraph served is not stale (this process may have forgotten its copy, and reads it from Redis).
    expect((await test.query(catalogue)).headers!.get('x-cache')).toBe('HIT');
  });
});

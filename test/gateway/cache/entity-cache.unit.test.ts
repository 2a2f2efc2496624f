import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { CacheStatistics, type CacheStore } from '../../../gateway/cache/store.js';
import { createEntityCache } from '../../../gateway/cache/entity-cache.js';
import { createInvalidation } from '../../../gateway/cache/invalidation.js';
import { entityTag } from '../../../gateway/cache/keys.js';
import { readSupergraph } from '../../../gateway/supergraph.js';

const prefix = 'test-deployment:v1';
const provincesQuery = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Province { name } } }';
const province = (code: string, extra: Record<string, unknown> = {}) => ({ __typename: 'Province', code, ...extra });
const citizen = (pin: string) => ({ __typename: 'Citizen', pin });

/** A real in-process store that also lists the keys read and written. */
function recordedStore() {
  const store = createMemoryStore();
  const reads: string[] = [];
  const writes: string[] = [];
  const recorded: CacheStore = {
    ...store,
    get: (key) => (reads.push(key), store.get(key)),
    set: (key, value, ttl) => (writes.push(`set ${key} ${ttl}`), store.set(key, value, ttl)),
    addToSet: (key, members, ttl) => (writes.push(`addToSet ${key} ${members.length} ${ttl}`), store.addToSet(key, members, ttl)),
  };
  return { store: recorded, raw: store, reads, writes };
}

function entityCache(store: CacheStore, maximumRepresentations?: number) {
  const counters = new CacheStatistics();
  // Provinces are keyed by code in the subgraph; their representations may carry more (@requires fields).
  const keyFieldsOf = (subgraph: string, type: string) => (subgraph === 'population' && type === 'Province' ? ['code'] : []);
  return {
    counters,
    cache: createEntityCache({
      store,
      prefix,
      counters,
      keyFieldsOf,
      personalTypes: new Set(['Citizen']),
      ...(maximumRepresentations === undefined ? {} : { maximumRepresentations }),
    }),
    // What drops entries: the one invalidation module, over the same store.
    invalidation: createInvalidation({ stores: { response: store, entity: store }, keyPrefix: prefix, supergraphSdl: readSupergraph() }),
  };
}

/** The subgraph, as the data source would reach it: it lists the representations it was sent and answers each. */
function subgraph(
  answer: {
    cacheControl?: string;
    errors?: GatewayGraphQLResponse['errors'];
    entities?: (representations: Array<Record<string, string>>) => unknown[];
  } = {},
) {
  const sent: unknown[] = [];
  const send = async (request: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> => {
    const representations = request.request.variables?.representations as Array<Record<string, string>> | undefined;
    sent.push(representations ?? request.request.query);
    const entities = answer.entities
      ? answer.entities(representations ?? [])
      : (representations ?? []).map((one) => ({ name: `Tỉnh ${one.code}` }));
    return {
      data: { _entities: entities },
      ...(answer.errors ? { errors: answer.errors } : {}),
      http: {
        headers: new Headers(
          answer.cacheControl === undefined
            ? { 'cache-control': 'max-age=60, public' }
            : answer.cacheControl
              ? { 'cache-control': answer.cacheControl }
              : {},
        ),
      },
    };
  };
  return { sent, send };
}

/** An _entities fetch of an incoming operation, with the operation's cache policy recording each restriction. */
function entitiesFetch(representations: unknown, query: string | undefined = provincesQuery) {
  const restrictions: unknown[] = [];
  const overallCachePolicy = { restrict: (hint: unknown) => restrictions.push(hint) };
  const request = {
    kind: 'incoming operation',
    request: { query, variables: { representations } },
    context: {},
    incomingRequestContext: { overallCachePolicy },
  } as unknown as GraphQLDataSourceProcessOptions;
  return { request, restrictions };
}

const named = (...codes: string[]) => ({ data: { _entities: codes.map((code) => ({ name: `Tỉnh ${code}` })) } });

describe('entity cache: what it leaves alone', () => {
  it.each([
    ['a fetch that is not _entities', provincesQuery.replace('_entities', 'provinces'), [province('01')]],
    ['an _entities fetch without representations', provincesQuery, undefined],
    ['an _entities fetch with no representation', provincesQuery, []],
    ['an _entities fetch of personal types only', provincesQuery, [citizen('001'), citizen('002')]],
    ['a fetch without a query text', undefined, [province('01')]],
  ])('passes %s to the subgraph untouched, without reading the store', async (_case, query, representations) => {
    const { store, reads, writes } = recordedStore();
    const { request } = entitiesFetch(representations, query);
    if (query === undefined) delete (request.request as { query?: string }).query;
    let forwarded: unknown;
    const answer = await entityCache(store).cache.fetch(
      'population',
      request,
      async (sent) => ((forwarded = sent), { data: { passed: true } }),
    );
    expect({ forwarded: forwarded === request, answer, reads, writes }).toEqual({
      forwarded: true,
      answer: { data: { passed: true } },
      reads: [],
      writes: [],
    });
  });

  it('passes a representation that is not an object on to the subgraph, which refuses it, instead of failing in the gateway', async () => {
    const { store } = recordedStore();
    const { sent, send } = subgraph({ cacheControl: 'no-store', entities: () => [null] });
    expect(await entityCache(store).cache.fetch('population', entitiesFetch([null]).request, send)).toStrictEqual({
      data: { _entities: [null] },
      http: expect.anything(),
    });
    expect(sent).toEqual([[null]]);
  });

  it('passes a fetch of more representations than its maximum to the subgraph, reading and writing nothing; up to it, caches', async () => {
    const { store, reads, writes } = recordedStore();
    const three = [province('01'), province('02'), province('04')];
    const { sent, send } = subgraph();
    const cache = entityCache(store, 2).cache;
    expect(await cache.fetch('population', entitiesFetch(three).request, send)).toMatchObject({
      data: { _entities: three.map((one) => ({ name: `Tỉnh ${one.code}` })) },
    });
    expect({ sent, reads, writes }).toEqual({ sent: [three], reads: [], writes: [] });
    await cache.fetch('population', entitiesFetch(three.slice(0, 2)).request, send);
    expect(reads).toHaveLength(2);
  });

  it('looks up a batch that mixes personal and public types', async () => {
    const { store, reads } = recordedStore();
    await entityCache(store).cache.fetch(
      'population',
      entitiesFetch([citizen('001'), province('01')]).request,
      subgraph({ cacheControl: 'no-store' }).send,
    );
    expect(reads.length).toBe(2);
  });
});

describe('entity cache: misses and hits', () => {
  it('keeps each entity of a first fetch for the max age the subgraph gave, listed by entity and by subgraph', async () => {
    const { store, raw, writes } = recordedStore();
    const { cache, counters } = entityCache(store);
    const fetch = entitiesFetch([province('01'), province('79')]);
    const { sent, send } = subgraph();
    const before = Date.now();
    expect(await cache.fetch('population', fetch.request, send)).toStrictEqual({ ...named('01', '79'), http: expect.anything() });
    expect({ sent, restrictions: fetch.restrictions, counts: counters.snapshot() }).toEqual({
      sent: [[province('01'), province('79')]],
      restrictions: [],
      counts: { entity: { hits: 0, misses: 2, errors: 0 } },
    });
    const tag = entityTag(prefix, 'Province', { code: '01' });
    expect(tag).toMatch(/^test-deployment:v1:entity-key:Province:[\w-]{24}$/);
    const [key] = await raw.members(tag);
    expect(key).toMatch(/^test-deployment:v1:entity:population:[\w-]{24}:[\w-]{24}$/);
    const entry = JSON.parse((await raw.get(key!))!) as { storedAt: number };
    expect(entry).toEqual({ entity: { name: 'Tỉnh 01' }, storedAt: entry.storedAt, maxAge: 60 });
    expect(entry.storedAt >= before && entry.storedAt <= Date.now()).toBe(true);
    expect(writes.filter((write) => write.startsWith('addToSet') && !write.includes('entity-key'))).toEqual([
      `addToSet ${prefix}:entity-subgraph:population 2 60`,
    ]);
    expect(writes.filter((write) => write.startsWith('set')).map((write) => write.split(' ')[2])).toEqual(['60', '60']);
  });

  it('sends only the representations it misses, merges the answers back in order and restricts the max age to what the cache has left', async () => {
    const { store, raw } = recordedStore();
    const { cache, counters } = entityCache(store);
    await cache.fetch('population', entitiesFetch([province('01'), province('79')]).request, subgraph().send);
    // Province 79 was kept 20.5 s ago: of the two, it has the least time left.
    const [older] = await raw.members(entityTag(prefix, 'Province', { code: '79' }));
    const storedAt = Date.now() - 20_500;
    await raw.set(older!, JSON.stringify({ entity: { name: 'Tỉnh 79' }, storedAt, maxAge: 60 }), 60);
    const fetch = entitiesFetch([province('48'), province('01'), province('92'), province('79')]);
    const { sent, send } = subgraph({ cacheControl: 'max-age=30, public' });
    expect(await cache.fetch('population', fetch.request, send)).toStrictEqual({
      ...named('48', '01', '92', '79'),
      http: expect.anything(),
    });
    const left = (fetch.restrictions as Array<{ maxAge: number }>)[0]!.maxAge;
    expect({ sent, restrictions: fetch.restrictions }).toEqual({
      sent: [[province('48'), province('92')]],
      restrictions: [{ maxAge: left }],
    });
    // 60 s less the whole seconds it has been kept, counted when the fetch began.
    expect(left <= 40 && left >= 60 - Math.floor((Date.now() - storedAt) / 1000)).toBe(true);
    expect(counters.snapshot()).toEqual({ entity: { hits: 2, misses: 4, errors: 0 } });
    // Everything cached: the subgraph is not asked at all.
    const again = entitiesFetch([province('92'), province('01')]);
    expect(await cache.fetch('population', again.request, send)).toStrictEqual(named('92', '01'));
    expect({ sent: sent.length, restrictions: again.restrictions.length }).toEqual({ sent: 1, restrictions: 1 });
  });

  it('answers a fetch outside an incoming operation from the cache too', async () => {
    const { store } = recordedStore();
    const { cache } = entityCache(store);
    await cache.fetch('population', entitiesFetch([province('01')]).request, subgraph().send);
    const { request } = entitiesFetch([province('01')]);
    const healthCheck = { kind: 'health check', request: request.request, context: {} } as unknown as GraphQLDataSourceProcessOptions;
    expect(await cache.fetch('population', healthCheck, subgraph().send)).toStrictEqual(named('01'));
  });

  it('keeps entries apart by subgraph and by selection', async () => {
    const { store } = recordedStore();
    const { cache } = entityCache(store);
    await cache.fetch('population', entitiesFetch([province('01')]).request, subgraph().send);
    const other = subgraph();
    await cache.fetch('agriculture', entitiesFetch([province('01')]).request, other.send);
    await cache.fetch('population', entitiesFetch([province('01')], provincesQuery.replace('name', 'name code')).request, other.send);
    expect(other.sent).toEqual([[province('01')], [province('01')]]);
  });

  it.each([
    ['older than its max age', 61_000],
    ['exactly as old as its max age', 60_000],
  ])('asks the subgraph again for an entity kept %s', async (_case, ageMs) => {
    const { store, raw } = recordedStore();
    const { cache } = entityCache(store);
    await cache.fetch('population', entitiesFetch([province('01')]).request, subgraph().send);
    const [key] = await raw.members(entityTag(prefix, 'Province', { code: '01' }));
    await raw.set(key!, JSON.stringify({ entity: { name: 'old' }, storedAt: Date.now() - ageMs, maxAge: 60 }), 60);
    const { sent, send } = subgraph();
    const fetch = entitiesFetch([province('01')]);
    expect({ answer: await cache.fetch('population', fetch.request, send), sent, restrictions: fetch.restrictions }).toStrictEqual({
      answer: { ...named('01'), http: expect.anything() },
      sent: [[province('01')]],
      restrictions: [],
    });
  });
});

describe('entity cache: answers it does not keep', () => {
  it.each([
    ['without a max age', ''],
    ['with max-age=0', 'max-age=0, public'],
    ['marked private', 'max-age=60, private'],
    ['marked no-store', 'max-age=60, no-store'],
  ])('keeps nothing of an answer %s', async (_case, cacheControl) => {
    const { store, writes } = recordedStore();
    const { cache } = entityCache(store);
    expect(await cache.fetch('population', entitiesFetch([province('01')]).request, subgraph({ cacheControl }).send)).toStrictEqual({
      ...named('01'),
      http: expect.anything(),
    });
    expect(writes).toEqual([]);
  });

  it('keeps nothing of an answer with fewer entities than asked, and fills the gap with null', async () => {
    const { store, writes } = recordedStore();
    const { cache } = entityCache(store);
    const answer = await cache.fetch(
      'population',
      entitiesFetch([province('01'), province('79')]).request,
      subgraph({ entities: () => [{ name: 'Tỉnh 01' }] }).send,
    );
    expect({ answer, writes }).toStrictEqual({
      answer: { data: { _entities: [{ name: 'Tỉnh 01' }, null] }, http: expect.anything() },
      writes: [],
    });
  });

  it('keeps nothing of an answer with errors, and points each error at the entity it concerns in the whole fetch', async () => {
    const { store, writes } = recordedStore();
    const { cache } = entityCache(store);
    await cache.fetch('population', entitiesFetch([province('01')]).request, subgraph().send);
    writes.length = 0;
    const errors = [
      { message: 'no such province', path: ['_entities', 1, 'name'] },
      { message: 'slow', path: ['_entities', 'name'] },
      { message: 'whole fetch' },
    ];
    const answer = await cache.fetch(
      'population',
      entitiesFetch([province('48'), province('01'), province('99')]).request,
      subgraph({ errors, entities: () => [{ name: 'Tỉnh 48' }] }).send,
    );
    expect({ answer, writes }).toStrictEqual({
      answer: {
        data: { _entities: [{ name: 'Tỉnh 48' }, { name: 'Tỉnh 01' }, null] },
        errors: [{ message: 'no such province', path: ['_entities', 2, 'name'] }, errors[1], errors[2]],
        http: expect.anything(),
      },
      writes: [],
    });
  });

  it('answers with the entities it has when the subgraph sends no data', async () => {
    const { store } = recordedStore();
    const { cache } = entityCache(store);
    const send = async (): Promise<GatewayGraphQLResponse> => ({ errors: [{ message: 'down' }] });
    expect(await cache.fetch('population', entitiesFetch([province('01')]).request, send)).toStrictEqual({
      data: { _entities: [null] },
      errors: [{ message: 'down' }],
    });
  });
});

describe('entity cache invalidation', () => {
  it('drops one entity in every selection, found by its key fields whatever else its representation carries', async () => {
    const { store, raw } = recordedStore();
    const { cache, invalidation } = entityCache(store);
    const withRequires = [province('01', { population: 8_000_000 }), province('79', { population: 9_000_000 })];
    await cache.fetch('population', entitiesFetch(withRequires).request, subgraph().send);
    await cache.fetch('population', entitiesFetch(withRequires, provincesQuery.replace('name', 'name code')).request, subgraph().send);
    await invalidation.drop({ entities: [{ type: 'Province', key: { code: '01' } }] });
    expect(await raw.members(entityTag(prefix, 'Province', { code: '01' }))).toEqual([]);
    const after = subgraph();
    await cache.fetch('population', entitiesFetch(withRequires).request, after.send);
    await cache.fetch('population', entitiesFetch(withRequires, provincesQuery.replace('name', 'name code')).request, after.send);
    expect(after.sent).toEqual([[withRequires[0]], [withRequires[0]]]);
  });

  it('names an entity by its key fields in any order', () => {
    expect(entityTag(prefix, 'AreaStats', { unitCode: '01', period: '2025' })).toBe(
      entityTag(prefix, 'AreaStats', { period: '2025', unitCode: '01' }),
    );
    expect(entityTag(prefix, 'AreaStats', { unitCode: '01', period: '2025' })).not.toBe(
      entityTag(prefix, 'AreaStats', { unitCode: '01', period: '2024' }),
    );
  });

  it('drops every entity of a changed subgraph and nothing of the others', async () => {
    const { store, raw } = recordedStore();
    const { cache, invalidation } = entityCache(store);
    for (const name of ['population', 'agriculture'])
      await cache.fetch(name, entitiesFetch([province('01'), province('79')]).request, subgraph().send);
    await invalidation.drop({ subgraphs: ['population'] });
    expect([
      (await raw.members(`${prefix}:entity-subgraph:population`)).length,
      (await raw.members(`${prefix}:entity-subgraph:agriculture`)).length,
    ]).toEqual([0, 2]);
    const after = subgraph();
    for (const name of ['population', 'agriculture'])
      await cache.fetch(name, entitiesFetch([province('01'), province('79')]).request, after.send);
    expect(after.sent).toEqual([[province('01'), province('79')]]);
  });
});

import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createInvalidation,
  entityKeyFields,
  type InvalidationListener,
  parseInvalidation,
  publishInvalidation,
  subgraphsOfType,
} from '../../../gateway/cache/invalidation.js';
import { entitySubgraphTag, entityTag, invalidationChannel, staleMark, subgraphTag } from '../../../gateway/cache/keys.js';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import { CacheStatistics, resilient, type CacheStore } from '../../../gateway/cache/store.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually } from '../../support/system.js';

describe('invalidation', () => {
  it('finds the subgraphs that define a type in the supergraph', () => {
    expect(subgraphsOfType(readSupergraph(), 'AreaStats').sort()).toEqual(['agriculture', 'civil-service', 'health', 'population']);
    expect(subgraphsOfType(readSupergraph(), 'Task')).toEqual(['indicators']);
    expect(subgraphsOfType(readSupergraph(), 'NoSuchType')).toEqual([]);
  });
});

// A supergraph written by hand, with the shapes composition produces and some it should not, each read as no subgraph.
const handWritten = `
  schema @join__type(graph: POPULATION) { query: Query }
  directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT | INTERFACE
  scalar join__FieldSet
  enum join__Graph {
    AGRICULTURE @join__graph(name: "agriculture", url: "http://agriculture")
    POPULATION @join__graph(url: "http://population", name: "population")
    TAGGED @tag(name: "wrong") @join__graph(name: "tagged", url: "http://tagged")
    NAMELESS @join__graph(url: "http://nameless")
    NUMBERED @join__graph(name: 3, url: "http://numbered")
    PLAIN
  }
  enum NotTheGraphs { OTHER @join__graph(name: "other", url: "http://other") }
  type Query @join__type(graph: AGRICULTURE) @join__type(graph: POPULATION) { province(code: ID!): Province }
  type Province @join__type(graph: POPULATION, key: "code") @join__type(graph: POPULATION, key: "id") @join__type(graph: AGRICULTURE, key: "  unitCode   period ") @join__type(graph: TAGGED) {
    code: ID!
  }
  extend type Farm @join__type(graph: AGRICULTURE, key: "id") @join__type(graph: AGRICULTURE)
  type Orphan @join__type(graph: PLAIN) @join__type(graph: NAMELESS) @join__type(graph: NUMBERED) @join__type(graph: OTHER) @join__type(graph: "POPULATION") @join__owner(graph: POPULATION) {
    x: Int
  }
  type Keyless @join__type(graph: POPULATION, key: 5) { x: Int }
  type Reordered @join__type(key: "id", graph: AGRICULTURE) { id: ID! }
`;

describe('reading a supergraph for invalidation', () => {
  // The module reads each supergraph once and keeps what it learnt: each test gives it a text it has not seen.
  let supergraph: string;
  beforeEach(() => {
    supergraph = `${handWritten}\n# ${randomUUID()}`;
  });

  it('lists each subgraph that defines a type once, by its join__graph name', () => {
    expect(subgraphsOfType(supergraph, 'Province')).toEqual(['population', 'agriculture', 'tagged']);
    expect(subgraphsOfType(supergraph, 'Query')).toEqual(['agriculture', 'population']);
    expect(subgraphsOfType(supergraph, 'Farm')).toEqual(['agriculture']);
    expect(subgraphsOfType(supergraph, 'Reordered')).toEqual(['agriculture']);
  });

  it('names no subgraph for a graph without a string name, a graph outside join__Graph, a graph given as a string, or another directive', () => {
    expect(subgraphsOfType(supergraph, 'Orphan')).toEqual([]);
  });

  it('gives a copy of the subgraphs, which a caller may change without changing the next answer', () => {
    subgraphsOfType(supergraph, 'Farm').push('changed');
    expect(subgraphsOfType(supergraph, 'Farm')).toEqual(['agriculture']);
  });

  it("reads each entity's first @key in each subgraph as its key fields", () => {
    const keyFields = entityKeyFields(supergraph);
    expect(keyFields('population', 'Province')).toEqual(['code']);
    expect(keyFields('agriculture', 'Province')).toEqual(['unitCode', 'period']);
    expect(keyFields('agriculture', 'Farm')).toEqual(['id']);
    expect(keyFields('tagged', 'Province')).toEqual([]);
    expect(keyFields('population', 'Keyless')).toEqual([]);
    expect(keyFields('population', 'Query')).toEqual([]);
  });
});

describe('invalidation messages', () => {
  it('publishes an invalidation to every replica subscribed on Redis', async () => {
    const keyPrefix = uniquePrefix('publish');
    const [subscriber, publisher] = [
      createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
      createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
    ];
    try {
      await Promise.all([subscriber.ready(), publisher.ready()]);
      let hear!: (message: string) => void;
      const heard = new Promise<string>((resolve) => (hear = resolve));
      // Resolves once Redis confirms the subscription: nothing published after it is lost.
      await subscriber.subscribe(invalidationChannel(keyPrefix), hear);
      await publishInvalidation(publisher, keyPrefix, { subgraphs: ['health'], entities: [{ type: 'Province', key: { code: '01' } }] });
      expect(JSON.parse(await heard)).toEqual({ subgraphs: ['health'], entities: [{ type: 'Province', key: { code: '01' } }] });
    } finally {
      await Promise.all([subscriber.close(), publisher.close()]);
    }
  });
});

describe('reading a message from the channel', () => {
  it('ignores text that is not JSON', () => {
    expect(parseInvalidation('not json')).toBeUndefined();
  });

  it.each(['{"entities": {"type": 1}}', '{"subgraphs": "population"}', 'null', '[1, 2]', '"population"'])(
    'reads %s as naming nothing',
    (text) => {
      expect(parseInvalidation(text)).toEqual({ subgraphs: [], entities: [] });
    },
  );

  it('keeps the well-formed parts: subgraphs as names, entities that have a type and a key', () => {
    const entities = [
      { type: 'Province', key: { code: '01' } },
      { type: 'Province' },
      { type: 3, key: {} },
      { type: 'Province', key: null },
      null,
    ];
    expect(parseInvalidation(JSON.stringify({ subgraphs: ['health', 7], entities }))).toEqual({
      subgraphs: ['health', '7'],
      entities: [{ type: 'Province', key: { code: '01' } }],
    });
  });
});

const prefix = 'invalidation';

/**
 * A store holding entries as the caches write them: answers a1 (served by
 * population), a2 (population and agriculture) and a3 (agriculture); Province
 * entities e1 (code 01, population), e2 (79, population), e3 (01, agriculture).
 */
async function filledStore() {
  const store = createMemoryStore();
  const answers: Array<[string, string[]]> = [
    ['a1', ['population']],
    ['a2', ['population', 'agriculture']],
    ['a3', ['agriculture']],
  ];
  for (const [key, subgraphs] of answers) {
    await store.set(key, 'answer', 60);
    for (const subgraph of subgraphs) await store.addToSet(subgraphTag(prefix, subgraph), [key], 60);
  }
  for (const [key, subgraph, code] of [
    ['e1', 'population', '01'],
    ['e2', 'population', '79'],
    ['e3', 'agriculture', '01'],
  ] as const) {
    await store.set(key, 'entity', 60);
    await store.addToSet(entitySubgraphTag(prefix, subgraph), [key], 60);
    await store.addToSet(entityTag(prefix, 'Province', { code }), [key], 60);
  }
  const kept = async () => {
    const keys = ['a1', 'a2', 'a3', 'e1', 'e2', 'e3'];
    const values = await Promise.all(keys.map((key) => store.get(key)));
    return keys.filter((_, index) => values[index] !== undefined);
  };
  /** The answers that carry a stale mark. */
  const marked = async () => {
    const keys = ['a1', 'a2', 'a3'];
    const marks = await Promise.all(keys.map((key) => store.has(staleMark(key))));
    return keys.filter((_, index) => marks[index]);
  };
  return { store, kept, marked };
}

const invalidationOver = (store: CacheStore, listener?: InvalidationListener) =>
  createInvalidation({
    stores: { response: store, entity: store },
    keyPrefix: prefix,
    // Province is defined by population, agriculture and tagged.
    supergraphSdl: handWritten,
    ...(listener ? { listener } : {}),
  });

describe('dropping what changed', () => {
  it('marks stale the answers a subgraph served, counting each answer once, and drops the entities it served', async () => {
    const { store, kept, marked } = await filledStore();
    expect(await invalidationOver(store).drop({ subgraphs: ['population'] })).toBe(2);
    // The answers stay, to be served stale until recomputed, and stay listed for the next change; the entities go.
    expect(await kept()).toEqual(['a1', 'a2', 'a3', 'e3']);
    expect(await marked()).toEqual(['a1', 'a2']);
    expect([
      (await store.members(subgraphTag(prefix, 'population'))).sort(),
      await store.members(entitySubgraphTag(prefix, 'population')),
    ]).toEqual([['a1', 'a2'], []]);
  });

  it('drops an entity in every subgraph, and marks stale the answers of every subgraph that defines its type, and no other entity', async () => {
    const { store, kept, marked } = await filledStore();
    expect(await invalidationOver(store).drop({ entities: [{ type: 'Province', key: { code: '01' } }] })).toBe(3);
    expect(await kept()).toEqual(['a1', 'a2', 'a3', 'e2']);
    expect(await marked()).toEqual(['a1', 'a2', 'a3']);
  });

  it('drops nothing for a message that names nothing', async () => {
    const { store, kept, marked } = await filledStore();
    expect(await invalidationOver(store).drop({})).toBe(0);
    expect(await kept()).toEqual(['a1', 'a2', 'a3', 'e1', 'e2', 'e3']);
    expect(await marked()).toEqual([]);
  });

  it('tells this process which subgraphs as it begins, and which answers once the store holds their marks', async () => {
    const { store } = await filledStore();
    const events: string[] = [];
    const marking: CacheStore = {
      ...store,
      set: async (key, value, ttl) => (events.push(`mark ${key}`), store.set(key, value, ttl)),
      delete: async (keys) => (events.push('delete'), store.delete(keys)),
    };
    const dropping = invalidationOver(marking, {
      invalidating: (subgraphs) => events.push(`invalidating ${[...subgraphs]}`),
      invalidated: (keys) => events.push(`invalidated ${[...keys].sort()}`),
    }).drop({ subgraphs: ['agriculture'] });
    expect(events).toEqual(['invalidating agriculture']);
    await dropping;
    expect([...events].sort()).toEqual(
      ['invalidating agriculture', 'delete', `mark ${staleMark('a2')}`, `mark ${staleMark('a3')}`, 'invalidated a2,a3'].sort(),
    );
    expect(events.at(-1)).toBe('invalidated a2,a3');
  });

  it('counts a failure to the store of the layer it hit', async () => {
    const statistics = new CacheStatistics();
    const broken: CacheStore = {
      ...createMemoryStore(),
      members: async () => {
        throw new Error('Redis is away');
      },
    };
    const invalidation = createInvalidation({
      stores: { response: resilient(broken, statistics, 'response'), entity: resilient(broken, statistics, 'entity') },
      keyPrefix: prefix,
      supergraphSdl: handWritten,
    });
    expect(await invalidation.drop({ subgraphs: ['population'], entities: [{ type: 'Province', key: { code: '01' } }] })).toBe(0);
    // Answers of population, agriculture and tagged; entities of population, and the one entity.
    expect(statistics.snapshot()).toEqual({ response: { hits: 0, misses: 0, errors: 3 }, entity: { hits: 0, misses: 0, errors: 2 } });
  });
});

describe('the invalidation channel', () => {
  it('publishes the message as JSON, the form every replica and tool reads', async () => {
    const store = createMemoryStore();
    const heard: string[] = [];
    await store.subscribe(invalidationChannel(prefix), (message) => heard.push(message));
    await invalidationOver(store).publish({ subgraphs: ['health'], entities: [{ type: 'Province', key: { code: '01' } }] });
    expect(heard).toEqual(['{"subgraphs":["health"],"entities":[{"type":"Province","key":{"code":"01"}}]}']);
  });

  it('carries out, once subscribed, what another replica publishes, shrugging off messages that are not invalidations', async () => {
    const { store, kept, marked } = await filledStore();
    let told = 0;
    await invalidationOver(store, { invalidating: () => told++, invalidated: () => told++ }).subscribe();
    for (const junk of ['not json', '{"entities": [{"type": "Province", "key": null}]}'])
      await store.publish(invalidationChannel(prefix), junk);
    await invalidationOver(store).publish({ subgraphs: ['agriculture'] });
    expect(await eventually(async () => (await kept()).length === 5)).toBe(true);
    expect(await kept()).toEqual(['a1', 'a2', 'a3', 'e1', 'e2']);
    expect(await marked()).toEqual(['a2', 'a3']);
    // The JSON junk was read as naming nothing, which is still an invalidation (of nothing); the rest was ignored.
    expect(await eventually(async () => told === 4)).toBe(true);
  });
});

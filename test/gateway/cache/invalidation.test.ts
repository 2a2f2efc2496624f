import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announceDataChange } from '../../../gateway/cache/announce.js';
import {
  cacheKeyPrefix,
  entityKeyFields,
  invalidationChannel,
  publishInvalidation,
  subgraphsOfType,
} from '../../../gateway/cache/invalidation.js';
import { redisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { deleteKeys, freePort, observedStore, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually, startTestSystem, type TestSystem } from '../../support/system.js';

describe('invalidation', () => {
  it('finds the subgraphs that define a type in the supergraph', () => {
    expect(subgraphsOfType(readSupergraph(), 'AreaStats').sort()).toEqual(['agriculture', 'civil-service', 'health', 'population']);
    expect(subgraphsOfType(readSupergraph(), 'Task')).toEqual(['indicators']);
    expect(subgraphsOfType(readSupergraph(), 'NoSuchType')).toEqual([]);
  });

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
      store = redisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
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

    it('drops the cached answers of the changed agency in every gateway', async () => {
      const query = `{ areaStats(level: NATION, period: "2025") { ehrCoverage { value } } }`;
      expect((await test.query(query)).headers!.get('x-cache')).toBe('MISS');
      expect((await test.query(query)).headers!.get('x-cache')).toBe('HIT');
      expect(await announceDataChange(['health'], { REDIS_URL: redisUrl, CACHE_PREFIX: cachePrefix })).toBe(
        'dropped 1 cached answers of health and told every gateway',
      );
      // The tool deleted the entry in Redis before publishing; the gateway forgets its in-memory copy as the message arrives.
      expect(await eventually(async () => handled.length === 1)).toBe(true);
      expect((await test.query(query)).headers!.get('x-cache')).toBe('MISS');
    });
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

describe('invalidation keys and messages', () => {
  it('prefixes keys with the deployment and a short hash of the supergraph', () => {
    const prefix = cacheKeyPrefix('vn-gateway', handWritten);
    expect(prefix).toMatch(/^vn-gateway:[0-9a-f]{12}$/);
    expect(cacheKeyPrefix('vn-gateway', handWritten)).toBe(prefix);
    expect(cacheKeyPrefix('vn-gateway', `${handWritten}\n`)).not.toBe(prefix);
    expect(invalidationChannel(prefix)).toBe(`${prefix}:invalidate`);
  });

  it('publishes an invalidation to every replica subscribed on Redis', async () => {
    const keyPrefix = uniquePrefix('publish');
    const [subscriber, publisher] = [
      redisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
      redisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs }),
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

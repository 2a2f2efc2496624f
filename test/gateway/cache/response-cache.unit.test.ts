import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createInvalidation } from '../../../gateway/cache/invalidation.js';
import { staleMark, subgraphTag } from '../../../gateway/cache/keys.js';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { createResponseCache, type ResponseCache } from '../../../gateway/cache/response-cache.js';
import { CacheStatistics, type CacheStore } from '../../../gateway/cache/store.js';
import { createGatewayContext, type GatewayContext } from '../../../gateway/context.js';
import { responseCachePlugin } from '../../../gateway/plugins/response-cache.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { scopeKey, type Caller } from '../../../platform/access/caller.js';
import { accessPlugin } from '../../../platform/access/plugin.js';
import { readAccessRules } from '../../../platform/access/rules.js';
import { executeGraphQL, type HttpAnswer } from '../../../platform/http.js';
import { eventually } from '../../support/system.js';

// The gateway's schema in miniature: cache hints as the subgraphs send them, one personal field, and resolvers
// that say which subgraph served them (what the gateway's data source records).
const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    provinces: [Province] @cacheControl(maxAge: 60)
    farms: Int @cacheControl(maxAge: 60)
    citizen(pin: String!): Citizen @cacheControl(maxAge: 60)
    inbox: String @cacheControl(maxAge: 60, scope: PRIVATE)
    runningPeriod: String
    broken: String @cacheControl(maxAge: 60)
  }
  type Province @cacheControl(maxAge: 60) { code: String }
  type Citizen @cacheControl(maxAge: 60) { pin: String fullName: String @requiresScopes(scopes: [["population:pii"]]) }
`;
const served = (subgraph: string, value: unknown) => (_: unknown, __: unknown, context: GatewayContext) => (
  context.servedBy.add(subgraph), value
);
const resolvers = {
  Query: {
    provinces: served('population', [{ code: '01' }]),
    farms: served('agriculture', 7),
    citizen: (_: unknown, { pin }: { pin: string }, context: GatewayContext) => (context.servedBy.add('population'), { pin }),
    inbox: served('population', 'for you only'),
    runningPeriod: served('population', '2026-Q4'),
    broken: () => {
      throw new Error('subgraph down');
    },
  },
  // What a citizen's record says depends on who asks: an answer shared across callers would show.
  Citizen: { fullName: (_: unknown, __: unknown, context: GatewayContext) => `record read by ${context.caller.subject}` },
};

const caller = (subject: string, scopes: string[] = ['statistics:read']): Caller => ({
  subject,
  agency: null,
  authenticated: true,
  scopes: new Set(scopes),
  purpose: null,
  via: 'jwt',
  requestId: subject,
});
const analyst = caller('analyst');
const httpRequest = { method: 'POST', headers: { 'content-type': 'application/json' }, url: '/graphql' } as unknown as IncomingMessage;
const prefix = 'test-deployment:v1';

/** What the gateway's execution could make of an answer before the cache sees it. */
type Adjust = (answer: HttpAnswer, context: GatewayContext) => HttpAnswer;

/** One replica's response cache and invalidation over a shared store, with an Apollo Server wired as the gateway wires it. */
function replica(store: CacheStore, options: { localSeconds?: number; staleSeconds?: number; refreshHottest?: number } = {}) {
  const counters = new CacheStatistics();
  const cache: ResponseCache = createResponseCache({ store, prefix, counters, ...options });
  const invalidation = createInvalidation({
    stores: { response: store, entity: store },
    keyPrefix: prefix,
    supergraphSdl: readSupergraph(),
    listener: cache,
  });
  const server = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers,
    plugins: [accessPlugin<GatewayContext>({ rules: readAccessRules(parse(typeDefs)), introspectionForAll: false }), responseCachePlugin()],
  });
  // Requests wait for the start; nothing listens, so there is nothing to stop.
  server.startInBackgroundHandlingStartupErrorsByLoggingAndFailingAllRequests();
  const executions: GatewayContext[] = [];
  let gate: Promise<void> | undefined;
  const execute = (who: Caller, body: object, adjust: Adjust) => async () => {
    const context = createGatewayContext(who);
    executions.push(context);
    await gate;
    return { answer: adjust(await executeGraphQL(server, httpRequest, body, context), context), context };
  };
  const ask = (body: object, who = analyst, adjust: Adjust = (answer) => answer) =>
    cache.answer(cache.keyFor('POST', body, scopeKey(who))!, execute(who, body, adjust));
  // As the route asks for an anonymous caller: the cache may keep the request and run it again after an invalidation.
  const askReplayable = (body: object, who = analyst) =>
    cache.answer(
      cache.keyFor('POST', body, scopeKey(who))!,
      execute(who, body, (answer) => answer),
      {
        run: execute(who, body, (answer) => answer),
        replayable: true,
      },
    );
  const invalidateSubgraphs = (subgraphs: string[]) => invalidation.drop({ subgraphs });
  return { cache, invalidateSubgraphs, counters, executions, ask, askReplayable, hold: (until: Promise<void>) => (gate = until) };
}

/** A real in-process store that also lists the calls made to it. */
function recordedStore(calls: string[] = []) {
  const store = createMemoryStore();
  const record = <T>(call: string, result: Promise<T>) => (calls.push(call), result);
  return {
    calls,
    store: {
      ...store,
      get: (key) => record(`get ${key}`, store.get(key)),
      set: (key, value, ttl) => record(`set ${key} ${ttl}`, store.set(key, value, ttl)),
      addToSet: (key, members, ttl) => record(`addToSet ${key} ${members.join(',')} ${ttl}`, store.addToSet(key, members, ttl)),
    } satisfies CacheStore,
    raw: store,
  };
}

const provinces = { query: '{ provinces { code } }' };
const provincesAnswer = { data: { provinces: [{ code: '01' }] } };
const json = (answer: { body: string | Buffer }) => JSON.parse(String(answer.body)) as unknown;
const keyOf = (body: object, who = analyst) =>
  createResponseCache({ store: createMemoryStore(), prefix, counters: new CacheStatistics() }).keyFor('POST', body, scopeKey(who));

describe('response cache keys', () => {
  it('separates callers by scopes and requests by variables and operation name, keeping the operation first', () => {
    const key = keyOf({ query: 'query Q($a: Int) { provinces { code } }', variables: { a: 1 } });
    expect(key).toMatch(/^test-deployment:v1:response:[\w-]{43}\|[\w-]{43}$/);
    expect(keyOf({ query: 'query Q($a: Int) { provinces { code } }', variables: { a: 1 } })).toBe(key);
    const operation = (other: string | undefined) => other!.slice(0, other!.lastIndexOf('|'));
    const otherScopes = keyOf(
      { query: 'query Q($a: Int) { provinces { code } }', variables: { a: 1 } },
      caller('officer', ['statistics:read', 'population:pii']),
    );
    const otherVariables = keyOf({ query: 'query Q($a: Int) { provinces { code } }', variables: { a: 2 } });
    const otherName = keyOf({ query: 'query Q($a: Int) { provinces { code } }', variables: { a: 1 }, operationName: 'Q' });
    expect(new Set([key, otherScopes, otherVariables, otherName]).size).toBe(4);
    // What is learnt about an operation (it reads personal data) holds for every caller and all its variables.
    expect([operation(otherScopes), operation(otherVariables)]).toEqual([operation(key), operation(key)]);
    expect(operation(otherName)).not.toBe(operation(key));
  });

  it('keys a persisted query by its hash, apart from a query whose text is that hash', () => {
    const byHash = (sha256Hash: string) => keyOf({ extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(new Set([byHash('aaa'), byHash('bbb'), keyOf({ query: 'aaa' }), keyOf({ query: '#aaa' })]).size).toBe(3);
    expect(byHash('aaa')).toBe(keyOf({ query: '#aaa' }));
    expect(keyOf({ query: '{ provinces { code } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'aaa' } } })).toBe(
      keyOf({ query: '{ provinces { code } }' }),
    );
    // Only an operation that is a mutation is refused; a field of that name is not.
    expect(keyOf({ query: '{ log { mutation } }' })).toMatch(/^test-deployment:v1:response:/);
  });

  it.each([
    ['a GET', 'GET', { query: '{ provinces { code } }' }],
    ['a body that is not an object', 'POST', '{ provinces { code } }'],
    ['a null body', 'POST', null],
    ['a POST without a body', 'POST', undefined],
    ['a body without query or persisted hash', 'POST', { variables: {} }],
    ['a mutation', 'POST', { query: 'mutation { provinces { code } }' }],
    ['a mutation after white space', 'POST', { query: '\n  mutation{ provinces { code } }' }],
  ])('gives no key, so no caching, for %s', (_case, method, body) => {
    const cache = createResponseCache({ store: createMemoryStore(), prefix, counters: new CacheStatistics() });
    expect(cache.keyFor(method, body, 'statistics:read')).toBeUndefined();
  });
});

describe('response cache answers', () => {
  it('answers a repeat from this process without asking the store, and says how old the answer is', async () => {
    const { store, calls } = recordedStore();
    const gateway = replica(store);
    const before = Date.now();
    const first = await gateway.ask(provinces);
    expect({ age: first.age, answer: json(first) }).toEqual({ age: undefined, answer: provincesAnswer });
    const second = await gateway.ask(provinces);
    const age = second.age!;
    expect(second).toEqual({
      status: 200,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['cache-control', `max-age=${60 - age}, public`],
      ],
      body: Buffer.from(String(first.body)),
      age,
      cacheable: true,
    });
    expect(age).toBeLessThanOrEqual(Math.floor((Date.now() - before) / 1000));
    const key = keyOf(provinces)!;
    expect(calls).toEqual([`get ${key}`, `set ${key} 60`, `addToSet ${subgraphTag(prefix, 'population')} ${key} 60`]);
    expect({ executions: gateway.executions.length, counts: gateway.counters.snapshot() }).toEqual({
      executions: 1,
      counts: { response: { hits: 1, misses: 1, errors: 0 } },
    });
    expect(gateway.executions[0]!.outcome).toEqual({ hadErrors: false, cachePolicy: { maxAge: 60, scope: 'PUBLIC' } });
  });

  it('hands a fresh answer held in this process over at once, the same as answer would, and nothing else', async () => {
    const { store, calls } = recordedStore();
    const gateway = replica(store);
    const key = keyOf(provinces)!;
    const recompute = { run: async () => Promise.reject(new Error('not run')), replayable: false };
    expect(gateway.cache.freshInMemory(key, recompute)).toBeUndefined();
    await gateway.ask(provinces);
    const held = gateway.cache.freshInMemory(key, recompute)!;
    expect({ ...held, body: json(held) }).toEqual({
      status: 200,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['cache-control', `max-age=${60 - held.age}, public`],
      ],
      body: provincesAnswer,
      age: held.age,
    });
    expect(gateway.counters.snapshot()).toEqual({ response: { hits: 1, misses: 1, errors: 0 } });
    // Marked stale by an invalidation: no longer fresh, so left to answer(), which renews it.
    await gateway.invalidateSubgraphs(['population']);
    expect(gateway.cache.freshInMemory(key, recompute)).toBeUndefined();
    expect(calls.filter((call) => call.startsWith('get'))).toEqual([`get ${key}`]);
  });

  it('shares an answer with a second replica through the store, listed under every subgraph that served it', async () => {
    const { store, raw } = recordedStore();
    const body = { query: '{ provinces { code } farms }' };
    const before = Date.now();
    await replica(store).ask(body);
    const after = Date.now();
    const key = keyOf(body)!;
    const entry = JSON.parse((await raw.get(key))!) as { storedAt: number };
    expect(entry).toEqual({
      body: `${JSON.stringify({ data: { provinces: [{ code: '01' }], farms: 7 } })}\n`,
      storedAt: entry.storedAt,
      maxAge: 60,
    });
    expect(entry.storedAt >= before && entry.storedAt <= after).toBe(true);
    expect([await raw.members(subgraphTag(prefix, 'population')), await raw.members(subgraphTag(prefix, 'agriculture'))]).toEqual([
      [key],
      [key],
    ]);
    const second = replica(store);
    expect(json(await second.ask(body))).toEqual({ data: { provinces: [{ code: '01' }], farms: 7 } });
    expect({ executions: second.executions.length, counts: second.counters.snapshot() }).toEqual({
      executions: 0,
      counts: { response: { hits: 1, misses: 0, errors: 0 } },
    });
  });

  it('counts the age of a stored answer in whole seconds, rounded down', async () => {
    const { store, raw } = recordedStore();
    const body = JSON.stringify(provincesAnswer);
    const storedAt = Date.now() - 2_500;
    await raw.set(keyOf(provinces)!, JSON.stringify({ body, storedAt, maxAge: 60 }), 60);
    const answer = await replica(store).ask(provinces);
    const after = Date.now();
    expect(answer.age! >= 2 && answer.age! <= Math.floor((after - storedAt) / 1000)).toBe(true);
    expect({ body: String(answer.body), headers: answer.headers }).toEqual({
      body,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['cache-control', `max-age=${60 - answer.age!}, public`],
      ],
    });
  });

  it.each([
    ['older than its max age', 61_000],
    ['exactly as old as its max age', 60_500],
  ])('runs the operation again for a stored answer %s', async (_case, ageMs) => {
    const { store, raw } = recordedStore();
    await raw.set(keyOf(provinces)!, JSON.stringify({ body: '{"data":"stale"}', storedAt: Date.now() - ageMs, maxAge: 60 }), 60);
    const gateway = replica(store);
    expect({
      age: (await gateway.ask(provinces)).age,
      answer: json(await gateway.ask(provinces)),
      executions: gateway.executions.length,
    }).toEqual({ age: undefined, answer: provincesAnswer, executions: 1 });
  });

  it.each([
    ['an answer with errors', { query: '{ broken }' }, { hadErrors: true, cachePolicy: { maxAge: 60, scope: 'PUBLIC' } }],
    ['a PRIVATE answer', { query: '{ inbox }' }, { hadErrors: false, cachePolicy: { maxAge: 60, scope: 'PRIVATE' } }],
    ['an answer without a cache hint (the running period)', { query: '{ runningPeriod }' }, { hadErrors: false }],
    ['an unparsable query', { query: '{ provinces {' }, { hadErrors: true }],
  ])('never keeps %s', async (_case, body, outcome) => {
    const { store, calls } = recordedStore();
    const gateway = replica(store);
    await gateway.ask(body);
    await gateway.ask(body);
    expect({ executions: gateway.executions.length, writes: calls.filter((call) => !call.startsWith('get ')) }).toEqual({
      executions: 2,
      writes: [],
    });
    // The policy Apollo merged from the hints, as the plugin recorded it for the cache.
    expect(gateway.executions[0]!.outcome).toEqual(outcome);
  });

  it.each<[string, Adjust]>([
    ['whose HTTP status is not 200', (answer) => ({ ...answer, status: 503 })],
    ['whose policy has no max age', (answer, context) => ((context.outcome.cachePolicy = { maxAge: 0, scope: 'PUBLIC' }), answer)],
  ])('never keeps an answer %s', async (_case, adjust) => {
    const { store, calls } = recordedStore();
    const gateway = replica(store);
    await gateway.ask(provinces, analyst, adjust);
    await gateway.ask(provinces, analyst, adjust);
    expect({ executions: gateway.executions.length, writes: calls.filter((call) => !call.startsWith('get ')) }).toEqual({
      executions: 2,
      writes: [],
    });
  });

  it('never keeps personal data, and stops looking it up for that operation whatever its variables or caller', async () => {
    const { store, calls } = recordedStore();
    const gateway = replica(store);
    const query = 'query Person($pin: String!) { citizen(pin: $pin) { fullName } }';
    const officer = caller('officer-1', ['population:pii']);
    const answers = [];
    for (const [who, pin] of [
      [officer, '001'],
      [officer, '002'],
      [caller('officer-2', ['population:pii', 'x']), '001'],
    ] as const) {
      answers.push(json(await gateway.ask({ query, variables: { pin } }, who)));
    }
    expect(answers).toEqual(
      ['officer-1', 'officer-1', 'officer-2'].map((subject) => ({ data: { citizen: { fullName: `record read by ${subject}` } } })),
    );
    expect(calls).toEqual([`get ${keyOf({ query, variables: { pin: '001' } }, officer)}`]);
  });
});

describe('response cache under concurrent requests', () => {
  it('runs one execution for identical concurrent misses, each counted a miss', async () => {
    const gateway = replica(recordedStore().store);
    let release!: () => void;
    gateway.hold(new Promise((resolve) => (release = resolve)));
    const asked = [gateway.ask(provinces), gateway.ask(provinces), gateway.ask(provinces)];
    release();
    expect((await Promise.all(asked)).map(json)).toEqual([provincesAnswer, provincesAnswer, provincesAnswer]);
    expect({ executions: gateway.executions.length, counts: gateway.counters.snapshot() }).toEqual({
      executions: 1,
      counts: { response: { hits: 0, misses: 3, errors: 0 } },
    });
  });

  it('reads the store once for identical concurrent hits, each counted a hit', async () => {
    const { store, calls } = recordedStore();
    await replica(store).ask(provinces);
    calls.length = 0;
    const second = replica(store);
    const answers = await Promise.all([second.ask(provinces), second.ask(provinces)]);
    expect(answers.map(json)).toEqual([provincesAnswer, provincesAnswer]);
    expect({ reads: calls.length, executions: second.executions.length, counts: second.counters.snapshot() }).toEqual({
      reads: 1,
      executions: 0,
      counts: { response: { hits: 2, misses: 0, errors: 0 } },
    });
  });

  it('gives each concurrent caller its own personal answer, never the one another caller is waiting for', async () => {
    const gateway = replica(recordedStore().store);
    const query = { query: '{ citizen(pin: "001") { fullName } }' };
    const answers = await Promise.all([
      gateway.ask(query, caller('officer-1', ['population:pii'])),
      gateway.ask(query, caller('officer-2', ['population:pii'])),
    ]);
    expect(answers.map(json)).toEqual(
      ['officer-1', 'officer-2'].map((subject) => ({ data: { citizen: { fullName: `record read by ${subject}` } } })),
    );
  });

  it('runs again after an answer that was not kept, rather than replaying a finished execution', async () => {
    const { store, calls } = recordedStore();
    const gateway = replica(store);
    await gateway.ask({ query: '{ broken }' });
    await gateway.ask({ query: '{ broken }' });
    expect({ executions: gateway.executions.length, reads: calls.length }).toEqual({ executions: 2, reads: 2 });
  });
});

describe('response cache invalidation', () => {
  it('marks stale every answer a changed subgraph served, in the store and in this process, and says how many', async () => {
    const { store, raw } = recordedStore();
    const gateway = replica(store);
    const both = { query: '{ provinces { code } farms }' };
    const farms = { query: '{ farms }' };
    for (const body of [provinces, both, farms]) await gateway.ask(body);
    expect(await gateway.invalidateSubgraphs(['population'])).toBe(2);
    // Kept and listed still, beside a mark: served stale until recomputed (here there is no stale window: recomputed at once).
    expect([
      await raw.get(keyOf(provinces)!),
      await raw.get(keyOf(both)!),
      (await raw.members(subgraphTag(prefix, 'population'))).sort(),
    ]).toEqual([expect.any(String), expect.any(String), [keyOf(provinces), keyOf(both)].sort()]);
    expect([
      await raw.get(staleMark(keyOf(provinces)!)),
      await raw.get(staleMark(keyOf(both)!)),
      await raw.get(staleMark(keyOf(farms)!)),
    ]).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/), undefined]);
    for (const body of [provinces, both, farms]) await gateway.ask(body);
    // The agriculture-only answer is still fresh in this process's memory: it is not run again.
    expect({ executions: gateway.executions.length, counts: gateway.counters.snapshot() }).toEqual({
      executions: 5,
      counts: { response: { hits: 1, misses: 5, errors: 0 } },
    });
    // A recomputed answer is fresh again: its mark is gone.
    expect(await raw.get(staleMark(keyOf(provinces)!))).toBeUndefined();
    // The answer both subgraphs served is one answer, however many lists name it.
    expect(await gateway.invalidateSubgraphs(['population', 'agriculture'])).toBe(3);
  });

  it('marks the copies in memory: those it computed as the invalidation begins, those read from the store once it holds the marks', async () => {
    const { store, raw } = recordedStore();
    let marking!: () => void;
    let finishMarking!: () => void;
    const reachedMarks = new Promise<void>((resolve) => (marking = resolve));
    const held = new Promise<void>((resolve) => (finishMarking = resolve));
    const holdingMarks: CacheStore = {
      ...store,
      set: async (key, value, ttl) => {
        if (key.endsWith(':stale')) {
          marking();
          await held;
        }
        return store.set(key, value, ttl);
      },
    };
    const [one, two] = [replica(holdingMarks, { staleSeconds: 600 }), replica(holdingMarks, { staleSeconds: 600 })];
    await one.ask(provinces);
    // The second replica's copy comes from the store: it does not know which subgraphs served it.
    expect((await two.ask(provinces)).age).toBeGreaterThanOrEqual(0);
    const invalidations = [one.invalidateSubgraphs(['population']), two.invalidateSubgraphs(['population'])];
    await reachedMarks;
    // The copy the first computed is stale at once; the second forgot its copy and, the store not marked yet, reads it back fresh.
    expect((await one.ask(provinces)).stale).toBe(true);
    expect((await two.ask(provinces)).stale).toBeUndefined();
    finishMarking();
    expect(await Promise.all(invalidations)).toEqual([1, 1]);
    expect(await raw.has(staleMark(keyOf(provinces)!))).toBe(true);
    // Once the store holds the marks, the copy it brought back is stale too.
    expect((await two.ask(provinces)).stale).toBe(true);
    await Promise.all([one.cache.settled(), two.cache.settled()]);
    // One recomputation between them: whichever took the lock; the other took its answer from the store.
    expect(one.executions.length + two.executions.length).toBe(2);
    expect(json(await one.ask(provinces))).toEqual(provincesAnswer);
  });
});

describe('stale while revalidate', () => {
  /** An answer kept `secondsAgo` with a max-age of 60, written straight into the store. */
  const keptEarlier = async (raw: CacheStore, body: object, secondsAgo: number, data: unknown = 'old') =>
    raw.set(keyOf(body)!, JSON.stringify({ body: JSON.stringify({ data }), storedAt: Date.now() - secondsAgo * 1000, maxAge: 60 }), 3_600);

  it('serves an expired answer at once, stale with its age, while one recomputation renews it for 20 concurrent requests', async () => {
    const { store, raw } = recordedStore();
    await keptEarlier(raw, provinces, 90);
    const gateway = replica(store, { staleSeconds: 600 });
    let release!: () => void;
    gateway.hold(new Promise((resolve) => (release = resolve)));
    const first = await Promise.all(Array.from({ length: 20 }, () => gateway.ask(provinces)));
    // The recomputation is under way (held): more requests still get the stale answer, from memory, and start none.
    const second = await Promise.all(Array.from({ length: 20 }, () => gateway.ask(provinces)));
    for (const answer of [...first, ...second]) {
      expect({ stale: answer.stale, old: json(answer), cacheControl: answer.headers }).toEqual({
        stale: true,
        old: { data: 'old' },
        cacheControl: [
          ['content-type', 'application/json; charset=utf-8'],
          ['cache-control', 'no-store'],
          ['warning', '110 - "Response is Stale"'],
        ],
      });
      expect(answer.age).toBeGreaterThanOrEqual(90);
    }
    release();
    await gateway.cache.settled();
    expect(gateway.executions.length).toBe(1);
    const renewed = await gateway.ask(provinces);
    expect({ stale: renewed.stale, answer: json(renewed), age: renewed.age }).toEqual({
      stale: undefined,
      answer: provincesAnswer,
      age: 0,
    });
    expect(JSON.parse(JSON.parse((await raw.get(keyOf(provinces)!))!).body)).toEqual(provincesAnswer);
    expect(gateway.counters.snapshot()).toEqual({
      response: { hits: 41, misses: 0, errors: 0 },
      refresh: { hits: 1, misses: 0, errors: 0 },
    });
  });

  it('runs an answer past its stale window again before answering, as without one', async () => {
    const { store, raw } = recordedStore();
    await keptEarlier(raw, provinces, 60 + 600 + 5);
    const gateway = replica(store, { staleSeconds: 600 });
    const answer = await gateway.ask(provinces);
    expect({ age: answer.age, answer: json(answer), executions: gateway.executions.length }).toEqual({
      age: undefined,
      answer: provincesAnswer,
      executions: 1,
    });
  });

  it('keeps serving the stale answer when its recomputation fails, counts the failure, and names a failing subgraph', async () => {
    const { store, raw } = recordedStore();
    await keptEarlier(raw, provinces, 90);
    const gateway = replica(store, { staleSeconds: 600 });
    const down: Adjust = (answer, context) => {
      context.outcome.hadErrors = true;
      context.outcome.failedSubgraphs = ['population'];
      return answer;
    };
    expect(json(await gateway.ask(provinces, analyst, down))).toEqual({ data: 'old' });
    await gateway.cache.settled();
    expect(gateway.counters.snapshot().refresh).toEqual({ hits: 0, misses: 0, errors: 1 });
    const stale = await gateway.ask(provinces, analyst, down);
    expect(stale.stale).toBe(true);
    expect(json(stale)).toEqual({ data: 'old', extensions: { stale: { ageSeconds: stale.age, failedSubgraphs: ['population'] } } });
    expect(JSON.parse((await raw.get(keyOf(provinces)!))!)).toMatchObject({ body: JSON.stringify({ data: 'old' }) });
    // A recomputation that throws (past its deadline) leaves it too.
    await gateway.cache.settled();
    const throwing: Adjust = () => {
      throw new Error('deadline');
    };
    expect((await gateway.ask(provinces, analyst, throwing)).stale).toBe(true);
    await gateway.cache.settled();
    expect(gateway.counters.snapshot().refresh!.errors).toBe(3);
    expect(JSON.parse((await raw.get(keyOf(provinces)!))!)).toMatchObject({ body: JSON.stringify({ data: 'old' }) });
  });

  it('lets one replica recompute an answer that several serve stale: the others see the lock and wait for its answer', async () => {
    const { store, raw } = recordedStore();
    await keptEarlier(raw, provinces, 90);
    const [one, two] = [replica(store, { staleSeconds: 600 }), replica(store, { staleSeconds: 600 })];
    let release!: () => void;
    one.hold(new Promise((resolve) => (release = resolve)));
    expect((await one.ask(provinces)).stale).toBe(true);
    // The first replica's recomputation holds the lock (and is held): the second serves stale and leaves it.
    expect(await eventually(async () => one.executions.length === 1)).toBe(true);
    expect((await two.ask(provinces)).stale).toBe(true);
    await two.cache.settled();
    expect(two.counters.snapshot().refresh).toEqual({ hits: 0, misses: 1, errors: 0 });
    release();
    await one.cache.settled();
    // The second replica takes the renewed answer from the store instead of computing it.
    expect((await two.ask(provinces)).stale).toBe(true);
    await two.cache.settled();
    expect(json(await two.ask(provinces))).toEqual(provincesAnswer);
    expect([one.executions.length, two.executions.length]).toEqual([1, 0]);
  });
});

describe('recomputing after an invalidation', () => {
  it('recomputes the most asked of the answers it made stale, in the background, before anyone asks again', async () => {
    const { store, raw } = recordedStore();
    const gateway = replica(store, { staleSeconds: 600, refreshHottest: 1 });
    const both = { query: '{ provinces { code } farms }' };
    await gateway.askReplayable(provinces);
    await gateway.askReplayable(provinces);
    await gateway.askReplayable(both);
    expect(gateway.executions.length).toBe(2);
    expect(await gateway.invalidateSubgraphs(['population'])).toBe(2);
    await gateway.cache.settled();
    // Only the most asked one (one is the bound here); the other is served stale on its next request, and renewed then.
    expect(gateway.executions.length).toBe(3);
    expect(await raw.get(staleMark(keyOf(provinces)!))).toBeUndefined();
    expect(await raw.get(staleMark(keyOf(both)!))).toBeDefined();
    expect((await gateway.askReplayable(provinces)).stale).toBeUndefined();
    expect((await gateway.askReplayable(both)).stale).toBe(true);
    await gateway.cache.settled();
    expect(gateway.counters.snapshot().refresh).toEqual({ hits: 2, misses: 0, errors: 0 });
    expect(gateway.executions.length).toBe(4);
  });

  it('recomputes only what may be replayed: never personal data, private answers, or answers it was not told it may replay', async () => {
    const { store, calls } = recordedStore();
    const gateway = replica(store, { staleSeconds: 600 });
    const officer = caller('officer', ['population:pii']);
    await gateway.askReplayable({ query: '{ citizen(pin: "001") { fullName } }' }, officer);
    await gateway.askReplayable({ query: '{ inbox }' });
    // Asked by a caller whose request may not be replayed (the route says so for authenticated callers).
    await gateway.ask(provinces);
    expect(gateway.executions.length).toBe(3);
    // Only the public answer was kept.
    expect(calls.filter((call) => call.startsWith('set ')).map((call) => call.split(' ')[1])).toEqual([keyOf(provinces)]);
    expect(await gateway.invalidateSubgraphs(['population'])).toBe(1);
    await gateway.cache.settled();
    expect(gateway.executions.length).toBe(3);
  });

  it('keeps an answer that an invalidation overtook marked stale, and computes it once more', async () => {
    const { store, raw } = recordedStore();
    const gateway = replica(store, { staleSeconds: 600 });
    await gateway.askReplayable(provinces);
    let release!: () => void;
    gateway.hold(new Promise((resolve) => (release = resolve)));
    await gateway.invalidateSubgraphs(['population']);
    // The recomputation it started is held: it may have read the data before the next change.
    expect(await eventually(async () => gateway.executions.length === 2)).toBe(true);
    await gateway.invalidateSubgraphs(['population']);
    release();
    await gateway.cache.settled();
    expect(gateway.executions.length).toBe(3);
    expect(await raw.get(staleMark(keyOf(provinces)!))).toBeUndefined();
    expect((await gateway.askReplayable(provinces)).stale).toBeUndefined();
  });
});

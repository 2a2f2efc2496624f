import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDataChange } from '../../../gateway/cache/announce.js';
import { createInvalidation } from '../../../gateway/cache/invalidation.js';
import { cacheKeyPrefix, staleMark, subgraphTag } from '../../../gateway/cache/keys.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import type { RunningGateway } from '../../../gateway/server.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { seed } from '../../../scripts/seed/load.js';
import { agencyCounts } from '../../../subgraphs/agencies.js';
import { refreshMonthlyCounts } from '../../../subgraphs/runtime/monthly-counts.js';
import { openTestDatabases } from '../../support/databases.js';
import { deleteKeys, observedStore, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually, post, replicaBehindProxy, startTestSystem, type GraphQLAnswer, type TestSystem } from '../../support/system.js';
import type { TcpProxy } from '../../support/tcp-proxy.js';
import { noiseBound } from '../../../subgraphs/runtime/disclosure.js';

// Three subgraphs answer it: population (the list and eIdAdoption), health and civil service (through entities).
const dashboard = `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode eIdAdoption { value } ehrCoverage { value } civilServantDigitalSkills { value } } }`;

/** The fetches the gateway has made to a subgraph, from its /metrics. */
async function subgraphFetches(gateway: RunningGateway, subgraph: string): Promise<number> {
  const text = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
  return [...text.matchAll(/^gateway_subgraph_fetch_duration_seconds_count\{subgraph="([^"]+)",[^}]*\} (\d+)$/gm)]
    .filter(([, name]) => name === subgraph)
    .reduce((sum, [, , count]) => sum + Number(count), 0);
}

/** Moves the stored answers a subgraph served back in time, as if kept `seconds` ago; gives their max-age. */
async function ageStoredAnswers(store: CacheStore, keyPrefix: string, subgraph: string, seconds: number): Promise<number> {
  const keys = await store.members(subgraphTag(keyPrefix, subgraph));
  expect(keys.length).toBeGreaterThan(0);
  let maxAge = 0;
  for (const key of keys) {
    const entry = JSON.parse((await store.get(key))!) as { storedAt: number; maxAge: number };
    maxAge = entry.maxAge;
    await store.set(key, JSON.stringify({ ...entry, storedAt: Date.now() - seconds * 1000 }), 3_600);
  }
  return maxAge;
}

const cacheOf = (answer: GraphQLAnswer) => answer.headers!.get('x-cache');

describe('stale while revalidate on the real Redis server', () => {
  const keyPrefix = uniquePrefix('swr');
  let store: CacheStore;
  let test: TestSystem;
  const plans: unknown[] = [];
  beforeAll(async () => {
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    // Answers live in process for a millisecond: every request reads Redis, whose entries the tests age.
    test = await startTestSystem({
      cache: { store, keyPrefix, localSeconds: 0.001, staleSeconds: 600 },
      onQueryPlan: (plan) => plans.push(plan),
    });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await deleteKeys(keyPrefix);
  });

  it('serves an expired answer at once, stale with its age, while one recomputation for 20 concurrent requests renews it', async () => {
    // A replica of its own whose way to the population subgraph can be slowed: the recomputation then outlasts the requests.
    const ownPrefix = uniquePrefix('swr-expired');
    const ownPlans: unknown[] = [];
    const { proxy, gateway } = await replicaBehindProxy(test, 'population', {
      cache: { store, keyPrefix: ownPrefix, localSeconds: 0.001, staleSeconds: 600 },
      onQueryPlan: (plan) => ownPlans.push(plan),
    });
    try {
      const ask = () => post(gateway.url, dashboard, undefined, test.analyst);
      const first = await ask();
      expect(cacheOf(first)).toBe('MISS');
      // Computing this answer fetches the provinces from population once (health and civil service answer for them
      // through entities, which the entity cache keeps: a recomputation may not need to ask them again).
      expect(await subgraphFetches(gateway, 'population')).toBe(1);

      const maxAge = await ageStoredAnswers(store, ownPrefix, 'population', 0);
      await ageStoredAnswers(store, ownPrefix, 'population', maxAge + 30);
      ownPlans.length = 0;
      proxy.setLatency(1_000);
      const answers = await Promise.all(Array.from({ length: 20 }, ask));
      for (const answer of answers) {
        expect(cacheOf(answer)).toBe('STALE');
        expect(Number(answer.headers!.get('age'))).toBeGreaterThanOrEqual(maxAge + 30);
        expect(answer.headers!.get('cache-control')).toBe('no-store');
        expect(answer.data).toEqual(first.data);
      }
      expect(ownPlans).toHaveLength(1);
      proxy.setLatency(0);
      // Renewed by the one recomputation: fresh again, new in Redis.
      let renewed: GraphQLAnswer | undefined;
      expect(await eventually(async () => cacheOf((renewed = await ask())) === 'HIT', 10_000)).toBe(true);
      expect(Number(renewed!.headers!.get('age'))).toBeLessThan(30);
      expect(renewed!.data).toEqual(first.data);
      expect(ownPlans).toHaveLength(1);
      expect(await subgraphFetches(gateway, 'population')).toBe(2);
      expect(gateway.statistics.snapshot().refresh).toEqual({ hits: 1, misses: 0, errors: 0 });
    } finally {
      await gateway.stop();
      await proxy.stop();
      await deleteKeys(ownPrefix);
    }
  });

  it("never keeps personal data, and after an invalidation replays only anonymous callers' answers", async () => {
    const citizen = `query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }`;
    for (let ask = 0; ask < 2; ask++) {
      const answer = await test.query(citizen, { pin: test.pin });
      expect(answer.errors).toBeUndefined();
      expect([cacheOf(answer), answer.headers!.get('cache-control')]).toEqual(['MISS', 'no-store']);
    }
    // Asked anonymously, it is refused, and that is not kept either.
    for (let ask = 0; ask < 2; ask++) expect(cacheOf(await test.queryAs({}, citizen, { pin: test.pin }))).toBe('MISS');
    // The anonymous caller's dashboard, which this replica may replay, and the analyst's, which it may not.
    expect(cacheOf(await test.queryAs({}, dashboard))).toBe('MISS');
    expect(cacheOf(await test.query(dashboard))).toBe('MISS');
    const fullName = String((await test.query<{ citizen: { fullName: string } }>(citizen, { pin: test.pin })).data!.citizen.fullName);
    const kept = await store.members(subgraphTag(keyPrefix, 'population'));
    expect(kept).toHaveLength(2);
    for (const key of kept) expect(await store.get(key)).not.toContain(fullName);

    plans.length = 0;
    await announceInvalidation(store, keyPrefix, ['population', 'health']);
    // The anonymous dashboard is recomputed with nobody asking; the personal reads are not, nor the analyst's dashboard.
    const unmarked = async () => (await Promise.all(kept.map((key) => store.has(staleMark(key))))).filter((mark) => !mark).length;
    expect(await eventually(async () => (await unmarked()) === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(plans).toHaveLength(1);
    expect(cacheOf(await test.queryAs({}, dashboard))).toBe('HIT');
    expect(cacheOf(await test.query(dashboard))).toBe('STALE');
  });
});

/** What a tool does after a change (announce.ts), for a gateway whose key prefix is given as is. */
async function announceInvalidation(store: CacheStore, keyPrefix: string, subgraphs: string[]) {
  const invalidation = createInvalidation({ stores: { response: store, entity: store }, keyPrefix, supergraphSdl: readSupergraph() });
  await invalidation.drop({ subgraphs });
  await invalidation.publish({ subgraphs });
}

describe('a stale answer whose recomputation fails', () => {
  const keyPrefix = uniquePrefix('swr-fail');
  let store: CacheStore;
  let test: TestSystem;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  // Served by the indicators subgraph's own root field: no entity cache stands in for it when it is down.
  const catalogue = '{ tasks { number nameEn measured } }';
  beforeAll(async () => {
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    test = await startTestSystem();
    ({ proxy, gateway } = await replicaBehindProxy(test, 'indicators', {
      cache: { store, keyPrefix, localSeconds: 0.001, staleSeconds: 600 },
    }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.stop();
    await test?.stop();
    await store?.close();
    await deleteKeys(keyPrefix);
  });

  it('keeps serving the stale answer, counts the failure, and is renewed once the subgraph is back', async () => {
    const fresh = await post(gateway.url, catalogue);
    expect(cacheOf(fresh)).toBe('MISS');
    const [key] = await store.members(subgraphTag(keyPrefix, 'indicators'));
    await proxy.stop();
    const maxAge = await ageStoredAnswers(store, keyPrefix, 'indicators', 0);
    await ageStoredAnswers(store, keyPrefix, 'indicators', maxAge + 30);
    const kept = await store.get(key!);

    const stale = await post(gateway.url, catalogue);
    expect(cacheOf(stale)).toBe('STALE');
    expect(stale.data).toEqual(fresh.data);
    expect(await eventually(async () => (gateway.statistics.snapshot().refresh?.errors ?? 0) > 0)).toBe(true);
    // The failed recomputation left the stale answer in Redis as it was, and it is still served, naming the failing subgraph.
    expect(await store.get(key!)).toBe(kept);
    const still = await post(gateway.url, catalogue);
    expect(cacheOf(still)).toBe('STALE');
    expect(still.data).toEqual(fresh.data);
    expect((still as { extensions?: unknown }).extensions).toMatchObject({ stale: { failedSubgraphs: ['indicators'] } });

    await proxy.start();
    expect(await eventually(async () => cacheOf(await post(gateway.url, catalogue)) === 'HIT', 10_000)).toBe(true);
    expect(await store.get(key!)).not.toBe(kept);
  });
});

describe('after a data refresh', () => {
  const cachePrefix = uniquePrefix('swr-refresh').replaceAll(':', '-');
  const keyPrefix = cacheKeyPrefix(cachePrefix, readSupergraph());
  let store: CacheStore;
  let handled: string[];
  let test: TestSystem;
  const plans: unknown[] = [];
  // At the nation's level: its count of activated e-IDs is what the change below moves.
  const nation = `{ areaStats(level: NATION, period: "2025-Q4") { eIdAdoption { numerator denominator } } }`;
  type Nation = { areaStats: Array<{ eIdAdoption: { numerator: number; denominator: number } }> };
  const numeratorOf = (answer: GraphQLAnswer<Nation>) => answer.data!.areaStats[0]!.eIdAdoption.numerator;

  beforeAll(async () => {
    // Databases of this test's own: it changes their data.
    const databases = await openTestDatabases('postgres');
    try {
      await seed(databases, { citizens: 1_000, seed: 3, asOf: '2025-12-31' });
    } catch (error) {
      await databases.close();
      throw error;
    }
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    const observed = observedStore(store);
    handled = observed.handled;
    test = await startTestSystem({ databases, cache: { store: observed.store, keyPrefix }, onQueryPlan: (plan) => plans.push(plan) });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
    await deleteKeys(cachePrefix);
  });

  it('serves the previous answers, stale, until they are recomputed on the new data: the anonymous dashboard before anyone asks', async () => {
    const analystBefore = await test.query<Nation>(nation);
    const anonymousBefore = await test.queryAs<Nation>({}, nation);
    expect([cacheOf(analystBefore), cacheOf(anonymousBefore)]).toEqual(['MISS', 'MISS']);
    const old = numeratorOf(analystBefore);
    expect(numeratorOf(anonymousBefore)).toBe(old);

    // A correction in the population database: 40 activated e-IDs withdrawn, then the counts rebuilt, then announced.
    const population = test.databases.get('population');
    await population.query(
      `UPDATE population.citizen SET vneid_level = NULL, vneid_activated_on = NULL
        WHERE pin IN (SELECT pin FROM population.citizen WHERE vneid_level = 2 AND died_on IS NULL AND vneid_activated_on <= DATE '2025-12-31' ORDER BY pin LIMIT 40)`,
    );
    await population.transaction((session) => refreshMonthlyCounts(session, agencyCounts.population));
    plans.length = 0;
    expect(await announceDataChange(['population'], { REDIS_URL: redisUrl, CACHE_PREFIX: cachePrefix })).toMatch(
      /^marked 2 cached answers of population stale/,
    );
    expect(await eventually(async () => handled.length === 1)).toBe(true);

    // The analyst's answer is renewed by its next request: that one is the previous answer, stale, with its age.
    const first = await test.query<Nation>(nation);
    expect(cacheOf(first)).toBe('STALE');
    expect(first.headers!.get('age')).toMatch(/^\d+$/);
    expect(numeratorOf(first)).toBe(old);
    let later: GraphQLAnswer<Nation> | undefined;
    expect(await eventually(async () => cacheOf((later = await test.query<Nation>(nation))) === 'HIT')).toBe(true);
    // Published counts carry the cell-key noise (docs/disclosure.md): the renewed figure is 40 fewer, within the bound.
    // Before and after are each perturbed, each a count at most four nested cells deep (the e-ID counts).
    const publishedBound = 2 * 4 * noiseBound;
    const renewed = numeratorOf(later!);
    expect(Math.abs(renewed - (old - 40))).toBeLessThanOrEqual(publishedBound);

    // The anonymous dashboard was recomputed before it was asked again: both answers are renewed, in two computations,
    // and its next answer is already the new one.
    const keys = await store.members(subgraphTag(keyPrefix, 'population'));
    expect(keys).toHaveLength(2);
    expect(await eventually(async () => (await Promise.all(keys.map((key) => store.has(staleMark(key))))).every((mark) => !mark))).toBe(
      true,
    );
    expect(plans).toHaveLength(2);
    const anonymousAfter = await test.queryAs<Nation>({}, nation);
    expect(cacheOf(anonymousAfter)).toBe('HIT');
    expect(numeratorOf(anonymousAfter)).toBe(renewed);
  });
});

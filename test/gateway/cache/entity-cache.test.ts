import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishInvalidation } from '../../../gateway/cache/invalidation.js';
import { createRedisStore } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { entityTag } from '../../../gateway/cache/keys.js';
import type { RunningGateway } from '../../../gateway/server.js';
import { deleteKeys, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { eventually, post, startTestSystem, type GraphQLAnswer, type TestSystem, startReplica } from '../../support/system.js';

type Representation = Record<string, unknown>;

/** An HTTP proxy in front of one subgraph that keeps the representations of every `_entities` request it forwards. */
interface RecordingProxy {
  readonly url: string;
  /** The representations of each `_entities` request, in the order they arrived. */
  readonly entityRequests: Representation[][];
  stop(): Promise<void>;
}

// Hop-by-hop headers, and those fetch recomputes for the bytes it forwards.
const unforwarded = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding']);

async function recordingProxy(target: string): Promise<RecordingProxy> {
  const entityRequests: Representation[][] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const { query, variables } = JSON.parse(body.toString()) as { query?: string; variables?: { representations?: Representation[] } };
      if (query?.includes('_entities')) entityRequests.push(variables?.representations ?? []);
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        unforwarded.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
      );
      const answer = await fetch(target, { method: request.method!, headers, body });
      const bytes = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !unforwarded.has(name))));
      response.end(bytes);
    })().catch((error: unknown) => {
      response.statusCode = 502;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(target).pathname}`,
    entityRequests,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The gateway's fetch keeps connections alive; they would hold close() until they time out.
      server.closeAllConnections();
      await closed;
    },
  };
}

const provinces = `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode eIdAdoption { value suppressed } ehrCoverage { numerator denominator value suppressed } } }`;
const series = `{ areaSeries(unitCode: "79", from: "2025-Q2", to: "2025-Q4") { period ehrCoverage { numerator value } } }`;

describe('entity cache under the query plan', () => {
  const prefix = uniquePrefix('entity');
  let store: CacheStore;
  let test: TestSystem;
  let health: RecordingProxy;
  let gateway: RunningGateway;
  beforeAll(async () => {
    store = createRedisStore({ url: redisUrl, commandTimeoutMs: patientCommandTimeoutMs });
    await store.ready();
    // The test system's own gateway stays idle: the gateway under test reaches health through the recording proxy.
    test = await startTestSystem();
    health = await recordingProxy(test.system.subgraphs.get('health')!.url);
    gateway = await startReplica(test, {
      subgraphUrls: { health: health.url },
      cache: { store, keyPrefix: prefix },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await health?.stop();
    await test?.stop();
    await store?.close();
    await deleteKeys(prefix);
  });

  const ask = (query: string) => post(gateway.url, query, undefined, test.analyst);
  const entityCounts = () => ({ hits: 0, misses: 0, errors: 0, ...gateway.statistics.snapshot().entity });

  /** Publishes that one area's figures changed, and waits until its cached entities are gone from Redis. */
  const invalidateArea = async (key: { unitCode: string; period: string }) => {
    const entries = await store.members(entityTag(prefix, 'AreaStats', key));
    // One entry: the health subgraph's answer for this selection (the population subgraph serves the root field itself).
    expect(entries).toHaveLength(1);
    await publishInvalidation(store, prefix, { entities: [{ type: 'AreaStats', key }] });
    expect(
      await eventually(async () => (await Promise.all(entries.map((entry) => store.get(entry)))).every((value) => value === undefined)),
    ).toBe(true);
  };

  /**
   * The invalidation marks the whole answers stale too: asks until one is served stale, then until the one
   * recomputation that renews it (the only work to reach the entity cache) is done, and gives the renewed answer.
   */
  const askUntilRenewed = async (query: string) => {
    let answer: GraphQLAnswer | undefined;
    expect(await eventually(async () => (answer = await ask(query)).headers!.get('x-cache') === 'STALE')).toBe(true);
    expect(await eventually(async () => (answer = await ask(query)).headers!.get('x-cache') === 'HIT')).toBe(true);
    return answer!;
  };

  it('after one province is invalidated, asks the subgraph for that one representation only', async () => {
    health.entityRequests.length = 0;
    const first = await ask(provinces);
    expect(first.errors).toBeUndefined();
    expect(first.headers!.get('x-cache')).toBe('MISS');
    expect(health.entityRequests.map((representations) => representations.length)).toEqual([34]);
    expect(entityCounts()).toEqual({ hits: 0, misses: 34, errors: 0 });
    const hanoi = health.entityRequests[0]!.find((representation) => representation.unitCode === '01');
    expect(hanoi).toMatchObject({ __typename: 'AreaStats', unitCode: '01', period: '2025-Q4' });

    await invalidateArea({ unitCode: '01', period: '2025-Q4' });
    health.entityRequests.length = 0;
    const before = entityCounts();
    const second = await askUntilRenewed(provinces);
    const after = entityCounts();

    expect(health.entityRequests).toEqual([[hanoi]]);
    expect({ hits: after.hits - before.hits, misses: after.misses - before.misses, errors: after.errors }).toEqual({
      hits: 33,
      misses: 1,
      errors: 0,
    });
    expect(second.data).toEqual(first.data);
  });

  it('merges cached and fetched entities in order for a mix of periods', async () => {
    health.entityRequests.length = 0;
    const uncached = await ask(series);
    expect(uncached.errors).toBeUndefined();
    const periods = (uncached.data!.areaSeries as Array<{ period: string; ehrCoverage: unknown }>).map((area) => area.period);
    expect(periods).toEqual(['2025-Q2', '2025-Q3', '2025-Q4']);
    // Each period's figures differ, so an entity put back in the wrong place changes the answer.
    expect(
      new Set((uncached.data!.areaSeries as Array<{ ehrCoverage: unknown }>).map((area) => JSON.stringify(area.ehrCoverage))).size,
    ).toBe(3);
    expect(health.entityRequests.map((representations) => representations.map((representation) => representation.period))).toEqual([
      periods,
    ]);
    const third = health.entityRequests[0]![1];

    await invalidateArea({ unitCode: '79', period: '2025-Q3' });
    health.entityRequests.length = 0;
    const before = entityCounts();
    const merged = await askUntilRenewed(series);
    const after = entityCounts();

    expect(health.entityRequests).toEqual([[third]]);
    expect({ hits: after.hits - before.hits, misses: after.misses - before.misses }).toEqual({ hits: 2, misses: 1 });
    expect(merged.data).toEqual(uncached.data);
  });
});

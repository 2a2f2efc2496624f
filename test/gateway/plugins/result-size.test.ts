import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { countObjects } from '../../../gateway/plugins/result-size.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

describe('counting the objects of an answer', () => {
  it('counts objects at every depth and in lists, not scalars or the lists themselves', () => {
    expect(countObjects(null)).toBe(0);
    expect(
      countObjects({
        areaStats: [
          { unitCode: '01', unit: { name: 'Hà Nội' } },
          { unitCode: '79', unit: null },
        ],
      }),
    ).toBe(1 + 2 + 1);
    expect(countObjects({ _entities: [[{ a: 1 }], 'x', 3] })).toBe(2);
  });
});

describe('an answer that outgrows LIMIT_RESULT_OBJECTS', () => {
  let test: TestSystem;
  const limit = 5_000;
  beforeAll(async () => {
    // Demand control off: this is the line behind it, for what the estimate let through.
    test = await startTestSystem({
      cache: { store: createMemoryStore(), keyPrefix: `result-${randomUUID()}` },
      securityEnvironment: { LIMIT_RESULT_OBJECTS: String(limit), LIMIT_COST_ANONYMOUS: '0', LIMIT_COST_AUTHENTICATED: '0' },
    });
  });
  afterAll(() => test?.stop());

  const metric = async (name: string) => {
    const text = await (await fetch(new URL('/metrics', test.system.gateway.url))).text();
    return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
  };

  it('is refused with RESULT_TOO_LARGE, all of it discarded, and is not cached', async () => {
    // 3,321 communes, each with its unit: over 5,000 objects from the population subgraph alone.
    const query = '{ areaStats(level: COMMUNE, period: "2025") { unitCode unit { name } ehrCoverage { value } } }';
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(test.system.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const answer = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(response.status).toBe(400);
      expect(response.headers.get('x-cache')).toBe('MISS');
      expect(answer.data).toBeUndefined();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors[0]!.extensions).toEqual({ code: 'RESULT_TOO_LARGE', objects: expect.any(Number), limit });
      expect(answer.errors[0]!.extensions['objects'] as number).toBeGreaterThan(limit);
    }
  });

  it('stops fetching once past the limit: the other agencies are not asked', async () => {
    // A small answer first, so that health has been asked at least once and its count exists.
    expect((await test.queryAs({}, '{ areaStats(level: NATION, period: "2023") { ehrCoverage { value } } }')).errors).toBeUndefined();
    const fetchesBefore = await metric('gateway_subgraph_fetch_duration_seconds_count{subgraph="health",outcome="ok"}');
    expect(fetchesBefore).toBeGreaterThanOrEqual(1);
    const answer = await test.queryAs({}, '{ areaStats(level: COMMUNE, period: "2024") { unitCode unit { name } ehrCoverage { value } } }');
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('RESULT_TOO_LARGE');
    expect(await metric('gateway_subgraph_fetch_duration_seconds_count{subgraph="health",outcome="ok"}')).toBe(fetchesBefore);
  });

  it('answers what stays within the limit, and reports every answer’s size', async () => {
    const answer = await test.queryAs<{ areaStats: unknown[] }>(
      {},
      '{ areaStats(level: PROVINCE, period: "2025") { unitCode unit { name } ehrCoverage { value } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.areaStats).toHaveLength(34);
    expect(await metric('gateway_operation_received_objects_count')).toBeGreaterThanOrEqual(4);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../gateway/cache/memory-store.js';
import type { CacheStore } from '../../gateway/cache/store.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

describe('metrics', () => {
  let store: CacheStore;
  let test: TestSystem;
  beforeAll(async () => {
    store = createMemoryStore();
    test = await startTestSystem({ cache: { store, keyPrefix: 'metrics' } });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
  });

  it('counts requests by status and cache outcome, errors by code, subgraph fetches and cache events, in Prometheus text', async () => {
    const dashboard = '{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } ehrCoverage { value } } }';
    await test.query(dashboard);
    await test.query(dashboard);
    await test.queryAs({}, 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin });
    const response = await fetch(test.system.gateway.url.replace('/graphql', '/metrics'));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('gateway_http_request_duration_seconds_count{status="200",cache="miss"}')).toBe(1);
    expect(value('gateway_http_request_duration_seconds_count{status="200",cache="hit"}')).toBe(1);
    expect(value('gateway_http_request_duration_seconds_count{status="403",cache="miss"}')).toBe(1);
    expect(value('gateway_graphql_errors_total{code="FORBIDDEN"}')).toBe(1);
    expect(value('gateway_subgraph_fetch_duration_seconds_count{subgraph="population",outcome="ok"}')).toBe(1);
    expect(value('gateway_subgraph_fetch_duration_seconds_count{subgraph="health",outcome="ok"}')).toBe(1);
    expect(value('gateway_cache_events_total{layer="response",event="hit"}')).toBe(1);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // Nothing personal: no PIN appears.
    expect(text).not.toContain(test.pin);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { queryPlanScope } from '../../../gateway/plugins/query-plan.js';
import { allScopes } from '../../support/security.js';
import { bearer, startTestSystem, type TestSystem } from '../../support/system.js';

const query = '{ areaStats(level: PROVINCE, period: "2025") { unitCode ehrCoverage { value } } }';
const planHeaders = { 'apollo-query-plan-experimental': '1', 'apollo-query-plan-experimental-format': 'internal' };

describe('query plans', () => {
  let test: TestSystem;
  let admin: Record<string, string>;
  beforeAll(async () => {
    test = await startTestSystem({ cache: { store: createMemoryStore(), keyPrefix: `plan-${randomUUID()}` } });
    admin = bearer(await test.security.token({ scopes: [...allScopes, queryPlanScope] }, 600));
  });
  afterAll(() => test?.stop());

  const ask = async (headers: Record<string, string>) => {
    const response = await fetch(test.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; extensions?: Record<string, unknown> };
    return { cache: response.headers.get('x-cache'), body };
  };

  it('are not shown to an anonymous caller, nor to one with every data scope but not gateway:admin', async () => {
    for (const headers of [planHeaders, { ...test.analyst, ...planHeaders }]) {
      const { body } = await ask(headers);
      expect(body.data).toBeDefined();
      expect(body.extensions?.['__queryPlanExperimental']).toBeUndefined();
      // The plan would name the fields clients may not see.
      expect(JSON.stringify(body)).not.toContain('residentCount');
    }
  });

  it('are shown to a holder of gateway:admin, and such an answer is neither cached nor served from the cache', async () => {
    const first = await ask({ ...admin, ...planHeaders });
    expect(JSON.stringify(first.body.extensions?.['__queryPlanExperimental'])).toContain('residentCount');
    expect(first.cache).toBeNull();
    // The same caller without the header: an ordinary answer, cached as usual, with no plan in it.
    const plain = [await ask(admin), await ask(admin)];
    expect(plain.map((answer) => answer.cache)).toEqual(['MISS', 'HIT']);
    for (const answer of plain) expect(answer.body.extensions).toBeUndefined();
  });
});

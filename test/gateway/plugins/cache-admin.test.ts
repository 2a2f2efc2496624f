import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../../gateway/cache/memory-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { eventually, startTestSystem, type TestSystem } from '../../support/system.js';

const dashboard = `{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } } }`;

describe('cache invalidation endpoint', () => {
  let store: CacheStore;
  let test: TestSystem;
  let admin: string;
  let analyst: string;
  beforeAll(async () => {
    store = memoryStore();
    test = await startTestSystem({ cache: { store, keyPrefix: 'admin' } });
    admin = await test.security.token({ subject: 'cache-admin', scopes: ['cache:admin'] });
    analyst = await test.security.token({ scopes: ['indicators:read', 'population:pii'] });
  });
  afterAll(async () => {
    await test?.stop();
    await store?.close();
  });

  const invalidate = (body: unknown, bearer?: string) =>
    fetch(test.system.gateway.url.replace('/graphql', '/admin/cache/invalidate'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { errors?: Array<{ extensions: { code: string }; message: string }> } }));

  it('refuses callers without the cache:admin scope, and bad tokens', async () => {
    expect(await invalidate({ types: ['AreaStats'] })).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect(await invalidate({ types: ['AreaStats'] }, analyst)).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect(await invalidate({ types: ['AreaStats'] }, 'wrong-token')).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });
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

  it('drops the answers of the named type for every replica', async () => {
    await test.query(dashboard);
    expect((await test.query(dashboard)).headers!.get('x-cache')).toBe('HIT');
    expect((await invalidate({ types: ['AreaStats'] }, admin)).status).toBe(202);
    expect(await eventually(async () => (await test.query(dashboard)).headers!.get('x-cache') === 'MISS')).toBe(true);
  });
});

describe('the invalidation channel', () => {
  it('shrugs off messages that are not invalidations', async () => {
    const { publishInvalidation, invalidationChannel } = await import('../../../gateway/cache/invalidation.js');
    const store = memoryStore();
    const test = await startTestSystem({ cache: { store, keyPrefix: 'channel' } });
    try {
      for (const junk of ['not json', '{"entities": {"type": 1}}', '{"subgraphs": "health"}', 'null']) await store.publish(invalidationChannel('channel'), junk);
      await publishInvalidation(store, 'channel', { subgraphs: ['health'] });
      const answer = await test.query(dashboard);
      expect(answer.errors).toBeUndefined();
    } finally {
      await test.stop();
      await store.close();
    }
  });
});

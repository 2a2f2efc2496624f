import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../gateway/cache/memory-store.js';
import { documentTooLarge, registersPersistedQuery } from '../../gateway/document-limit.js';
import { post, startReplica, startTestSystem, type TestSystem, securityBeside } from '../support/system.js';

const none = new URLSearchParams();

describe('the query document limit', () => {
  it('counts UTF-8 bytes, comments included, in a POST body or a GET search parameter', () => {
    // "ệ" is three bytes: 10 of them are 30 bytes, over a limit of 29.
    const query = `{ __typename } #${'ệ'.repeat(10)}`;
    const bytes = Buffer.byteLength(query);
    expect(documentTooLarge('POST', { query }, none, bytes)).toBeUndefined();
    expect(documentTooLarge('POST', { query }, none, bytes - 1)).toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      httpStatus: 400,
      message: `The query document is ${bytes} bytes, over the ${bytes - 1} allowed (comments count): send a shorter one`,
      extensions: { bytes, limit: bytes - 1 },
    });
    expect(documentTooLarge('GET', undefined, new URLSearchParams({ query }), bytes - 1)?.code).toBe('DOCUMENT_TOO_LARGE');
  });

  it('leaves alone what has no document (a persisted query by hash) and a limit of 0', () => {
    expect(documentTooLarge('POST', { extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } }, none, 10)).toBeUndefined();
    expect(documentTooLarge('POST', 'not json', none, 10)).toBeUndefined();
    expect(documentTooLarge('POST', { query: 'x'.repeat(100) }, none, 0)).toBeUndefined();
  });
});

describe('a persisted-query registration', () => {
  it('is a document sent with its hash; a hash alone or a document alone is not', () => {
    const persistedQuery = { version: 1, sha256Hash: 'abc' };
    expect(registersPersistedQuery({ query: '{ __typename }', extensions: { persistedQuery } })).toBe(true);
    expect(registersPersistedQuery({ extensions: { persistedQuery } })).toBe(false);
    expect(registersPersistedQuery({ query: '{ __typename }' })).toBe(false);
    expect(registersPersistedQuery({ query: '{ __typename }', extensions: null })).toBe(false);
    expect(registersPersistedQuery(undefined)).toBe(false);
  });
});

describe('a gateway with LIMIT_DOCUMENT_BYTES', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem({
      cache: { store: createMemoryStore(), keyPrefix: `document-${randomUUID()}` },
      securityEnvironment: { LIMIT_DOCUMENT_BYTES: '4096' },
    });
  });
  afterAll(() => test?.stop());

  const send = async (body: unknown) => {
    const response = await fetch(test.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      ...((await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }),
    };
  };

  it('refuses a comment-padded persisted-query registration, and keeps nothing of it', async () => {
    const query = `{ __typename } #${'x'.repeat(5_000)}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash };
    expect(await send({ query, extensions: { persistedQuery } })).toMatchObject({
      status: 400,
      errors: [{ extensions: { code: 'DOCUMENT_TOO_LARGE', bytes: 5_016, limit: 4_096 } }],
    });
    expect(await send({ extensions: { persistedQuery } })).toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
  });

  it('answers a document within the limit', async () => {
    expect(await send({ query: `{ __typename } #${'x'.repeat(4_000)}` })).toEqual({ status: 200, data: { __typename: 'Query' } });
  });

  it('counts a persisted-query registration twice against the rate limit', async () => {
    // A gateway of its own, whose limiter has counted nothing yet: four requests a minute.
    const security = await securityBeside(test, { RATE_LIMIT_PER_MINUTE: '4' });
    const replica = await startReplica(test, {
      security: security.security,
      cache: { store: createMemoryStore(), keyPrefix: `document-${randomUUID()}` },
    });
    try {
      const register = async () => {
        const query = `{ __typename } # ${randomUUID()}`;
        const body = {
          query,
          extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } },
        };
        return (await fetch(replica.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
          .status;
      };
      expect([await register(), await register()]).toEqual([200, 200]);
      expect((await post(replica.url, '{ __typename }')).status).toBe(429);
    } finally {
      await replica.stop();
      await security.close();
    }
  });
});

import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The GraphQL over HTTP specification, checked by graphql-http's server audit
 * (every MUST, SHOULD and MAY it knows) against the real gateway: clients of
 * other agencies use whatever spec-following client they have.
 */
describe('GraphQL over HTTP, as the specification says', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem();
  });
  afterAll(() => test?.stop());

  it('passes every check of the graphql-http server audit', async () => {
    const results = await Promise.all(
      serverAudits({ url: () => test.system.gateway.url, fetchFn: fetch }).map(async (audit) => ({ audit, result: await audit.fn() })),
    );
    const failed = results
      .filter(({ result }) => result.status !== 'ok')
      .map(({ audit, result }) => `${audit.id} ${audit.name}: ${result.status} ${'reason' in result ? result.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(61);
  });
});

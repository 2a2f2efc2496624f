import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableOperationPlugin } from '../../../gateway/plugins/runnable-operation.js';

// A small schema with queries only, as the gateway's.
const typeDefs = 'type Query { unit(code: String): Unit } type Unit { code: String name: String }';
const resolvers = { Query: { unit: () => ({ code: '01', name: 'Hà Nội' }) } };

/** The HTTP status, data and errors (message and code) of one operation. */
async function ask(server: ApolloServer, query: string, operationName?: string) {
  const response = await server.executeOperation({ query, ...(operationName ? { operationName } : {}) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { status: response.http.status, data, errors: errors?.map((error) => ({ message: error.message, code: error.extensions?.code })) };
}

const refusal = (message: string, code: string) => ({ status: 400, data: undefined, errors: [{ message, code }] });

describe('operations the gateway cannot run', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = new ApolloServer({ typeDefs, resolvers, plugins: [runnableOperationPlugin()] });
    await server.start();
  });
  afterAll(() => server?.stop());

  const twoOperations = 'query A { unit { code } } query B { unit { name } }';

  it('runs the operation operationName names in a document with several', async () => {
    expect(await ask(server, twoOperations, 'B')).toEqual({ status: undefined, data: { unit: { name: 'Hà Nội' } }, errors: undefined });
  });

  it.each([
    [
      'several operations and no operationName',
      twoOperations,
      undefined,
      'The document has several operations: say which to run with operationName',
    ],
    ['an operationName the document does not have', twoOperations, 'C', 'The document has no operation named "C"'],
    ['a mutation', 'mutation { unit { code } }', undefined, 'This endpoint has no mutation operations: it only answers queries'],
    [
      'a subscription',
      'subscription { unit { code } }',
      undefined,
      'This endpoint has no subscription operations: it only answers queries',
    ],
  ])('refuses %s with 400 BAD_USER_INPUT, not as an internal error', async (_case, query, operationName, message) => {
    expect(await ask(server, query, operationName)).toEqual(refusal(message, 'BAD_USER_INPUT'));
  });
});

import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityConfig } from '../../gateway/auth/config.js';
import { createOperationLimits } from '../../gateway/operation-limits.js';

// A small schema shaped like the gateway's administrative units: deep, listy, and with no mutations.
const typeDefs = `
  type Query { unit(code: String): Unit units: [Unit] }
  type Unit { code: String name: String parent: Unit children: [Unit] }
`;
const hanoi = { code: '01', name: 'Hà Nội' };
const resolvers = { Query: { unit: () => hanoi, units: () => [hanoi] }, Unit: { parent: () => hanoi, children: () => [hanoi] } };

/** An Apollo Server wired as gateway/apollo.ts wires the limits. */
async function serverWith(limits: SecurityConfig['limits']): Promise<ApolloServer> {
  const { plugins, validationRules, parseOptions } = createOperationLimits(limits);
  const server = new ApolloServer({ typeDefs, resolvers, validationRules, parseOptions, plugins });
  await server.start();
  return server;
}

/** The HTTP status, data and errors (message and code) of one operation. */
async function ask(server: ApolloServer, query: string, operationName?: string) {
  const response = await server.executeOperation({ query, ...(operationName ? { operationName } : {}) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { status: response.http.status, data, errors: errors?.map((error) => ({ message: error.message, code: error.extensions?.code })) };
}

const refusal = (message: string, code = 'GRAPHQL_VALIDATION_FAILED') => ({ status: 400, data: undefined, errors: [{ message, code }] });
const nested = (depth: number) => `{ unit ${'{ parent '.repeat(depth - 2)}{ code }${' }'.repeat(depth - 2)} }`;
const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: unit { code }`).join(' ')} }`;

describe('operation limits', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = await serverWith({ depth: 3, aliases: 2, tokens: 40, directives: 2, cost: 13 });
  });
  afterAll(() => server?.stop());

  it('answers an operation within every limit', async () => {
    expect(await ask(server, nested(3))).toEqual({ status: undefined, data: { unit: { parent: { code: '01' } } }, errors: undefined });
  });

  it.each([
    ['depth', nested(4), 'Syntax Error: Query depth limit of 3 exceeded, found 4.'],
    ['aliases', aliased(3), 'Syntax Error: Aliases limit of 2 exceeded, found 3.'],
    [
      'directives',
      '{ unit { code @include(if: true) @skip(if: false) name @include(if: true) } }',
      'Syntax Error: Directives limit of 2 exceeded, found 3.',
    ],
    ['cost', '{ units { code name children { code name } } a: unit { code } }', 'Syntax Error: Query Cost limit of 13 exceeded, found 16.'],
  ])('refuses an operation over the %s limit with 400 GRAPHQL_VALIDATION_FAILED', async (_limit, query, message) => {
    expect(await ask(server, query)).toEqual(refusal(message));
  });

  it('refuses a document over the token limit while parsing it, with 400 GRAPHQL_PARSE_FAILED', async () => {
    expect(await ask(server, `{ unit { ${'code '.repeat(40)} } }`)).toEqual(
      refusal('Syntax Error: Document contains more that 40 tokens. Parsing aborted.', 'GRAPHQL_PARSE_FAILED'),
    );
  });

  it('does not let fragments add depth: an inline fragment is no extra level', async () => {
    // Fragments are flattened, so a client's fragments do not push an honest query over the limit...
    expect(await ask(server, '{ unit { parent { ... on Unit { code } } } }')).toEqual({
      status: undefined,
      data: { unit: { parent: { code: '01' } } },
      errors: undefined,
    });
  });

  it('counts the cost of what a fragment spreads as if it were written in place', async () => {
    // ...and cannot hide cost either: the spread fields are counted with the depth they land at.
    expect(await ask(server, '{ units { ...Unit } } fragment Unit on Unit { code name children { code name } }')).toEqual(
      refusal('Syntax Error: Query Cost limit of 13 exceeded, found 15.5.'),
    );
  });

  it('hides "did you mean" suggestions, which would map the schema for a caller who may not introspect', async () => {
    expect(await ask(server, '{ unit { cod } }')).toEqual(refusal('Cannot query field "cod" on type "Unit". [Suggestion hidden]?'));
  });
});

describe('operation limits set to 0', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = await serverWith({ depth: 0, aliases: 0, tokens: 0, directives: 0, cost: 0 });
  });
  afterAll(() => server?.stop());

  // Each operation is well past graphql-armor's own defaults (depth 6, 15 aliases, 1,000 tokens, 50 directives, cost 5,000).
  it.each([
    ['depth', nested(12)],
    ['aliases and tokens', aliased(400)],
    ['directives', `{ unit { ${'code @include(if: true) '.repeat(60)} } }`],
    [
      'cost',
      `{ ${Array.from({ length: 200 }, (_, index) => `a${index}: units { code name children { code name children { code } } }`).join(' ')} }`,
    ],
  ])('turns the %s protection off', async (_limit, query) => {
    const answer = await ask(server, query);
    expect({ status: answer.status, errors: answer.errors }).toEqual({ status: undefined, errors: undefined });
  });
});

import { ApolloServer } from '@apollo/server';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityConfig } from '../../gateway/auth/config.js';
import { createOperationLimits } from '../../gateway/operation-limits.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const maximumBodyBytes = 4_096;

describe('operation limits', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem({
      securityEnvironment: {
        LIMIT_DEPTH: '5',
        LIMIT_ALIASES: '4',
        LIMIT_TOKENS: '300',
        LIMIT_DIRECTIVES: '3',
        LIMIT_COST: '20',
        MAX_BODY_BYTES: String(maximumBodyBytes),
      },
    });
  });
  afterAll(() => test?.stop());

  const nested = (depth: number) => `{ administrativeUnit(code: "01") ${'{ parent '.repeat(depth)}{ code }${' }'.repeat(depth)} }`;

  it('lets through what stays within every limit', async () => {
    expect((await test.query(nested(2))).errors).toBeUndefined();
  });

  it.each([
    ['depth', () => nested(8), 'GRAPHQL_VALIDATION_FAILED', /depth limit of 5/],
    [
      'aliases',
      () => `{ ${Array.from({ length: 6 }, (_, index) => `a${index}: tasks { number }`).join(' ')} }`,
      'GRAPHQL_VALIDATION_FAILED',
      /Aliases limit of 4/,
    ],
    ['tokens', () => `{ tasks { ${'number '.repeat(400)} } }`, 'GRAPHQL_PARSE_FAILED', /contains more tha[nt] 300 tokens/],
    ['directives', () => `{ tasks { number ${'@include(if: true) '.repeat(5)} } }`, 'GRAPHQL_VALIDATION_FAILED', /Directives limit of 3/],
    [
      'cost',
      () => '{ administrativeUnits(level: PROVINCE) { code name fullName nameEn children { code name fullName nameEn unitType } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /Cost limit of 20/,
    ],
  ])('refuses an operation over the %s limit before planning it', async (_limit, query, code, message) => {
    // 400 for a client that accepts the GraphQL response media type; one that asks for application/json gets 200 (below).
    const answer = await test.queryAs({ ...test.analyst, accept: 'application/graphql-response+json' }, query());
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toContainEqual(expect.objectContaining({ extensions: { code }, message: expect.stringMatching(message) }));
  });

  it.each([
    [
      'several operations and no operationName',
      { query: 'query A { tasks { number } } query B { tasks { number } }' },
      'The document has several operations: say which to run with operationName',
    ],
    [
      'an operationName the document does not have',
      { query: 'query A { tasks { number } } query B { tasks { number } }', operationName: 'C' },
      'The document has no operation named "C"',
    ],
    [
      'a subscription',
      { query: 'subscription { tasks { number } }' },
      'This endpoint has no subscription operations: it only answers queries',
    ],
    ['a mutation', { query: 'mutation { tasks { number } }' }, 'This endpoint has no mutation operations: it only answers queries'],
  ])('refuses %s with BAD_USER_INPUT, not as an internal error', async (_case, body, message) => {
    for (const [accept, status] of [
      ['application/graphql-response+json', 400],
      ['application/json', 200],
    ] as const) {
      const response = await fetch(test.system.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, ...test.analyst },
        body: JSON.stringify(body),
      });
      expect({ accept, status: response.status, answer: await response.json() }).toEqual({
        accept,
        status,
        answer: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] },
      });
    }
  });

  it('answers a refused document 200 under application/json, as the GraphQL over HTTP spec says, with the same errors', async () => {
    const answer = await test.query(nested(8));
    expect(answer.status).toBe(200);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toContainEqual(expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  });

  it('refuses a body declared over MAX_BODY_BYTES with 413', async () => {
    const answer = await test.query(`{ tasks { number } } # ${'x'.repeat(5_000)}`);
    expect(answer).toMatchObject({
      status: 413,
      errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' }, message: `The request body is larger than ${maximumBodyBytes} bytes` }],
    });
  });

  it('refuses a chunked body over MAX_BODY_BYTES with 413 while the client is still sending the rest', async () => {
    const chunk = Buffer.alloc(1_024, ' ');
    const planned = 1_024;
    // No content-length: the gateway can only count what arrives.
    const request = httpRequest(test.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...test.analyst },
    });
    let sent = 0;
    let sentWhenAnswered: number | undefined;
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', (message: IncomingMessage) => {
        sentWhenAnswered = sent;
        resolve(message);
      });
      // Every error, also one after the answer (the gateway closes the connection): only one before it fails the test.
      request.on('error', reject);
    });
    const answered = response.then(
      () => true,
      () => true,
    );
    try {
      for (let index = 0; index < planned && sentWhenAnswered === undefined; index++) {
        const failed = await new Promise<Error | null | undefined>((resolve) => request.write(chunk, resolve));
        if (failed) break;
        sent += chunk.length;
        // A slow client, one kilobyte every 20 ms: the gateway has time to answer long before the megabyte is sent.
        await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 20))]);
      }
      // A gateway that reads everything before counting answers only now, and the check below names it.
      if (sentWhenAnswered === undefined) request.end();
      const message = await response;
      const chunks: Buffer[] = [];
      for await (const part of message) chunks.push(part as Buffer);
      expect({
        status: message.statusCode,
        connection: message.headers.connection,
        answer: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      }).toEqual({
        status: 413,
        connection: 'close',
        answer: {
          errors: [{ message: `The request body is larger than ${maximumBodyBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
        },
      });
      expect(sentWhenAnswered).toBeGreaterThan(maximumBodyBytes);
      expect(sentWhenAnswered).toBeLessThan(planned * chunk.length);
    } finally {
      request.destroy();
    }
  });
});

describe('a limit of 0', () => {
  // A schema of its own: createOperationLimits is what the gateway is given, whatever schema it serves.
  const typeDefs = 'type Query { tasks: [Task!]! } type Task { number: Int! }';
  const resolvers = { Query: { tasks: () => [{ number: 1 }] } };
  const generous: SecurityConfig['limits'] = { depth: 100, aliases: 1_000, tokens: 100_000, directives: 1_000, cost: 10_000_000 };
  const run = async (limits: SecurityConfig['limits'], query: string) => {
    const { plugins, validationRules, parseOptions } = createOperationLimits(limits);
    const server = new ApolloServer({ typeDefs, resolvers, plugins, validationRules, parseOptions });
    await server.start();
    try {
      const { body } = await server.executeOperation({ query });
      if (body.kind !== 'single') throw new Error('An incremental answer, where one was expected');
      return body.singleResult;
    } finally {
      await server.stop();
    }
  };
  const aliases = Array.from({ length: 6 }, (_, index) => `a${index}`);

  it.each([
    [
      'aliases',
      4,
      `{ ${aliases.map((alias) => `${alias}: tasks { number }`).join(' ')} }`,
      /Aliases limit of 4/,
      Object.fromEntries(aliases.map((alias) => [alias, [{ number: 1 }]])),
    ],
    ['tokens', 300, `{ tasks { ${'number '.repeat(400)} } }`, /contains more tha[nt] 300 tokens/, { tasks: [{ number: 1 }] }],
  ] as const)('turns the %s protection off', async (limit, n, query, refusal, data) => {
    // The same operation, refused under a limit, so what passes at 0 is the limit switched off.
    expect((await run({ ...generous, [limit]: n }, query)).errors).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(refusal) }),
    );
    expect(await run({ ...generous, [limit]: 0 }, query)).toEqual({ data });
  });
});

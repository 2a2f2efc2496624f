import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMediaType, graphqlOverHttpPlugin } from '../../../gateway/plugins/graphql-over-http.js';

const typeDefs = 'type Query { unit(code: String!): String  refused: String }';
const resolvers = { Query: { unit: (_root: unknown, { code }: { code: string }) => code } };

describe('status codes as the GraphQL over HTTP spec says', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = new ApolloServer({
      typeDefs,
      resolvers,
      plugins: [
        graphqlOverHttpPlugin(),
        {
          // Stands for the gateway's own refusals (cost, result size): not request errors of the spec.
          async requestDidStart() {
            return {
              async didResolveOperation({ request }) {
                if (request.query?.includes('refused'))
                  throw new GraphQLError('too costly', { extensions: { code: 'COST_LIMIT_EXCEEDED', http: { status: 400 } } });
              },
            };
          },
        },
      ],
    });
    await server.start();
  });
  afterAll(() => server?.stop());

  async function status(body: object, accept?: string): Promise<number> {
    const headers = new HeaderMap([['content-type', 'application/json']]);
    if (accept) headers.set('accept', accept);
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body },
      context: async () => ({}),
    });
    return response.status ?? 200;
  }

  it.each([
    ['a document that does not parse', { query: '{' }],
    ['a document that does not validate', { query: '{ nothing }' }],
    ['a variable that does not coerce', { query: 'query ($code: String!) { unit(code: $code) }', variables: { code: 7 } }],
  ])('answers %s 200 under application/json and 400 under application/graphql-response+json', async (_case, body) => {
    expect(await status(body)).toBe(200);
    expect(await status(body, 'application/json')).toBe(200);
    expect(await status(body, '*/*')).toBe(200);
    expect(await status(body, 'application/graphql-response+json')).toBe(400);
    expect(await status(body, 'application/graphql-response+json, application/json;q=0.9')).toBe(400);
  });

  it('leaves the gateway’s own refusals and good answers as they are', async () => {
    expect(await status({ query: '{ refused }' })).toBe(400);
    expect(await status({ query: '{ unit(code: "01") }' })).toBe(200);
  });

  it('reads the Accept header as Apollo Server does', () => {
    expect(answerMediaType(undefined)).toBe('application/json');
    expect(answerMediaType('application/graphql-response+json')).toBe('application/graphql-response+json');
    expect(answerMediaType('text/html')).toBeUndefined();
  });
});

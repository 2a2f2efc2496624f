import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

/**
 * The status codes the GraphQL over HTTP specification asks for. A request
 * error (the document does not parse or validate, a variable does not
 * coerce: an answer with errors and no data) is 400 under
 * `application/graphql-response+json`, but 200 under `application/json`,
 * whose clients read the errors from the body and may treat a 4xx as a
 * transport failure. Apollo Server answers 400 under both.
 */
const requestErrorCodes: ReadonlySet<string> = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

const graphqlResponseJson = 'application/graphql-response+json';
const applicationJson = 'application/json';

/** The media type Apollo Server will answer in, chosen from the Accept header as it chooses it (no header: application/json). */
export function answerMediaType(accept: string | undefined): string | undefined {
  if (!accept) return applicationJson;
  return new Negotiator({ headers: { accept } }).mediaType([applicationJson, graphqlResponseJson]);
}

export function graphqlOverHttpPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.body.kind !== 'single' || response.http.status !== 400) return;
          const { data, errors } = response.body.singleResult;
          if (data !== undefined || !errors?.length) return;
          if (!errors.every((error) => requestErrorCodes.has(String(error.extensions?.code)))) return;
          if (answerMediaType(request.http?.headers.get('accept')) === applicationJson) response.http.status = 200;
        },
      };
    },
  };
}

import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from './errors.js';

/** Largest request body accepted; a GraphQL document with variables is far smaller. */
export const maximumBodyBytes = 1_048_576;

/**
 * Serves one Apollo Server on node:http without a web framework: reads the body
 * (bounded), hands the request to Apollo, writes its answer.
 */
export function graphqlRequestHandler<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (request: IncomingMessage) => Promise<Context>,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    let body: unknown;
    try {
      body = await readJsonBody(request);
    } catch (error) {
      const problem = error instanceof AppError ? error : undefined;
      sendJson(response, problem?.httpStatus ?? 400, { errors: [{ message: problem?.message ?? 'Cannot read the request body', extensions: { code: problem?.code ?? 'BAD_REQUEST' } }] });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: request.method ?? 'GET', headers, search: url.search, body };
    const result = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context(request) });
    response.statusCode = result.status ?? 200;
    for (const [name, value] of result.headers) response.setHeader(name, value);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (request.method !== 'POST') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maximumBodyBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maximumBodyBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if (!(request.headers['content-type'] ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON');
  }
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(value));
}

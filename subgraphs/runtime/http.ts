import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ErrorCode } from './errors.js';

/** Largest request body accepted; a GraphQL document with variables is far smaller. */
export const maximumBodyBytes = 1_048_576;

/** An answer ready to write: what Apollo produced, or what a cache kept of it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/**
 * Serves one Apollo Server on node:http without a web framework: reads the body
 * (bounded), hands the request to Apollo, writes its answer.
 */
export function graphqlRequestHandler<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (request: IncomingMessage) => Promise<Context>,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const body = await readRequestBody(request, response);
    if (body === failed) return;
    writeAnswer(response, await executeGraphQL(server, request, body, await context(request)));
  };
}

/** Marks a body that could not be read; the error answer has been written already. */
export const failed = Symbol('failed');

/** The request's body, parsed when JSON; on a bad or oversized body, writes the error answer and returns `failed`. */
export async function readRequestBody(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
  try {
    return await readJsonBody(request);
  } catch (error) {
    const problem = error instanceof AppError ? error : new AppError(ErrorCode.BAD_REQUEST, 'Cannot read the request body');
    sendJson(response, problem.httpStatus, { errors: [{ message: problem.message, extensions: { code: problem.code } }] });
    return failed;
  }
}

export async function executeGraphQL<Context extends BaseContext>(server: ApolloServer<Context>, request: IncomingMessage, body: unknown, context: Context): Promise<HttpAnswer> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: request.method ?? 'GET', headers, search: url.search, body };
  const result = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context });
  let text: string;
  if (result.body.kind === 'complete') {
    text = result.body.string;
  } else {
    text = '';
    for await (const chunk of result.body.asyncIterator) text += chunk;
  }
  return { status: result.status ?? 200, headers: [...result.headers], body: text };
}

export function writeAnswer(response: ServerResponse, answer: HttpAnswer, extraHeaders: ReadonlyArray<readonly [string, string]> = []): void {
  response.statusCode = answer.status;
  for (const [name, value] of [...answer.headers, ...extraHeaders]) response.setHeader(name, value);
  response.end(answer.body);
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (request.method !== 'POST') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maximumBodyBytes) throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${maximumBodyBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if (!(request.headers['content-type'] ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.BAD_REQUEST, 'The request body is not valid JSON');
  }
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(value));
}

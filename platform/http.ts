import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ErrorCode } from './errors.js';

/** Largest request body a subgraph accepts: the gateway's entity batches (3,321 communes) stay well below. */
export const maximumBodyBytes = 8_388_608;

/** A request body as received (for signatures) and as parsed (for GraphQL). */
export interface RequestBody {
  readonly text: string;
  /** The parsed JSON; the text itself when the content type is not JSON; undefined when empty or not a POST. */
  readonly value: unknown;
}

/** An answer ready to write: what Apollo produced, or what a cache kept of it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Text as Apollo wrote it, or bytes as a cache keeps them. */
  readonly body: string | Buffer;
}

/** Marks a body that could not be read; the error answer has been written already. */
export const failed = Symbol('failed');

/** The request's body, parsed when JSON; on a bad or oversized body, writes the error answer and returns `failed`. */
export async function readRequestBody(
  request: IncomingMessage,
  response: ServerResponse,
  limitBytes = maximumBodyBytes,
): Promise<RequestBody | typeof failed> {
  try {
    return await readBody(request, limitBytes);
  } catch (error) {
    const problem = error instanceof AppError ? error : new AppError(ErrorCode.BAD_REQUEST, 'Cannot read the request body');
    // A body left unread would keep the connection busy; closing it after an oversized one is cheaper than draining it.
    if (problem.code === ErrorCode.PAYLOAD_TOO_LARGE) response.setHeader('connection', 'close');
    sendError(response, problem);
    return failed;
  }
}

/** Writes an AppError as a GraphQL-shaped JSON answer with its HTTP status. */
export function sendError(response: ServerResponse, error: AppError, headers: ReadonlyArray<readonly [string, string]> = []): void {
  for (const [name, value] of headers) response.setHeader(name, value);
  sendJson(response, error.httpStatus, { errors: [{ message: error.message, extensions: { ...error.extensions, code: error.code } }] });
}

export async function executeGraphQL<Context extends BaseContext>(
  server: ApolloServer<Context>,
  request: IncomingMessage,
  body: unknown,
  context: Context,
): Promise<HttpAnswer> {
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

export function writeAnswer(
  response: ServerResponse,
  answer: HttpAnswer,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
): void {
  response.statusCode = answer.status;
  for (const [name, value] of [...answer.headers, ...extraHeaders]) response.setHeader(name, value);
  response.end(answer.body);
}

async function readBody(request: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  if (request.method !== 'POST') return { text: '', value: undefined };
  const declared = Number(request.headers['content-length']);
  const tooLarge = () => new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limitBytes} bytes`);
  if (declared > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return { text, value: undefined };
  if (!(request.headers['content-type'] ?? '').includes('json')) return { text, value: text };
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    throw new AppError(ErrorCode.BAD_REQUEST, 'The request body is not valid JSON');
  }
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(value));
}

import type { ApolloServer } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { scopeKey } from '../../platform/access/caller.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { executeGraphQL, failed, readRequestBody, sendError, writeAnswer, type HttpAnswer } from '../../platform/http.js';
import type { Recompute, ResponseCache } from '../cache/response-cache.js';
import { createGatewayContext, type GatewayContext } from '../context.js';
import { createCors } from '../cors.js';
import { documentTooLarge } from '../document-limit.js';
import type { Metrics } from '../metrics.js';
import { wantsQueryPlan } from '../plugins/query-plan.js';
import { withDeadline } from '../request-deadline.js';
import type { GatewaySecurity } from '../security.js';
import type { Admit } from './admission.js';
import type { Route } from './index.js';

export const graphqlPath = '/graphql';

/** An answer and the headers the cache adds (age, x-cache). */
export type Answered = [HttpAnswer, ReadonlyArray<readonly [string, string]>];

/** The request headers Apollo reads to answer (the rest, credentials included, concern admission, which is done). */
const replayedHeaders = ['content-type', 'accept'] as const;

export interface GraphqlRouteOptions {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly security: GatewaySecurity;
  readonly admit: Admit;
  readonly metrics: Metrics;
  /** None: every request is executed. */
  readonly responseCache?: ResponseCache;
}

/** The HTTP request Apollo is given: the caller's own for /graphql, one made from an export's parameters. */
export interface OperationRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  /** The parsed JSON body (POST); undefined for GET. */
  readonly body: unknown;
}

/**
 * One GraphQL operation through the gateway's pipeline, after the body is
 * read: admission of the caller who sent `request` (their address and
 * credentials), the document limit, then the response cache or Apollo, all
 * within the request's deadline. Undefined when a refusal was written.
 */
export type RunOperation = (
  request: IncomingMessage,
  response: ServerResponse,
  operation: OperationRequest,
) => Promise<Answered | undefined>;

const noSearch = new URLSearchParams();

export function createOperationRunner(options: GraphqlRouteOptions): RunOperation {
  const { apollo, security, admit, responseCache } = options;
  return async (request, response, operation) => {
    const caller = await admit(request, response, operation.body);
    if (!caller) return undefined;
    // Only a GET carries its document in the address.
    const search = operation.method === 'GET' ? new URL(operation.url, 'http://localhost').searchParams : noSearch;
    const oversized = documentTooLarge(operation.method, operation.body, search, security.documentBytes);
    if (oversized) {
      sendError(response, oversized);
      return undefined;
    }
    const apolloRequest = { method: operation.method, url: operation.url, headers: operation.headers } as IncomingMessage;
    const execute = async () => {
      const context = createGatewayContext(caller);
      return { answer: await executeGraphQL(apollo, apolloRequest, operation.body, context), context };
    };
    // Callers with the same scopes may share answers: a hit was authorised for exactly these scopes.
    const key = wantsQueryPlan(request, caller.scopes)
      ? undefined
      : responseCache?.keyFor(operation.method, operation.body, scopeKey(caller));
    if (!responseCache || !key) return deadlined(security.requestTimeoutMs, response, async () => [(await execute()).answer, []]);
    // Recomputing a stale answer in the background: this caller, a deadline of its own, and of the request only
    // the method, path, body and the headers Apollo reads, so nothing holds on to the connection. What an anonymous
    // caller asked depends on no one's credentials: the cache may keep it and run it again after an invalidation,
    // as an anonymous caller with the same purpose header, under a request id of its own.
    const replayed = replayedHeaders.flatMap((name) => (operation.headers[name] ? [[name, operation.headers[name]]] : []));
    const recompute: Recompute = {
      replayable: !caller.authenticated,
      // Read only when the cache keeps the request, to bound what it keeps.
      get bytes() {
        return JSON.stringify(operation.body ?? null).length;
      },
      run: () =>
        withDeadline(security.requestTimeoutMs, async () => {
          const replayRequest = { method: operation.method, url: operation.url, headers: Object.fromEntries(replayed) } as IncomingMessage;
          const context = createGatewayContext(caller.authenticated ? caller : { ...caller, requestId: randomUUID() });
          return { answer: await executeGraphQL(apollo, replayRequest, operation.body, context), context };
        }),
    };
    // A fresh answer this process holds waits for nothing: answered as it is, without a deadline.
    const held = responseCache.freshInMemory(key, recompute);
    if (held)
      return [
        held,
        [
          ['age', String(held.age)],
          ['x-cache', 'HIT'],
        ],
      ];
    return deadlined(security.requestTimeoutMs, response, async () => {
      const found = await responseCache.answer(key, execute, recompute);
      if (found.age === undefined) return [found, [['x-cache', 'MISS']]];
      return [
        found,
        [
          ['age', String(found.age)],
          ['x-cache', found.stale ? 'STALE' : 'HIT'],
        ],
      ];
    });
  };
}

/** Runs `work` within the request's deadline; past it, writes REQUEST_TIMEOUT and answers undefined. */
async function deadlined(timeoutMs: number, response: ServerResponse, work: () => Promise<Answered>): Promise<Answered | undefined> {
  try {
    return await withDeadline(timeoutMs, work);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.REQUEST_TIMEOUT) {
      sendError(response, error);
      return undefined;
    }
    throw error;
  }
}

/** POST and GET /graphql: CORS, the body limit, then the operation through the pipeline (createOperationRunner). */
export function createGraphqlRoute(options: GraphqlRouteOptions, run: RunOperation = createOperationRunner(options)): Route {
  const { security, metrics } = options;
  const cors = createCors(security.corsOrigins);
  return async (request, response) => {
    if (cors.handle(request, response)) return;
    const started = performance.now();
    response.once('finish', () => {
      const cache = response.getHeader('x-cache');
      const outcome = cache === undefined ? 'none' : cache === 'MISS' ? 'miss' : 'hit';
      metrics.observeRequest({ status: response.statusCode, cache: outcome, seconds: (performance.now() - started) / 1000 });
    });
    const body = await readRequestBody(request, response, security.maximumBodyBytes);
    if (body === failed) return;
    const answered = await run(request, response, {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      body: body.value,
    });
    if (answered) writeAnswer(response, ...answered);
  };
}

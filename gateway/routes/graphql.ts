import type { ApolloServer } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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

type Answered = [HttpAnswer, ReadonlyArray<readonly [string, string]>];

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

/**
 * POST and GET /graphql: CORS, the body limit, admission, the document limit,
 * then the response cache or Apollo, all within the request's deadline.
 */
export function createGraphqlRoute(options: GraphqlRouteOptions): Route {
  const { apollo, security, admit, metrics, responseCache } = options;
  const cors = createCors(security.corsOrigins);
  return async (request, response) => {
    if (cors.handle(request, response)) return;
    const started = performance.now();
    let cacheOutcome: 'hit' | 'miss' | 'none' = 'none';
    response.once('finish', () =>
      metrics.observeRequest({ status: response.statusCode, cache: cacheOutcome, seconds: (performance.now() - started) / 1000 }),
    );
    const body = await readRequestBody(request, response, security.maximumBodyBytes);
    if (body === failed) return;
    const caller = await admit(request, response, body.value);
    if (!caller) return;
    const search = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const oversized = documentTooLarge(request.method, body.value, search, security.documentBytes);
    if (oversized) return sendError(response, oversized);
    const execute = async () => {
      const context = createGatewayContext(caller);
      return { answer: await executeGraphQL(apollo, request, body.value, context), context };
    };
    // Callers with the same scopes may share answers: a hit was authorised for exactly these scopes.
    const key = wantsQueryPlan(request, caller.scopes) ? undefined : responseCache?.keyFor(request.method, body.value, scopeKey(caller));
    const answer = async (): Promise<Answered> => {
      if (!responseCache || !key) return [(await execute()).answer, []];
      // Recomputing a stale answer in the background: this caller, a deadline of its own, and of the request only
      // the method, path, body and the headers Apollo reads, so nothing holds on to the connection. What an anonymous
      // caller asked depends on no one's credentials: the cache may keep it and run it again after an invalidation,
      // as an anonymous caller with the same purpose header, under a request id of its own.
      const replayRequest = {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(replayedHeaders.flatMap((name) => (request.headers[name] ? [[name, request.headers[name]]] : []))),
      } as IncomingMessage;
      const recompute: Recompute = {
        replayable: !caller.authenticated,
        run: () =>
          withDeadline(security.requestTimeoutMs, async () => {
            const context = createGatewayContext(caller.authenticated ? caller : { ...caller, requestId: randomUUID() });
            return { answer: await executeGraphQL(apollo, replayRequest, body.value, context), context };
          }),
      };
      const found = await responseCache.answer(key, execute, recompute);
      cacheOutcome = found.age === undefined ? 'miss' : 'hit';
      if (found.age === undefined) return [found, [['x-cache', 'MISS']]];
      return [
        found,
        [
          ['age', String(found.age)],
          ['x-cache', found.stale ? 'STALE' : 'HIT'],
        ],
      ];
    };
    let answered: Answered;
    try {
      answered = await withDeadline(security.requestTimeoutMs, answer);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.REQUEST_TIMEOUT) return sendError(response, error);
      throw error;
    }
    writeAnswer(response, ...answered);
  };
}

import type { ApolloServer } from '@apollo/server';
import { scopeKey } from '../../platform/access/caller.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { executeGraphQL, failed, readRequestBody, sendError, writeAnswer, type HttpAnswer } from '../../platform/http.js';
import type { ResponseCache } from '../cache/response-cache.js';
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
      const found = await responseCache.answer(key, execute);
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

import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import type { AccessContext } from '../../platform/access/plugin.js';

/** The scope that may see query plans (`apollo-query-plan-experimental` header). */
export const queryPlanScope = 'gateway:admin';
export const queryPlanHeader = 'apollo-query-plan-experimental';

/**
 * Query plans name the subgraphs, the operations sent to them and fields
 * clients may not see (`@inaccessible`): @apollo/gateway shows them to anyone
 * who sends the header unless NODE_ENV is production. Here only holders of
 * gateway:admin get them; for everyone else the header is removed before the
 * gateway reads it. Answers carrying a plan are never cached (see wantsQueryPlan).
 */
export function queryPlanPlugin(): ApolloServerPlugin<AccessContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      if (!contextValue.caller.scopes.has(queryPlanScope)) {
        request.http?.headers.delete(queryPlanHeader);
        request.http?.headers.delete(`${queryPlanHeader}-format`);
      }
    },
  };
}

/** Whether this request will get a query plan in its answer: such an answer is neither cached nor served from the cache. */
export function wantsQueryPlan(request: IncomingMessage, scopes: ReadonlySet<string>): boolean {
  return request.headers[queryPlanHeader] !== undefined && scopes.has(queryPlanScope);
}

import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';

/** The codes that say a subgraph could not answer: what stale-if-error stands in for. */
const outageCodes = new Set(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT']);

/**
 * Records in the request's context what the response cache (cache/response-cache.ts)
 * decides from once the answer is ready: the policy Apollo merged from the
 * subgraphs' Cache-Control headers, whether the answer carries errors, and
 * which subgraphs could not answer.
 */
export function responseCachePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, overallCachePolicy, response }) {
          contextValue.outcome.hadErrors = response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
          if (response.body.kind === 'single') {
            const failed = (response.body.singleResult.errors ?? []).filter((error) => outageCodes.has(String(error.extensions?.['code'])));
            if (failed.length > 0)
              contextValue.outcome.failedSubgraphs = [...new Set(failed.map((error) => String(error.extensions?.['serviceName'])))];
          }
          const policy = overallCachePolicy.policyIfCacheable();
          if (policy)
            contextValue.outcome.cachePolicy = { maxAge: policy.maxAge, scope: policy.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC' };
        },
      };
    },
  };
}

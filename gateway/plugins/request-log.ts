import type { ApolloServerPlugin } from '@apollo/server';
import type { Caller } from '../../platform/access/caller.js';
import { factsOf } from '../request-log.js';

/** Tells the request's log line which operation ran and which error codes it answered (never the messages). */
export function requestLogPlugin<Context extends { readonly caller: Caller }>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, queryHash, response }) {
          const facts = factsOf(contextValue.caller.requestId);
          facts.operationName = operationName ?? null;
          if (queryHash) facts.operationHash = queryHash;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors?.length) facts.errorCodes = [...new Set(errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN')))];
        },
      };
    },
  };
}

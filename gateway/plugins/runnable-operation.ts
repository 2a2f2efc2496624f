import type { ApolloServerPlugin } from '@apollo/server';
import { asGraphQLError, badUserInput } from '../../platform/errors.js';

/**
 * Refuses, with a 400, an operation the gateway could not run: a document with
 * several operations and no (or an unknown) operationName, or a mutation or
 * subscription, which this schema does not have. @apollo/gateway would fail
 * on these later, as an internal error.
 */
export function runnableOperationPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          if (!operation) {
            throw asGraphQLError(
              badUserInput(
                request.operationName
                  ? `The document has no operation named ${JSON.stringify(request.operationName)}`
                  : 'The document has several operations: say which to run with operationName',
              ),
            );
          }
          if (!schema.getRootType(operation.operation))
            throw asGraphQLError(badUserInput(`This endpoint has no ${operation.operation} operations: it only answers queries`));
        },
      };
    },
  };
}

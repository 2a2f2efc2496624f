import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppError, ErrorCode } from '../../platform/errors.js';
import type { GatewayContext } from '../context.js';

/**
 * The objects one operation has produced so far, counted as subgraph answers
 * arrive (the second line of defence behind demand control, which only
 * estimates). Past the limit the data source stops fetching, and the answer is
 * replaced by RESULT_TOO_LARGE with everything produced discarded.
 */
export interface ResultProduction {
  objects: number;
}

/** Objects (not scalars, not lists themselves) in a subgraph's `data`. */
export function countObjects(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countObjects(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let count = 1;
  for (const field of Object.values(value)) count += countObjects(field);
  return count;
}

export function resultTooLarge(objects: number, limit: number): AppError {
  return new AppError(
    ErrorCode.RESULT_TOO_LARGE,
    `The answer grew past ${limit} objects and was stopped; nothing of it is returned: ask for less (a period, a province, a smaller page)`,
    {
      extensions: { objects, limit },
    },
  );
}

/** Replaces an answer that outgrew `limit` objects by RESULT_TOO_LARGE, and reports every answer's size. */
export function resultSizeLimitPlugin(options: {
  readonly limit: number;
  readonly onProduced?: (objects: number) => void;
}): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const { objects } = contextValue.produced;
          options.onProduced?.(objects);
          if (options.limit <= 0 || objects <= options.limit || response.body.kind !== 'single') return;
          const error = resultTooLarge(objects, options.limit);
          response.body.singleResult = {
            errors: [new GraphQLError(error.message, { extensions: { ...error.extensions, code: error.code } }).toJSON()],
          };
          response.http.status = error.httpStatus;
        },
      };
    },
  };
}

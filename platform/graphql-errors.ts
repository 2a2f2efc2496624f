import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { AppError } from './errors.js';
import { log } from './log.js';

/**
 * Apollo Server's formatError: our own errors keep their message and code; an
 * error GraphQL or Apollo classified (validation, bad input) keeps its code;
 * anything else is a fault whose details stay in the log, not in the answer.
 */
export function formatError(where: string, log: (error: unknown) => void = logToStderr) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    if (original instanceof AppError)
      return { ...formatted, message: original.message, extensions: { ...extensions, ...original.extensions, code: original.code } };
    if (extensions.code && extensions.code !== 'INTERNAL_SERVER_ERROR') return { ...formatted, extensions };
    log(original);
    return {
      ...formatted,
      message: `Internal error in ${where}; it has been logged`,
      extensions: { ...extensions, code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function logToStderr(error: unknown): void {
  // A fault of ours: its stack, for whoever fixes it (a resolver's own errors, which may quote input, are AppErrors and never come here).
  log.error({ error: error instanceof Error ? { name: error.name, stack: error.stack } : String(error) }, 'internal error');
}

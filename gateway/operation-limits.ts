import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { SecurityConfig } from './auth/config.js';

export interface OperationLimits {
  readonly plugins: ApolloServerPlugin[];
  readonly validationRules: ValidationRule[];
  readonly parseOptions: { maxTokens?: number };
}

/**
 * Limits on what one operation may ask, by graphql-armor: depth, aliases,
 * directives and cost (fragments flattened, so they cannot hide depth or
 * cost), and no "did you mean" suggestions that would map the schema for
 * someone who may not introspect it. Tokens are counted by graphql-js's own
 * parser (parseOptions.maxTokens), which stops at the limit; armor's token
 * plugin throws where Apollo answers 500. A limit of 0 turns that protection
 * off. Rejections are GRAPHQL_VALIDATION_FAILED or, for tokens,
 * GRAPHQL_PARSE_FAILED, both HTTP 400. Not one plugin but what Apollo
 * Server is configured with: armor's plugins, validation rules and the
 * parser's token limit.
 */
export function createOperationLimits(limits: SecurityConfig['limits']): OperationLimits {
  const armor = new ApolloArmor({
    maxDepth: { enabled: limits.depth > 0, n: limits.depth, flattenFragments: true },
    maxAliases: { enabled: limits.aliases > 0, n: limits.aliases },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: limits.directives > 0, n: limits.directives },
    costLimit: { enabled: limits.cost > 0, maxCost: limits.cost, flattenFragments: true },
    blockFieldSuggestion: { enabled: true },
  });
  const { plugins, validationRules } = armor.protect();
  // graphql-armor's types name @apollo/server's CommonJS build; the objects are the same.
  return {
    plugins: plugins as unknown as ApolloServerPlugin[],
    validationRules,
    parseOptions: limits.tokens > 0 ? { maxTokens: limits.tokens } : {},
  };
}

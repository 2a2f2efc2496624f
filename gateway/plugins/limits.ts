import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { SecurityConfig } from '../auth/config.js';

/**
 * Limits on what one operation may ask, by graphql-armor: depth, aliases,
 * tokens, directives and cost (fragments flattened, so they cannot hide
 * depth or cost), and no "did you mean" suggestions that would map the
 * schema for someone who may not introspect it. A limit of 0 turns that
 * protection off. Rejections are validation errors (GRAPHQL_VALIDATION_FAILED,
 * HTTP 400) or, for tokens, parse errors (GRAPHQL_PARSE_FAILED).
 */
export function operationLimits(limits: SecurityConfig['limits']): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { enabled: limits.depth > 0, n: limits.depth, flattenFragments: true },
    maxAliases: { enabled: limits.aliases > 0, n: limits.aliases },
    maxTokens: { enabled: limits.tokens > 0, n: limits.tokens },
    maxDirectives: { enabled: limits.directives > 0, n: limits.directives },
    costLimit: { enabled: limits.cost > 0, maxCost: limits.cost, flattenFragments: true },
    blockFieldSuggestion: { enabled: true },
  });
  const { plugins, validationRules } = armor.protect();
  // graphql-armor's types name @apollo/server's CommonJS build; the objects are the same.
  return { plugins: plugins as unknown as ApolloServerPlugin[], validationRules };
}

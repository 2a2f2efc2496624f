import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind, parse, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { AppError, asGraphQLError, ErrorCode } from '../../platform/errors.js';
import type { AccessContext } from '../../platform/access/plugin.js';
import { estimateCost } from '../cost/estimate.js';
import { introspectionListSizes, readCostModel, type ListSize } from '../cost/model.js';

export interface DemandControlOptions {
  /** The supergraph whose @cost and @listSize directives price operations. */
  readonly supergraphSdl: string;
  /** The largest estimated cost an operation may have, per caller class; 0: no limit for that class. */
  readonly budgets: { readonly anonymous: number; readonly authenticated: number };
  /** The length assumed for a list the schema gives no @listSize. */
  readonly defaultListSize: number;
  /** Told the estimate of every priced operation (for metrics). */
  readonly onEstimate?: (cost: number) => void;
}

/**
 * Demand control: prices every operation from the supergraph's cost
 * directives once it is validated and before anything is planned or fetched,
 * and refuses one over the caller's budget with COST_LIMIT_EXCEEDED, giving
 * the estimate (`extensions.cost`) and the budget (`extensions.limit`). Lists
 * are priced by their length, so a request that multiplies lists
 * (`children { parent { children ... } }`, many aliases of a 3,321-row list,
 * a page size of a million in a variable) is refused in milliseconds.
 */
export function demandControlPlugin<Context extends AccessContext>(options: DemandControlOptions): ApolloServerPlugin<Context> {
  const model = readCostModel(parse(options.supergraphSdl));
  // Introspection's list lengths depend on the schema the gateway serves; it is the same object for every request.
  const introspection = new WeakMap<GraphQLSchema, ReadonlyMap<string, ListSize>>();
  const introspectionOf = (schema: GraphQLSchema) => {
    let sizes = introspection.get(schema);
    if (!sizes) introspection.set(schema, (sizes = introspectionListSizes(schema)));
    return sizes;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema, contextValue }) {
          if (!operation) return;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors)
            throw asGraphQLError(new AppError(ErrorCode.BAD_USER_INPUT, coerced.errors.map((error) => error.message).join('; ')));
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions)
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const cost = estimateCost({
            schema,
            model,
            introspection: introspectionOf(schema),
            defaultListSize: options.defaultListSize,
            operation,
            fragments,
            variables: coerced.coerced,
          });
          options.onEstimate?.(cost);
          const { authenticated } = contextValue.caller;
          const limit = authenticated ? options.budgets.authenticated : options.budgets.anonymous;
          if (limit > 0 && cost > limit) {
            throw asGraphQLError(
              new AppError(
                ErrorCode.COST_LIMIT_EXCEEDED,
                `The operation's estimated cost, ${cost}, is over the ${limit} allowed to ${authenticated ? 'an authenticated' : 'an anonymous'} caller: ask for fewer or shorter lists (a smaller first or last, fewer aliases, less nesting), or split it`,
                { extensions: { cost, limit } },
              ),
            );
          }
        },
      };
    },
  };
}

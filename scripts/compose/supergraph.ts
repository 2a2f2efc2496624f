import { composeServices } from '@apollo/composition';
import { type GraphQLSchema, isIntrospectionType, isSpecifiedDirective, isSpecifiedScalarType, parse, printType } from 'graphql';
import { readFileSync } from 'node:fs';
import { subgraphs } from '../../subgraphs/index.js';

/** What `npm run compose` writes: the supergraph the gateway serves, and the API schema its clients see. */
export interface ComposedSchemas {
  /** schema/supergraph.graphql: every subgraph's types with the join and federation directives that plan queries. */
  readonly supergraph: string;
  /** schema/api.graphql: the supergraph's API schema, as the gateway answers introspection. */
  readonly api: string;
}

/**
 * Composes the subgraph SDLs in schema/ into the supergraph the gateway serves.
 * Each subgraph's URL in it is its default local address; a deployment
 * overrides them with SUBGRAPH_<NAME>_URL rather than recomposing.
 */
export function composeSchemas(): ComposedSchemas {
  const result = composeServices(
    subgraphs.map(({ definition, defaultPort }) => ({
      name: definition.name,
      url: `http://127.0.0.1:${defaultPort}/graphql`,
      typeDefs: parse(readFileSync(definition.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) throw new Error(`The subgraphs do not compose:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  // The API schema is built as @apollo/gateway builds the one it serves (Supergraph.apiSchema() is this same
  // call): @inaccessible elements, the join__/link__ machinery and the federation directives removed.
  return { supergraph: result.supergraphSdl, api: printApiSchema(result.schema.toAPISchema().toGraphQLJSSchema()) };
}

export function composeSupergraph(): string {
  return composeSchemas().supergraph;
}

const header = `# The API schema: what clients of the gateway see (introspection answers the same).
# Written by \`npm run compose\` from the subgraph SDLs in schema/; do not edit.
# Changes against the last release (schema/released/api.graphql): \`npm run schema:check\`.
`;

/**
 * Prints the API schema with Query first and every other type by name, so that a type is easy to find
 * and the file does not move when the subgraphs change order; fields keep the order their subgraph
 * gives them (a unit's code, then its name...), which reads better than the alphabet.
 */
function printApiSchema(schema: GraphQLSchema): string {
  const custom = schema.getDirectives().filter((directive) => !isSpecifiedDirective(directive));
  if (custom.length > 0) throw new Error(`The API schema has directives this printer does not print: ${custom.map(String).join(', ')}`);
  const rank = (name: string) => (name === schema.getQueryType()?.name ? 0 : 1);
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name, 'en'));
  return `${header}\n${types.map(printType).join('\n\n')}\n`;
}

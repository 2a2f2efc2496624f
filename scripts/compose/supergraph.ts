import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { subgraphs } from '../../subgraphs/index.js';

/**
 * Composes the subgraph SDLs in schema/ into the supergraph the gateway serves.
 * Each subgraph's URL in it is its default local address; a deployment
 * overrides them with SUBGRAPH_<NAME>_URL rather than recomposing.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphs.map(({ definition, defaultPort }) => ({
      name: definition.name,
      url: `http://127.0.0.1:${defaultPort}/graphql`,
      typeDefs: parse(readFileSync(definition.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) throw new Error(`The subgraphs do not compose:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  return result.supergraphSdl;
}

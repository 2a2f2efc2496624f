import { composeServices } from '@apollo/composition';
import { parse, visit } from 'graphql';
import { readFileSync } from 'node:fs';
import { subgraphs } from '../../subgraphs/index.js';
import { supergraphForPlanner } from '../../gateway/supergraph.js';

/**
 * The supergraph without the indicator fields that take population's
 * denominators by @requires (and the @external fields they require).
 * Hive Gateway 2.12 cannot build a schema from the full supergraph: its
 * stitching marks IndicatorValue canonical in every subgraph that returns it
 * from a @requires field, and refuses several canonical definitions. With
 * this one it serves everything else, the citizen lookups included, so it can
 * still be measured on those.
 */
export function supergraphWithoutRequires(): string {
  const result = composeServices(
    subgraphs.map(({ definition, defaultPort }) => ({
      name: definition.name,
      url: `http://127.0.0.1:${defaultPort}/graphql`,
      typeDefs: visit(parse(readFileSync(definition.schemaFile, 'utf8')), {
        FieldDefinition(node) {
          return node.directives?.some((directive) => directive.name.value === 'requires' || directive.name.value === 'external')
            ? null
            : undefined;
        },
      }),
    })),
  );
  if (result.errors) throw new Error(`The reduced supergraph does not compose: ${result.errors.map((error) => error.message).join('; ')}`);
  return supergraphForPlanner(result.supergraphSdl);
}

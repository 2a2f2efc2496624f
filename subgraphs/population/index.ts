import type { SubgraphDefinition } from '../runtime/server.js';
import { createLoaders, type Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The population subgraph: citizens and administrative units (Ministry of Public Security). */
export const population: SubgraphDefinition<Loaders> = {
  name: 'population',
  agency: 'population',
  schemaFile: new URL('../../schema/population.graphql', import.meta.url),
  resolvers,
  createLoaders,
};

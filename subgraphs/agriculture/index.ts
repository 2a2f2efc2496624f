import type { SubgraphDefinition } from '../runtime/server.js';
import { createLoaders, type Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The agriculture subgraph: farm households, crop plots, livestock (Ministry of Agriculture and Environment). */
export const agriculture: SubgraphDefinition<Loaders> = {
  name: 'agriculture',
  agency: 'agriculture',
  schemaFile: new URL('../../schema/agriculture.graphql', import.meta.url),
  resolvers,
  createLoaders,
};

import type { SubgraphDefinition } from '../runtime/server.js';
import { createLoaders, type Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The indicators subgraph: the catalog of the 18 tasks and the indicators that measure them. No database. */
export const indicatorCatalog: SubgraphDefinition<Loaders> = {
  name: 'indicators',
  agency: null,
  schemaFile: new URL('../../schema/indicators.graphql', import.meta.url),
  resolvers,
  createLoaders,
};

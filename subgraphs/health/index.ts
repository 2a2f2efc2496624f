import type { SubgraphDefinition } from '../runtime/server.js';
import { createLoaders, type Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The health subgraph: electronic health records, encounters, facilities (Ministry of Health). */
export const health: SubgraphDefinition<Loaders> = {
  name: 'health',
  agency: 'health',
  schemaFile: new URL('../../schema/health.graphql', import.meta.url),
  resolvers,
  createLoaders,
};

import type { SubgraphDefinition } from '../runtime/server.js';
import { createLoaders, type Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** The civil-service subgraph: civil servants, agencies, ranks (Ministry of Home Affairs). */
export const civilService: SubgraphDefinition<Loaders> = {
  name: 'civil-service',
  agency: 'civil-service',
  schemaFile: new URL('../../schema/civil-service.graphql', import.meta.url),
  resolvers,
  createLoaders,
};

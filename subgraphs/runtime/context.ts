import type { Database } from './database.js';

/** What every resolver of a subgraph receives: its database and this request's loaders. */
export interface SubgraphContext<Loaders> {
  readonly database: Database;
  readonly loaders: Loaders;
}

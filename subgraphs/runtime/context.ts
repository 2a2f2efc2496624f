import type { SubgraphSettings } from '../../platform/config.js';
import type { CacheHints } from './cache-policy.js';
import type { AccessContext } from '../../platform/access/plugin.js';
import type { Database } from '../../platform/database/database.js';

/** What every resolver of a subgraph receives: its database, this request's loaders, and the caller the gateway vouches for. */
export interface SubgraphContext<Loaders> extends AccessContext {
  /** Its agency's source, read-only. */
  readonly database: Database;
  /** The project's store. */
  readonly store: Database;
  readonly loaders: Loaders;
  /** The subgraph's settings (the disclosure minimum). */
  readonly settings: SubgraphSettings;
  /** What resolvers learn at run time about how long the answer may be kept (cache-policy.ts). */
  readonly cacheHints: CacheHints;
}

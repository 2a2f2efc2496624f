import type { Caller } from '../platform/access/caller.js';
import type { AccessContext } from '../platform/access/plugin.js';
import type { ResultProduction } from './plugins/result-size.js';

/**
 * What the gateway keeps for one request while it runs (Apollo's context value).
 * Apollo shallow-copies the context it is given, so what plugins report back
 * lives in objects the copy shares with the original.
 */
export interface GatewayContext extends AccessContext {
  /** Subgraphs that answered part of this request: what a cached answer depends on. */
  readonly servedBy: Set<string>;
  /** What the subgraphs have answered so far (plugins/result-size.ts). */
  readonly produced: ResultProduction;
  readonly outcome: {
    /** The cache policy Apollo merged from the subgraphs' hints, once the answer is ready. */
    cachePolicy?: { readonly maxAge: number; readonly scope: 'PUBLIC' | 'PRIVATE' };
    /** Whether the answer carries errors (never cached). */
    hadErrors?: boolean;
    /** Subgraphs that could not answer (down or past their deadline): what stale-if-error stands in for. */
    failedSubgraphs?: readonly string[];
  };
}

export function createGatewayContext(caller: Caller): GatewayContext {
  return { caller, access: {}, servedBy: new Set(), produced: { objects: 0 }, outcome: {} };
}

import { createHash } from 'node:crypto';

/**
 * Every key and channel the gateway's caches use, in one place: the caches
 * write under them and invalidation.ts drops by them, so the two cannot drift.
 */

/**
 * Keys carry the deployment's prefix and the supergraph's version, so two
 * deployments, or two versions of the schema, never read each other's entries.
 */
export function cacheKeyPrefix(cachePrefix: string, supergraphSdl: string): string {
  return `${cachePrefix}:${createHash('sha256').update(supergraphSdl).digest('hex').slice(0, 12)}`;
}

const hash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 24);

/** A whole answer: the operation's hash leads, so what is learnt about an operation holds for all its variables. */
export const responseKey = (prefix: string, operation: string, variables: string) => `${prefix}:response:${operation}|${variables}`;

/**
 * The mark an invalidation leaves beside an answer it makes stale: the answer
 * itself stays, to be served (stale) until it is recomputed.
 */
export const staleMark = (responseKey: string) => `${responseKey}:stale`;

/** Held, briefly, by the one replica recomputing an answer. */
export const refreshLock = (responseKey: string) => `${responseKey}:refresh`;

/** The set listing every answer a subgraph served: what an invalidation of that subgraph marks stale. */
export const subgraphTag = (prefix: string, subgraph: string) => `${prefix}:tag:${subgraph}`;

/** One entity as one subgraph answered one selection of it. */
export const entityKey = (prefix: string, subgraph: string, selection: string, representation: unknown) =>
  `${prefix}:entity:${subgraph}:${hash(selection)}:${hash(JSON.stringify(representation))}`;

/** The set listing every entity a subgraph served. */
export const entitySubgraphTag = (prefix: string, subgraph: string) => `${prefix}:entity-subgraph:${subgraph}`;

/** The key of an entity whatever the selection: what invalidation by type and key names. */
export function entityTag(prefix: string, type: string, key: Record<string, unknown>): string {
  return `${prefix}:entity-key:${type}:${hash(
    JSON.stringify(
      Object.keys(key)
        .sort()
        .map((field) => [field, key[field]]),
    ),
  )}`;
}

/** Automatic persisted queries, by their hash. */
export const persistedQueryPrefix = (prefix: string) => `${prefix}:apq:`;

/** The channel every replica listens on for invalidations. */
export const invalidationChannel = (prefix: string) => `${prefix}:invalidate`;

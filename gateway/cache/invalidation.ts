import { createHash } from 'node:crypto';
import type { CacheStore } from './store.js';

/**
 * Keys carry the deployment's prefix and the supergraph's version, so two
 * deployments, or two versions of the schema, never read each other's entries.
 */
export function cacheKeyPrefix(cachePrefix: string, supergraphSdl: string): string {
  return `${cachePrefix}:${createHash('sha256').update(supergraphSdl).digest('hex').slice(0, 12)}`;
}

export const invalidationChannel = (keyPrefix: string) => `${keyPrefix}:invalidate`;

export interface InvalidationMessage {
  /** Subgraphs whose data changed: every cached answer they served is dropped. */
  readonly subgraphs: readonly string[];
}

/** Tells every gateway replica sharing the store that these subgraphs' data changed. */
export async function publishInvalidation(store: CacheStore, keyPrefix: string, message: InvalidationMessage): Promise<void> {
  await store.publish(invalidationChannel(keyPrefix), JSON.stringify(message));
}

/** The subgraphs that define a type, read from the supergraph's @join__type directives. */
export function subgraphsOfType(supergraphSdl: string, typeName: string): string[] {
  const definition = new RegExp(`^(?:type|interface|enum|union|input) ${typeName}\\b[^{\\n]*`, 'm').exec(supergraphSdl);
  if (!definition) return [];
  const graphs = [...definition[0].matchAll(/@join__type\(graph: ([A-Z_]+)/g)].map((match) => match[1]!);
  const names = new Map([...supergraphSdl.matchAll(/^\s+([A-Z_]+) @join__graph\(name: "([^"]+)"/gm)].map((match) => [match[1]!, match[2]!]));
  return [...new Set(graphs.map((graph) => names.get(graph)!).filter(Boolean))];
}

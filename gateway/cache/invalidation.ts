import { createHash } from 'node:crypto';
import { Kind, parse } from 'graphql';
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
  /** Subgraphs whose data changed: every cached answer and entity they served is dropped. */
  readonly subgraphs?: readonly string[];
  /** Entities that changed: each is dropped in every subgraph, with the answers of the subgraphs that define its type. */
  readonly entities?: ReadonlyArray<{ readonly type: string; readonly key: Record<string, unknown> }>;
}

/** Tells every gateway replica sharing the store that these subgraphs' data changed. */
export async function publishInvalidation(store: CacheStore, keyPrefix: string, message: InvalidationMessage): Promise<void> {
  await store.publish(invalidationChannel(keyPrefix), JSON.stringify(message));
}

interface SupergraphIndex {
  /** Type name to the subgraphs that define it. */
  readonly definers: ReadonlyMap<string, readonly string[]>;
  /** "subgraph|type" to the entity's @key fields in that subgraph. */
  readonly keyFields: ReadonlyMap<string, readonly string[]>;
}

const indexes = new Map<string, SupergraphIndex>();

/** Reads the supergraph's @join__graph and @join__type directives once per supergraph. */
function indexOf(supergraphSdl: string): SupergraphIndex {
  const known = indexes.get(supergraphSdl);
  if (known) return known;
  const document = parse(supergraphSdl);
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = value.directives
        ?.find((directive) => directive.name.value === 'join__graph')
        ?.arguments?.find((argument) => argument.name.value === 'name');
      if (name?.value.kind === Kind.STRING) names.set(value.name.value, name.value.value);
    }
  }
  const definers = new Map<string, string[]>();
  const keyFields = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const graph = directive.arguments?.find((argument) => argument.name.value === 'graph')?.value;
      const subgraph = graph?.kind === Kind.ENUM ? names.get(graph.value) : undefined;
      if (!subgraph) continue;
      const type = definition.name.value;
      definers.set(type, [...new Set([...(definers.get(type) ?? []), subgraph])]);
      const key = directive.arguments?.find((argument) => argument.name.value === 'key')?.value;
      if (key?.kind === Kind.STRING && !keyFields.has(`${subgraph}|${type}`))
        keyFields.set(`${subgraph}|${type}`, key.value.split(/\s+/).filter(Boolean));
    }
  }
  const index = { definers, keyFields };
  indexes.set(supergraphSdl, index);
  return index;
}

/** The subgraphs that define a type. */
export function subgraphsOfType(supergraphSdl: string, typeName: string): string[] {
  return [...(indexOf(supergraphSdl).definers.get(typeName) ?? [])];
}

/** The @key fields of each entity type in each subgraph. */
export function entityKeyFields(supergraphSdl: string): (subgraph: string, type: string) => readonly string[] {
  const { keyFields } = indexOf(supergraphSdl);
  return (subgraph, type) => keyFields.get(`${subgraph}|${type}`) ?? [];
}

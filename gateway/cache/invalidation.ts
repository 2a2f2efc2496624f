import { createHash } from 'node:crypto';
import { Kind, parse, type EnumValueNode } from 'graphql';
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

/** The subgraphs that define a type, read from the supergraph's @join__type directives. */
export function subgraphsOfType(supergraphSdl: string, typeName: string): string[] {
  const document = parse(supergraphSdl);
  const names = new Map<string, string>();
  let graphs: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const name = value.directives?.find((directive) => directive.name.value === 'join__graph')?.arguments?.find((argument) => argument.name.value === 'name');
        if (name?.value.kind === Kind.STRING) names.set(value.name.value, name.value.value);
      }
    }
    if ('name' in definition && definition.name?.value === typeName && 'directives' in definition) {
      graphs = (definition.directives ?? [])
        .filter((directive) => directive.name.value === 'join__type')
        .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'graph')?.value)
        .filter((value): value is EnumValueNode => value?.kind === Kind.ENUM)
        .map((value) => value.value);
    }
  }
  return [...new Set(graphs.map((graph) => names.get(graph)).filter((name): name is string => name !== undefined))];
}

/** The @key fields of each entity type in each subgraph, from the supergraph's @join__type directives. */
export function entityKeyFields(supergraphSdl: string): (subgraph: string, type: string) => readonly string[] {
  const document = parse(supergraphSdl);
  const names = new Map<string, string>();
  const keys = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const name = value.directives?.find((directive) => directive.name.value === 'join__graph')?.arguments?.find((argument) => argument.name.value === 'name');
        if (name?.value.kind === Kind.STRING) names.set(value.name.value, name.value.value);
      }
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const graph = directive.arguments?.find((argument) => argument.name.value === 'graph')?.value;
      const key = directive.arguments?.find((argument) => argument.name.value === 'key')?.value;
      if (graph?.kind === Kind.ENUM && key?.kind === Kind.STRING && !keys.has(`${names.get(graph.value)}|${definition.name.value}`)) {
        keys.set(`${names.get(graph.value)}|${definition.name.value}`, key.value.split(/\s+/).filter(Boolean));
      }
    }
  }
  return (subgraph, type) => keys.get(`${subgraph}|${type}`) ?? [];
}

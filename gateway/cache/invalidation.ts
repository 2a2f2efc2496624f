import { Kind, parse } from 'graphql';
import { entitySubgraphTag, entityTag, invalidationChannel, staleMark, subgraphTag } from './keys.js';
import type { CacheStore } from './store.js';

/**
 * Invalidation, in one place: what an invalidation does (the answers that
 * subgraphs served are marked stale, their entities and entities by type and
 * key are dropped), the message on the channel that every replica follows, and
 * publishing it. The admin route, the tools (announce.ts) and every gateway's
 * subscription go through here.
 */

/** An entity named by its type and its key fields. */
export interface EntityName {
  readonly type: string;
  readonly key: Record<string, unknown>;
}

/** What travels on the channel, as JSON. */
export interface InvalidationMessage {
  /** Subgraphs whose data changed: every cached answer they served goes stale, every entity they served is dropped. */
  readonly subgraphs?: readonly string[];
  /** Entities that changed: each is dropped in every subgraph, and the answers of the subgraphs that define its type go stale. */
  readonly entities?: readonly EntityName[];
}

/**
 * How long a stale mark lives (s): as long as the longest an answer can be
 * kept (a day of max-age, then the longest stale window, 7 days), so that a
 * mark never lapses before its answer and lets it pass for fresh again.
 */
export const staleMarkSeconds = 86_400 + 604_800;

/** Tells every gateway replica sharing the store what changed. */
export async function publishInvalidation(store: CacheStore, keyPrefix: string, message: InvalidationMessage): Promise<void> {
  await store.publish(invalidationChannel(keyPrefix), JSON.stringify(message));
}

/**
 * A message heard on the channel, or undefined for text that is not JSON.
 * Anyone with access to Redis can publish there: only the well-formed parts
 * of a message are taken, and nothing in it can make the subscriber fail.
 */
export function parseInvalidation(text: string): { subgraphs: string[]; entities: EntityName[] } | undefined {
  let message: InvalidationMessage | null;
  try {
    message = JSON.parse(text) as InvalidationMessage | null;
  } catch {
    return undefined;
  }
  const subgraphs = Array.isArray(message?.subgraphs) ? message.subgraphs.map(String) : [];
  const entities = (Array.isArray(message?.entities) ? message.entities : []).filter(
    (entity) => typeof entity?.type === 'string' && typeof entity.key === 'object' && entity.key !== null,
  );
  return { subgraphs, entities };
}

/** What this process keeps of the answers, told of each invalidation it carries out (the response cache). */
export interface InvalidationListener {
  /** As an invalidation begins: the subgraphs whose answers it makes stale (what runs now may have read the old data). */
  invalidating?(subgraphs: ReadonlySet<string>): void;
  /** Once the store holds the marks: the answers made stale, which this process marks in its memory and may recompute. */
  invalidated?(keys: readonly string[]): void;
}

export interface InvalidationOptions {
  /** Where answers and where entities are kept: each layer's own store, so its failures are counted to it. */
  readonly stores: { readonly response: CacheStore; readonly entity: CacheStore };
  readonly keyPrefix: string;
  readonly supergraphSdl: string;
  /** None: only the store is changed (the tools). */
  readonly listener?: InvalidationListener;
}

export interface Invalidation {
  /**
   * Carries out what the message names: marks stale the answers of its
   * subgraphs and of the subgraphs that define its entities' types (they are
   * kept, and served stale until recomputed), and drops the entities of its
   * subgraphs and its entities in every subgraph. Resolves to the number of
   * answers marked.
   */
  drop(message: InvalidationMessage): Promise<number>;
  /** Tells every replica sharing the store, this one included once subscribed. */
  publish(message: InvalidationMessage): Promise<void>;
  /** From now on, carries out what every message on the channel names. */
  subscribe(): Promise<void>;
}

export function createInvalidation(options: InvalidationOptions): Invalidation {
  const { keyPrefix, stores, listener } = options;
  const markAnswers = async (subgraphs: Iterable<string>): Promise<string[]> => {
    // An answer that several of these subgraphs served is listed under each, and marked once.
    const listed = await Promise.all([...subgraphs].map((subgraph) => stores.response.members(subgraphTag(keyPrefix, subgraph))));
    const keys = [...new Set(listed.flat())];
    // The lists stay: the answers are still kept, and a later change marks them again.
    const at = String(Date.now());
    await Promise.all(keys.map((key) => stores.response.set(staleMark(key), at, staleMarkSeconds)));
    return keys;
  };
  const dropEntitiesOf = async (subgraphs: readonly string[]): Promise<void> => {
    for (const subgraph of subgraphs) {
      const tag = entitySubgraphTag(keyPrefix, subgraph);
      await stores.entity.delete([...(await stores.entity.members(tag)), tag]);
    }
  };
  const dropEntity = async ({ type, key }: EntityName): Promise<void> => {
    const tag = entityTag(keyPrefix, type, key);
    await stores.entity.delete([...(await stores.entity.members(tag)), tag]);
  };
  const drop = async (message: InvalidationMessage): Promise<number> => {
    const named = message.subgraphs ?? [];
    const entities = message.entities ?? [];
    const answersOf = new Set(named);
    for (const { type } of entities) for (const subgraph of subgraphsOfType(options.supergraphSdl, type)) answersOf.add(subgraph);
    listener?.invalidating?.(answersOf);
    const [marked] = await Promise.all([markAnswers(answersOf), dropEntitiesOf(named), ...entities.map(dropEntity)]);
    // Told once the marks are in the store: a copy a request brought back into memory meanwhile is marked too.
    listener?.invalidated?.(marked);
    return marked.length;
  };
  return {
    drop,
    publish: (message) => publishInvalidation(stores.response, keyPrefix, message),
    subscribe: () =>
      stores.response.subscribe(invalidationChannel(keyPrefix), (text) => {
        const message = parseInvalidation(text);
        if (message) void drop(message);
      }),
  };
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

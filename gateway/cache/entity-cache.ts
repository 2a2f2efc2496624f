import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { entityKey, entitySubgraphTag, entityTag } from './keys.js';
import type { CacheCounters, CacheStore } from './store.js';

export interface EntityCacheOptions {
  /** A store whose failures are misses (see `resilient`). */
  readonly store: CacheStore;
  readonly prefix: string;
  readonly counters: CacheCounters;
  /** The @key fields of an entity type in a subgraph, from the supergraph. */
  readonly keyFieldsOf: (subgraph: string, type: string) => readonly string[];
  /** Types that hold personal data (Citizen...): never cached, so never looked up. */
  readonly personalTypes: ReadonlySet<string>;
  /** Fetches of more representations than this go to the subgraph uncached (default defaultMaximumRepresentations). */
  readonly maximumRepresentations?: number;
}

/**
 * A fetch of more entities than this is not cached entity by entity: the
 * subgraph answers 3,321 communes in about 50 ms (docs/benchmarks.md), while
 * looking each one up in the store, then writing and listing each, made a cold
 * commune dashboard four times slower (1,466 against 368 ms). Such answers are
 * kept whole by the response cache; the province level (34) stays cached here.
 */
export const defaultMaximumRepresentations = 500;

interface CachedEntity {
  readonly entity: unknown;
  readonly storedAt: number;
  readonly maxAge: number;
}

const layer = 'entity';

/**
 * Under the query plan: each representation of an `_entities` fetch is kept on
 * its own, under (subgraph, selection, representation), for the subgraph's
 * cache hint. A fetch sends the subgraph only the representations the cache
 * misses and merges the answers back in order, so 34 provinces of which 33 are
 * cached cost the subgraph one representation. Answers with errors are not
 * kept. Each entry is also listed under its entity's type and key, and under its
 * subgraph, for invalidation (invalidation.ts).
 */
export function createEntityCache(options: EntityCacheOptions) {
  return {
    async fetch(
      subgraph: string,
      request: GraphQLDataSourceProcessOptions,
      send: (request: GraphQLDataSourceProcessOptions) => Promise<GatewayGraphQLResponse>,
    ): Promise<GatewayGraphQLResponse> {
      const representations = request.request.variables?.representations;
      const query = request.request.query;
      if (!Array.isArray(representations) || representations.length === 0 || !query?.includes('_entities')) return send(request);
      if (representations.length > (options.maximumRepresentations ?? defaultMaximumRepresentations)) return send(request);
      // Personal data are never kept in a cache: looking them up would cost a read per representation for nothing.
      if (
        representations.every((representation: { __typename?: unknown }) => options.personalTypes.has(String(representation?.__typename)))
      )
        return send(request);
      const keys = representations.map((representation: Record<string, unknown>) =>
        entityKey(options.prefix, subgraph, query, representation),
      );
      const now = Date.now();
      const cached = (await Promise.all(keys.map((key) => options.store.get(key)))).map((raw) => {
        if (!raw) return undefined;
        const entry = JSON.parse(raw) as CachedEntity;
        return (now - entry.storedAt) / 1000 < entry.maxAge ? entry : undefined;
      });
      const missing = cached.flatMap((entry, index) => (entry ? [] : [index]));
      for (const entry of cached) {
        if (entry) options.counters.hit(layer);
        else options.counters.miss(layer);
      }
      const remaining = Math.min(
        ...cached
          .filter((entry): entry is CachedEntity => entry !== undefined)
          .map((entry) => entry.maxAge - Math.floor((now - entry.storedAt) / 1000)),
      );
      const policy = 'incomingRequestContext' in request ? request.incomingRequestContext.overallCachePolicy : undefined;
      if (Number.isFinite(remaining)) policy?.restrict({ maxAge: Math.max(0, remaining) });

      const entities: unknown[] = cached.map((entry) => entry?.entity ?? null);
      if (missing.length === 0) return { data: { _entities: entities } };

      const response = await send({
        ...request,
        request: {
          ...request.request,
          variables: { ...request.request.variables, representations: missing.map((index) => representations[index]) },
        },
      });
      const fetched = (response.data?._entities ?? []) as unknown[];
      missing.forEach((original, position) => (entities[original] = fetched[position] ?? null));
      const errors = response.errors?.map((error) => {
        const path = error.path;
        return path?.[0] === '_entities' && typeof path[1] === 'number'
          ? { ...error, path: ['_entities', missing[path[1]]!, ...path.slice(2)] }
          : error;
      });

      const hint = /max-age=(\d+)/.exec(response.http?.headers.get('cache-control') ?? '');
      const maxAge = hint ? Number(hint[1]) : 0;
      const shared = !/private|no-store/.test(response.http?.headers.get('cache-control') ?? '');
      if (maxAge > 0 && shared && !response.errors?.length && fetched.length === missing.length) {
        await Promise.all(
          missing.map(async (original, position) => {
            const representation = representations[original] as Record<string, unknown>;
            const type = String(representation.__typename);
            const keyFields = Object.fromEntries(options.keyFieldsOf(subgraph, type).map((field) => [field, representation[field]]));
            const entry: CachedEntity = { entity: fetched[position], storedAt: now, maxAge };
            await options.store.set(keys[original]!, JSON.stringify(entry), maxAge);
            await options.store.addToSet(entityTag(options.prefix, type, keyFields), [keys[original]!], maxAge);
          }),
        );
        await options.store.addToSet(
          entitySubgraphTag(options.prefix, subgraph),
          missing.map((original) => keys[original]!),
          maxAge,
        );
      }
      return { ...response, data: { ...response.data, _entities: entities }, ...(errors ? { errors } : {}) };
    },
  };
}

export type EntityCache = ReturnType<typeof createEntityCache>;

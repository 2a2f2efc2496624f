import type { ApolloServerPlugin } from '@apollo/server';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { HttpAnswer } from '../../subgraphs/runtime/http.js';
import type { CacheCounters, CacheStore } from '../cache/store.js';
import type { GatewayContext } from '../context.js';

export interface ResponseCacheOptions {
  /** A store whose failures are misses (see `resilient`). */
  readonly store: CacheStore;
  /** Key prefix: deployment and supergraph version, so neither reads the other's entries. */
  readonly prefix: string;
  readonly counters: CacheCounters;
}

interface CachedAnswer {
  readonly body: string;
  readonly storedAt: number;
  readonly maxAge: number;
}

const layer = 'response';

/**
 * Whole answers, kept in the cache store under a hash of the operation, its
 * variables and the caller's access scope, for as long as the shortest cache
 * hint of the subgraphs that served it; answers without a hint, with errors,
 * or with private data are not kept. A hit is answered before Apollo parses,
 * validates or plans anything. Concurrent identical misses share one
 * execution. Each entry is listed under every subgraph that served it, so a
 * change in one agency's data drops exactly the answers that used it.
 */
export function createResponseCache(options: ResponseCacheOptions) {
  // Operations that read personal data are never kept: asking the store for them costs a read for nothing.
  const neverCached = new LRUCache<string, true>({ max: 10_000 });
  const operationOf = (key: string) => key.slice(0, key.lastIndexOf('|'));
  const inFlight = new Map<string, Promise<HttpAnswer & { cacheable: boolean }>>();
  const tagKey = (subgraph: string) => `${options.prefix}:tag:${subgraph}`;

  return {
    /** The key of a cacheable request, or undefined for what is never cached (GET, mutations, unparsable bodies). */
    keyFor(method: string | undefined, body: unknown, scope: string): string | undefined {
      if (method !== 'POST' || typeof body !== 'object' || body === null) return undefined;
      const { query, operationName, variables, extensions } = body as Record<string, unknown>;
      const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      if (typeof query !== 'string' && typeof persisted !== 'string') return undefined;
      if (typeof query === 'string' && /^\s*mutation\b/.test(query)) return undefined;
      // The operation's own hash leads the key, so what is learnt about an operation holds for all its variables.
      const operation = createHash('sha256')
        .update(JSON.stringify([typeof query === 'string' ? query : `#${String(persisted)}`, operationName ?? null]))
        .digest('base64url');
      const hash = createHash('sha256').update(JSON.stringify([variables ?? null, scope])).digest('base64url');
      return `${options.prefix}:response:${operation}|${hash}`;
    },

    /**
     * Answers from the cache, or runs `execute` once for every concurrent
     * request with the same key and keeps what it may.
     */
    async answer(key: string, execute: () => Promise<{ answer: HttpAnswer; context: GatewayContext }>): Promise<HttpAnswer & { age?: number }> {
      if (neverCached.has(operationOf(key))) return (await execute()).answer;
      const raw = await options.store.get(key);
      if (raw) {
        const cached = JSON.parse(raw) as CachedAnswer;
        const age = Math.floor((Date.now() - cached.storedAt) / 1000);
        if (age < cached.maxAge) {
          options.counters.hit(layer);
          return { status: 200, headers: [['content-type', 'application/json; charset=utf-8'], ['cache-control', `max-age=${cached.maxAge - age}, public`]], body: cached.body, age };
        }
      }
      options.counters.miss(layer);
      const running = inFlight.get(key);
      if (running) {
        const shared = await running;
        if (shared.cacheable) return shared;
        return (await execute()).answer;
      }
      const run = (async () => {
        const { answer, context } = await execute();
        const policy = context.outcome.cachePolicy;
        const cacheable = answer.status === 200 && !context.outcome.hadErrors && !context.outcome.personal && policy !== undefined && policy.maxAge > 0 && policy.scope === 'PUBLIC';
        // Whether an operation reads personal data follows from its text alone, whatever its variables.
        if (context.outcome.personal) neverCached.set(operationOf(key), true);
        if (cacheable) {
          const entry: CachedAnswer = { body: answer.body, storedAt: Date.now(), maxAge: policy.maxAge };
          await options.store.set(key, JSON.stringify(entry), policy.maxAge);
          await Promise.all([...context.servedBy].map((subgraph) => options.store.addToSet(tagKey(subgraph), [key], policy.maxAge)));
        }
        return { ...answer, cacheable };
      })();
      inFlight.set(key, run);
      try {
        return await run;
      } finally {
        inFlight.delete(key);
      }
    },

    /** Drops every answer that any of these subgraphs served. */
    async invalidateSubgraphs(subgraphs: readonly string[]): Promise<number> {
      let dropped = 0;
      for (const subgraph of subgraphs) {
        const keys = await options.store.members(tagKey(subgraph));
        await options.store.delete([...keys, tagKey(subgraph)]);
        dropped += keys.length;
      }
      return dropped;
    },

    /** Copies the policy Apollo merged from the subgraphs' Cache-Control headers into the request's context. */
    plugin: {
      async requestDidStart() {
        return {
          async willSendResponse({ contextValue, overallCachePolicy, response }) {
            contextValue.outcome.hadErrors = response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
            contextValue.outcome.personal = (contextValue.access.inspection?.personalFields.size ?? 0) > 0;
            const policy = overallCachePolicy.policyIfCacheable();
            if (policy) contextValue.outcome.cachePolicy = { maxAge: policy.maxAge, scope: policy.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC' };
          },
        };
      },
    } satisfies ApolloServerPlugin<GatewayContext>,
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

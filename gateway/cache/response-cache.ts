import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { HttpAnswer } from '../../platform/http.js';
import type { GatewayContext } from '../context.js';
import { responseKey, subgraphTag } from './keys.js';
import type { CacheCounters, CacheStore } from './store.js';

export interface ResponseCacheOptions {
  /** A store whose failures are misses (see `resilient`). */
  readonly store: CacheStore;
  /** Key prefix: deployment and supergraph version, so neither reads the other's entries. */
  readonly prefix: string;
  readonly counters: CacheCounters;
  /** How long an answer is served from this process's memory before the store is asked again (seconds). */
  readonly localSeconds?: number;
  /**
   * Stale-if-error: how long past its max-age an answer is kept to be served,
   * marked stale, when a fresh execution fails because a subgraph is down or
   * slow (seconds; 0: never).
   */
  readonly staleSeconds?: number;
}

interface CachedAnswer {
  readonly body: string;
  readonly storedAt: number;
  readonly maxAge: number;
}

/** An answer kept in this process, its bytes encoded once. */
interface LocalAnswer {
  readonly bytes: Buffer;
  readonly storedAt: number;
  readonly maxAge: number;
}

const layer = 'response';
/** How long an answer is served from this process's memory before the store is asked again, unless told otherwise. */
export const defaultLocalSeconds = 5;

/** What a shared run of a key produced, and whether it was a hit. */
type Outcome = HttpAnswer & { age?: number; cacheable: boolean; stale?: boolean };

/**
 * Whole answers, kept in the cache store under a hash of the operation, its
 * variables and the caller's access scope, for as long as the shortest cache
 * hint of the subgraphs that served it; answers without a hint, with errors,
 * or with private data are not kept. A hit is answered before Apollo parses,
 * validates or plans anything. Concurrent identical misses share one
 * execution. Each entry is listed under every subgraph that served it, so a
 * change in one agency's data drops exactly the answers that used it
 * (invalidation.ts). What it decides from, Apollo's merged cache policy and
 * the answer's errors, plugins/response-cache.ts records in the context.
 */
export function createResponseCache(options: ResponseCacheOptions) {
  // Operations that read personal data are never kept: asking the store for them costs a read for nothing.
  const neverCached = new LRUCache<string, true>({ max: 10_000 });
  const operationOf = (key: string) => key.slice(0, key.lastIndexOf('|'));
  // The hottest answers also live in this process for a few seconds, sparing a
  // store round trip and a parse per hit. Invalidations clear it; if one is
  // missed (Redis away), an entry outlives its invalidation by at most that long.
  const local = new LRUCache<string, LocalAnswer>({
    maxSize: 64 * 1_048_576,
    sizeCalculation: (entry) => entry.bytes.length + 100,
    ttl: (options.localSeconds ?? defaultLocalSeconds) * 1000,
  });
  const keepLocally = (key: string, entry: CachedAnswer): LocalAnswer => {
    const kept = { bytes: Buffer.from(entry.body), storedAt: entry.storedAt, maxAge: entry.maxAge };
    local.set(key, kept);
    return kept;
  };
  const staleSeconds = options.staleSeconds ?? 0;
  /** A kept answer past its max-age but within the stale window, marked as such; undefined otherwise. */
  const staleAnswer = (entry: CachedAnswer, failedSubgraphs: readonly string[]): Outcome | undefined => {
    const ageSeconds = Math.floor((Date.now() - entry.storedAt) / 1000);
    if (ageSeconds > entry.maxAge + staleSeconds) return undefined;
    const body = JSON.parse(entry.body) as { extensions?: Record<string, unknown> };
    body.extensions = { ...body.extensions, stale: { ageSeconds, failedSubgraphs } };
    return {
      status: 200,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['cache-control', 'no-store'],
        ['warning', '110 - "Response is Stale"'],
      ],
      body: JSON.stringify(body),
      age: ageSeconds,
      cacheable: false,
      stale: true,
    };
  };
  const inFlight = new Map<string, Promise<Outcome>>();
  const tagKey = (subgraph: string) => subgraphTag(options.prefix, subgraph);
  const hit = (cached: LocalAnswer): Outcome | undefined => {
    const age = Math.floor((Date.now() - cached.storedAt) / 1000);
    if (age >= cached.maxAge) return undefined;
    return {
      status: 200,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['cache-control', `max-age=${cached.maxAge - age}, public`],
      ],
      body: cached.bytes,
      age,
      cacheable: true,
    };
  };

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
      const hash = createHash('sha256')
        .update(JSON.stringify([variables ?? null, scope]))
        .digest('base64url');
      return responseKey(options.prefix, operation, hash);
    },

    /**
     * Answers from the cache, or runs `execute` once for every concurrent
     * request with the same key and keeps what it may.
     */
    async answer(
      key: string,
      execute: () => Promise<{ answer: HttpAnswer; context: GatewayContext }>,
    ): Promise<HttpAnswer & { age?: number; stale?: boolean }> {
      if (neverCached.has(operationOf(key))) return (await execute()).answer;
      const held = local.get(key);
      const fresh = held && hit(held);
      if (fresh) {
        options.counters.hit(layer);
        return fresh;
      }
      // Joined before the store is read: a request arriving while another reads or executes shares its outcome.
      const running = inFlight.get(key);
      if (running) {
        const shared = await running;
        if (shared.age !== undefined) options.counters.hit(layer);
        else options.counters.miss(layer);
        if (shared.cacheable || shared.stale) return shared;
        return (await execute()).answer;
      }
      const run = (async (): Promise<Outcome> => {
        const raw = await options.store.get(key);
        const kept = raw ? (JSON.parse(raw) as CachedAnswer) : undefined;
        const stored = kept ? hit(keepLocally(key, kept)) : undefined;
        if (stored) {
          options.counters.hit(layer);
          return stored;
        }
        options.counters.miss(layer);
        const { answer, context } = await execute();
        const policy = context.outcome.cachePolicy;
        const personal = (context.access.inspection?.personalFields.size ?? 0) > 0;
        // A subgraph down or slow: the last good answer, marked stale, rather than one with holes (never personal data).
        const failed = context.outcome.failedSubgraphs ?? [];
        if (kept && failed.length > 0 && !personal && staleSeconds > 0) {
          const stale = staleAnswer(kept, failed);
          if (stale) return stale;
        }
        const cacheable =
          answer.status === 200 &&
          !context.outcome.hadErrors &&
          !personal &&
          policy !== undefined &&
          policy.maxAge > 0 &&
          policy.scope === 'PUBLIC';
        // Whether an operation reads personal data follows from its text alone, whatever its variables.
        if (personal) neverCached.set(operationOf(key), true);
        if (cacheable) {
          const entry: CachedAnswer = { body: answer.body.toString(), storedAt: Date.now(), maxAge: policy.maxAge };
          keepLocally(key, entry);
          // Kept past its max-age for stale-if-error; hit() serves it fresh only within max-age.
          const keptFor = policy.maxAge + staleSeconds;
          await options.store.set(key, JSON.stringify(entry), keptFor);
          await Promise.all([...context.servedBy].map((subgraph) => options.store.addToSet(tagKey(subgraph), [key], keptFor)));
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

    /**
     * Forgets the answers kept in this process. Which of them came from which
     * subgraph is not kept here; invalidations are rare, so all go.
     */
    forgetLocal(): void {
      local.clear();
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import type { HttpAnswer } from '../../platform/http.js';
import { staleMarkSeconds } from './invalidation.js';
import { refreshLock, responseKey, staleMark, subgraphTag } from './keys.js';
import { type CachedAnswer, freshAnswer, type LocalAnswer, staleAnswer } from './cached-answer.js';
import { createReplays, type Execution, type Recompute } from './replays.js';
import type { CacheCounters, CacheStore } from './store.js';

export type { Execution, Recompute } from './replays.js';

export interface ResponseCacheOptions {
  /** A store whose failures are misses (see `resilient`). */
  readonly store: CacheStore;
  /** Key prefix: deployment and supergraph version, so neither reads the other's entries. */
  readonly prefix: string;
  readonly counters: CacheCounters;
  /** How long an answer is served from this process's memory before the store is asked again (seconds). */
  readonly localSeconds?: number;
  /**
   * The stale window: how long past its max-age an answer is kept (seconds;
   * 0: never). Within it an answer that expired, or that an invalidation
   * marked stale, is served at once, marked stale, while one recomputation
   * renews it (stale-while-revalidate); if that recomputation fails, it goes
   * on being served (stale-if-error).
   */
  readonly staleSeconds?: number;
  /** After an invalidation, how many of the answers it made stale this process recomputes at once, the most asked first (0: none). */
  readonly refreshHottest?: number;
  /** How many of those recomputations run at a time. */
  readonly refreshConcurrency?: number;
  /** How long one replica holds the right to recompute an answer before another may take it (ms). */
  readonly refreshLockMs?: number;
}

const layer = 'response';
/** Recomputations in the background: hits renewed an answer, misses were left to the replica holding the lock, errors failed. */
const refreshLayer = 'refresh';
/** How long an answer is served from this process's memory before the store is asked again, unless told otherwise. */
export const defaultLocalSeconds = 5;
/** After an invalidation, how many stale answers are recomputed at once, unless told otherwise. */
export const defaultRefreshHottest = 50;
/** How many such recomputations run at a time, unless told otherwise: a commune dashboard keeps a core busy. */
export const defaultRefreshConcurrency = 2;
/** As long as a request may take (REQUEST_TIMEOUT_MS's default), unless told otherwise. */
export const defaultRefreshLockMs = 30_000;
/** After a recomputation failed, or was left to another replica, the requests of the next moment do not try again. */
const retryAfterMs = 250;

/** What a shared run of a key produced, and whether it was a hit. */
type Outcome = HttpAnswer & { age?: number; cacheable: boolean; stale?: boolean };

/**
 * Whole answers, kept in the cache store under a hash of the operation, its
 * variables and the caller's access scope, for as long as the shortest cache
 * hint of the subgraphs that served it, then for the stale window; answers
 * without a hint, with errors, or with private data are not kept. A hit is
 * answered before Apollo parses, validates or plans anything. Concurrent
 * identical misses share one execution.
 *
 * Stale while revalidate: an answer past its max-age, or marked stale by an
 * invalidation (invalidation.ts marks; it does not delete), is answered at
 * once while one recomputation per key (in this process; across replicas, the
 * one holding a short lock in the store) renews it; a recomputation that
 * fails leaves the stale answer. After an invalidation, this process also
 * recomputes the most asked of the answers it made stale, as their anonymous
 * callers asked them, so that the next dashboards find the new answer.
 *
 * Each entry is listed under every subgraph that served it, so a change in one
 * agency's data reaches exactly the answers that used it. What the cache
 * decides from, Apollo's merged cache policy and the answer's errors,
 * plugins/response-cache.ts records in the context.
 */
export function createResponseCache(options: ResponseCacheOptions) {
  const { store, counters } = options;
  const staleSeconds = options.staleSeconds ?? 0;
  const refreshHottest = options.refreshHottest ?? defaultRefreshHottest;
  const refreshConcurrency = Math.max(1, options.refreshConcurrency ?? defaultRefreshConcurrency);
  const refreshLockMs = options.refreshLockMs ?? defaultRefreshLockMs;
  // Says which replica holds a lock, for whoever reads Redis.
  const owner = randomUUID();
  // Operations that read personal data are never kept: asking the store for them costs a read for nothing.
  const neverCached = new LRUCache<string, true>({ max: 10_000 });
  const operationOf = (key: string) => key.slice(0, key.lastIndexOf('|'));
  // Dashboards send the same few documents over and over: each is hashed once.
  const operationHashes = new LRUCache<string, string>({ max: 1_000 });
  const operationHash = (document: string, operationName: unknown) => {
    const text = JSON.stringify([document, operationName]);
    let hash = operationHashes.get(text);
    if (hash === undefined) operationHashes.set(text, (hash = createHash('sha256').update(text).digest('base64url')));
    return hash;
  };
  // The hottest answers also live in this process for a few seconds, sparing a
  // store round trip and a parse per hit. Invalidations mark them stale here
  // too; if one is missed (Redis away), an entry outlives it by at most that long.
  const local = new LRUCache<string, LocalAnswer>({
    maxSize: 64 * 1_048_576,
    sizeCalculation: (entry) => entry.bytes.length + 100,
    ttl: (options.localSeconds ?? defaultLocalSeconds) * 1000,
  });
  // The subgraphs that served the answers this process computed: its copies of them, even read back from the store,
  // are marked stale by an invalidation of those subgraphs rather than forgotten.
  const servedBy = new LRUCache<string, ReadonlySet<string>>({ max: 10_000 });
  const keepLocally = (key: string, entry: CachedAnswer, stale: boolean): LocalAnswer => {
    const subgraphs = servedBy.get(key);
    const kept = {
      bytes: Buffer.from(entry.body),
      storedAt: entry.storedAt,
      maxAge: entry.maxAge,
      stale,
      ...(subgraphs ? { subgraphs } : {}),
    };
    local.set(key, kept);
    return kept;
  };
  // Subgraphs that failed the last recomputation of an answer: its stale answers name them (stale-if-error).
  const failures = new LRUCache<string, readonly string[]>({ max: 1_000 });
  // When this process last heard of an invalidation of each subgraph (performance.now()).
  const invalidatedAt = new Map<string, number>();

  type Freshness = 'fresh' | 'stale' | 'expired';
  const freshnessOf = (entry: { storedAt: number; maxAge: number }, marked: boolean): Freshness => {
    const ageSeconds = Math.floor((Date.now() - entry.storedAt) / 1000);
    if (!marked && ageSeconds < entry.maxAge) return 'fresh';
    return staleSeconds > 0 && ageSeconds <= entry.maxAge + staleSeconds ? 'stale' : 'expired';
  };
  const hit = (cached: LocalAnswer): Outcome => ({ ...freshAnswer(cached), cacheable: true });

  const staleHit = (key: string, cached: LocalAnswer): Outcome => ({ ...staleAnswer(cached, failures.get(key)), cacheable: false });
  const keepable = ({ answer, context }: Execution): boolean => {
    const policy = context.outcome.cachePolicy;
    const personal = (context.access.inspection?.personalFields.size ?? 0) > 0;
    return (
      answer.status === 200 &&
      !context.outcome.hadErrors &&
      !personal &&
      policy !== undefined &&
      policy.maxAge > 0 &&
      policy.scope === 'PUBLIC'
    );
  };
  /**
   * Keeps an answer in memory and in the store, listed under its subgraphs.
   * Resolves whether an invalidation of one of them was heard since `startedAt`:
   * the answer may then hold the data from before the change, and is kept
   * marked stale, to be recomputed.
   */
  const keep = async (key: string, { answer, context }: Execution, startedAt: number): Promise<boolean> => {
    const maxAge = context.outcome.cachePolicy!.maxAge;
    const entry: CachedAnswer = { body: answer.body.toString(), storedAt: Date.now(), maxAge };
    const overtaken = [...context.servedBy].some((subgraph) => (invalidatedAt.get(subgraph) ?? Number.NEGATIVE_INFINITY) >= startedAt);
    servedBy.set(key, context.servedBy);
    keepLocally(key, entry, overtaken);
    // Kept past its max-age for the stale window; within max-age it is served fresh.
    const keptFor = maxAge + staleSeconds;
    await store.set(key, JSON.stringify(entry), keptFor);
    await Promise.all([...context.servedBy].map((subgraph) => store.addToSet(subgraphTag(options.prefix, subgraph), [key], keptFor)));
    if (overtaken) await store.set(staleMark(key), String(Date.now()), staleMarkSeconds);
    else await store.delete([staleMark(key)]);
    return overtaken;
  };
  /** Whether another replica has renewed the answer since it went stale here; if so this process takes the new one. */
  const renewedElsewhere = async (key: string): Promise<boolean> => {
    if (await store.has(staleMark(key))) return false;
    const raw = await store.get(key);
    const entry = raw ? (JSON.parse(raw) as CachedAnswer) : undefined;
    if (!entry || freshnessOf(entry, false) !== 'fresh') return false;
    keepLocally(key, entry, false);
    return true;
  };

  // One recomputation per key at a time in this process.
  const refreshing = new Map<string, Promise<void>>();
  // `requested`: a request met the stale answer; the requests of the next moment then wait with it rather than try again.
  const refresh = (key: string, recompute: Recompute, requested = true): Promise<void> => {
    const running = refreshing.get(key);
    if (running) return running;
    const run = (async () => {
      let locked = false;
      try {
        if (await renewedElsewhere(key)) return;
        // Across replicas: the one that takes the lock recomputes, the others go on serving the stale answer.
        locked = await store.setIfAbsent(refreshLock(key), owner, refreshLockMs);
        if (!locked) {
          counters.miss(refreshLayer);
          // The requests meanwhile share this wait instead of asking the store again each.
          if (requested) await pause(retryAfterMs, undefined, { ref: false });
          return;
        }
        // Once more if an invalidation overtook the first run: it may have read the data from before the change.
        for (let attempt = 1; attempt <= 2; attempt++) {
          const startedAt = performance.now();
          const execution = await recompute.run();
          if (!keepable(execution)) {
            // Not an answer to keep (a subgraph down or slow, an error): the stale answer stands.
            failures.set(key, execution.context.outcome.failedSubgraphs ?? []);
            counters.error(refreshLayer);
            if (requested) await pause(retryAfterMs, undefined, { ref: false });
            return;
          }
          failures.delete(key);
          counters.hit(refreshLayer);
          if (!(await keep(key, execution, startedAt))) return;
        }
      } catch {
        // Past its deadline, or failed: the stale answer stands.
        counters.error(refreshLayer);
      } finally {
        if (locked) await store.delete([refreshLock(key)]);
      }
    })().finally(() => refreshing.delete(key));
    refreshing.set(key, run);
    return run;
  };
  const replays = createReplays({
    hottest: refreshHottest,
    concurrency: refreshConcurrency,
    // With nobody waiting on it: no pause after a failure.
    refresh: (key, recompute) => refresh(key, recompute, false),
  });
  /**
   * A fresh answer held in this process, or undefined: what `answer` would
   * answer for it, without waiting for anything, so a hit needs no deadline,
   * no promise and no store.
   */
  const freshInMemory = (key: string, recompute: Recompute): (HttpAnswer & { age: number }) | undefined => {
    const held = local.get(key);
    if (!held || freshnessOf(held, held.stale) !== 'fresh' || neverCached.has(operationOf(key))) return undefined;
    counters.hit(layer);
    replays.noteAsked(key, recompute);
    return freshAnswer(held);
  };

  const inFlight = new Map<string, Promise<Outcome>>();

  return {
    /** The key of a cacheable request, or undefined for what is never cached (GET, mutations, unparsable bodies). */
    keyFor(method: string | undefined, body: unknown, scope: string): string | undefined {
      if (method !== 'POST' || typeof body !== 'object' || body === null) return undefined;
      const { query, operationName, variables, extensions } = body as Record<string, unknown>;
      const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      if (typeof query !== 'string' && typeof persisted !== 'string') return undefined;
      if (typeof query === 'string' && /^\s*mutation\b/.test(query)) return undefined;
      // The operation's own hash leads the key, so what is learnt about an operation holds for all its variables.
      const operation = operationHash(typeof query === 'string' ? query : `#${String(persisted)}`, operationName ?? null);
      const hash = createHash('sha256')
        .update(JSON.stringify([variables ?? null, scope]))
        .digest('base64url');
      return responseKey(options.prefix, operation, hash);
    },

    freshInMemory,

    /**
     * Answers from the cache, or runs `execute` once for every concurrent
     * request with the same key and keeps what it may. A stale answer is
     * answered at once, and renewed in the background by `recompute`
     * (by default `execute` again).
     */
    async answer(
      key: string,
      execute: () => Promise<Execution>,
      recompute: Recompute = { run: execute, replayable: false },
    ): Promise<HttpAnswer & { age?: number; stale?: boolean }> {
      const fresh = freshInMemory(key, recompute);
      if (fresh) {
        const outcome: Outcome = { ...fresh, cacheable: true };
        return outcome;
      }
      if (neverCached.has(operationOf(key))) return (await execute()).answer;
      const held = local.get(key);
      if (held && freshnessOf(held, held.stale) === 'stale') {
        counters.hit(layer);
        replays.noteAsked(key, recompute);
        void refresh(key, recompute);
        return staleHit(key, held);
      }
      // Joined before the store is read: a request arriving while another reads or executes shares its outcome.
      const running = inFlight.get(key);
      if (running) {
        const shared = await running;
        if (shared.age !== undefined) counters.hit(layer);
        else counters.miss(layer);
        if (shared.cacheable || shared.stale) return shared;
        return (await execute()).answer;
      }
      const run = (async (): Promise<Outcome> => {
        // Asked together, so one round trip to Redis (auto-pipelined): the answer, and whether it was marked stale.
        const [raw, marked] = await Promise.all([store.get(key), store.has(staleMark(key))]);
        const kept = raw ? (JSON.parse(raw) as CachedAnswer) : undefined;
        if (kept) {
          const found = freshnessOf(kept, marked);
          if (found !== 'expired') {
            counters.hit(layer);
            replays.noteAsked(key, recompute);
            const copy = keepLocally(key, kept, marked);
            if (found === 'fresh') return hit(copy);
            void refresh(key, recompute);
            return staleHit(key, copy);
          }
        }
        counters.miss(layer);
        const startedAt = performance.now();
        const execution = await execute();
        const { answer, context } = execution;
        // Whether an operation reads personal data follows from its text alone, whatever its variables.
        if ((context.access.inspection?.personalFields.size ?? 0) > 0) neverCached.set(operationOf(key), true);
        const cacheable = keepable(execution);
        if (cacheable) {
          await keep(key, execution, startedAt);
          replays.noteAsked(key, recompute);
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
     * An invalidation of these subgraphs begins: what is computing now may have
     * read the data before the change. Copies in memory that they served are
     * stale from now on; copies of answers only other replicas computed, whose
     * subgraphs this process does not know, are forgotten (the store will say,
     * once marked).
     */
    invalidating(subgraphs: ReadonlySet<string>): void {
      const now = performance.now();
      for (const subgraph of subgraphs) invalidatedAt.set(subgraph, now);
      if (subgraphs.size === 0) return;
      for (const [key, copy] of [...local.entries()]) {
        if (!copy.subgraphs) local.delete(key);
        else if ([...copy.subgraphs].some((subgraph) => subgraphs.has(subgraph))) copy.stale = true;
      }
    },

    /**
     * The store marked these answers stale: so are the copies in this process,
     * and the most asked of them are recomputed now, a few at a time, as their
     * anonymous callers asked them.
     */
    invalidated(keys: readonly string[]): void {
      for (const key of keys) {
        const copy = local.peek(key);
        if (copy) copy.stale = true;
      }
      replays.recomputeSoon(keys);
    },

    /** Resolves once no recomputation is running or waiting in this process (tests, and a clean stop). */
    async settled(): Promise<void> {
      while (refreshing.size > 0 || replays.busy) {
        await Promise.all(refreshing.values());
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

/**
 * The few calls the gateway's caches make. Redis (ioredis, one server or a
 * cluster) and an in-process LRU implement it, and both pass one test suite.
 * Every call may fail (Redis down, slow, refusing): callers go through
 * `resilient()`, which turns a failure into a miss.
 */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  /** Whether the key holds a value: a mark read without its value. */
  has(key: string): Promise<boolean>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Sets a value only where the key holds none, for `ttlMs`, and resolves
   * whether it did: a short lock (Redis: SET NX PX), so that of the replicas
   * sharing the store one does a piece of work and the others leave it.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(keys: readonly string[]): Promise<void>;
  /** Adds members to a set that then lives at least `ttlSeconds`. */
  addToSet(key: string, members: readonly string[], ttlSeconds: number): Promise<void>;
  members(key: string): Promise<string[]>;
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  /** Resolves once the store takes commands (Redis: connected; it queues nothing before), rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface CacheCounters {
  hit(layer: string): void;
  miss(layer: string): void;
  error(layer: string): void;
}

/** Hits, misses and errors per cache layer, for the metrics endpoint. */
export class CacheStatistics implements CacheCounters {
  readonly #counts = new Map<string, { hits: number; misses: number; errors: number }>();

  hit(layer: string): void {
    this.#of(layer).hits++;
  }

  miss(layer: string): void {
    this.#of(layer).misses++;
  }

  error(layer: string): void {
    this.#of(layer).errors++;
  }

  snapshot(): Record<string, { hits: number; misses: number; errors: number }> {
    return Object.fromEntries([...this.#counts].map(([layer, counts]) => [layer, { ...counts }]));
  }

  #of(layer: string) {
    let counts = this.#counts.get(layer);
    if (!counts) this.#counts.set(layer, (counts = { hits: 0, misses: 0, errors: 0 }));
    return counts;
  }
}

/**
 * A store whose failures never reach a request: a failed read is a miss, a
 * failed write is skipped, and each is counted as an error of `layer`.
 */
export function resilient(store: CacheStore, counters: CacheCounters, layer: string): CacheStore {
  const guard = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      counters.error(layer);
      return fallback;
    }
  };
  return {
    get: (key) => guard(() => store.get(key), undefined),
    has: (key) => guard(() => store.has(key), false),
    set: (key, value, ttl) => guard(() => store.set(key, value, ttl), undefined),
    // A store that cannot lock does not hold the work back: at worst two replicas do it.
    setIfAbsent: (key, value, ttlMs) => guard(() => store.setIfAbsent(key, value, ttlMs), true),
    delete: (keys) => guard(() => store.delete(keys), undefined),
    addToSet: (key, members, ttl) => guard(() => store.addToSet(key, members, ttl), undefined),
    members: (key) => guard(() => store.members(key), []),
    publish: (channel, message) => guard(() => store.publish(channel, message), undefined),
    subscribe: (channel, onMessage) => guard(() => store.subscribe(channel, onMessage), undefined),
    // Not guarded: whoever waits for the store decides what an unreachable one means.
    ready: (timeoutMs) => store.ready(timeoutMs),
    close: () => store.close(),
  };
}

import { LRUCache } from 'lru-cache';
import type { HttpAnswer } from '../../platform/http.js';
import type { GatewayContext } from '../context.js';

/** What running an operation gives: its answer, and the context the cache decides from. */
export interface Execution {
  readonly answer: HttpAnswer;
  readonly context: GatewayContext;
}

/** How an answer is recomputed away from the request that asked for it. */
export interface Recompute {
  /** Runs the operation again as its caller would, with a deadline of its own. */
  readonly run: () => Promise<Execution>;
  /**
   * Whether it may be kept and run again after an invalidation with nobody
   * asking: only what an anonymous caller asked, which depends on no one's
   * credentials (they may have expired or been revoked since).
   */
  readonly replayable: boolean;
  /** What keeping it costs this process: the size of the request body (characters). */
  readonly bytes?: number;
}

/** An answer asked recently that this process may recompute after an invalidation. */
interface Asked {
  readonly replay: () => Promise<Execution>;
  readonly bytes: number;
  /** Requests, halved every `halfLifeMs` since `at`. */
  score: number;
  at: number;
}

/** An answer not asked for this long is not recomputed after an invalidation (its next request will be served stale). */
const askedWithinMs = 10 * 60_000;
const halfLifeMs = 60_000;

/**
 * The answers this process may recompute after an invalidation, with how much
 * each is asked (decaying), and the queue that recomputes the most asked of
 * those an invalidation made stale, a few at a time. Bounded in number and in
 * the bytes of the requests kept; an answer not asked for a while is
 * forgotten.
 */
export function createReplays(options: {
  /** How many of the answers an invalidation made stale are recomputed, the most asked first (0: none). */
  readonly hottest: number;
  /** How many recomputations run at a time. */
  readonly concurrency: number;
  /** Recomputes one answer (the response cache's one-per-key refresh). */
  readonly refresh: (key: string, recompute: Recompute) => Promise<void>;
}) {
  const asked = new LRUCache<string, Asked>({
    max: 1_000,
    maxSize: 16 * 1_048_576,
    sizeCalculation: (entry) => entry.bytes + 200,
    ttl: askedWithinMs,
  });
  const scoreOf = (entry: Asked, now: number) => entry.score * 0.5 ** ((now - entry.at) / halfLifeMs);
  const queued = new Map<string, number>();
  let workers = 0;
  const work = async (): Promise<void> => {
    try {
      while (queued.size > 0) {
        const [key] = [...queued].reduce((best, next) => (next[1] > best[1] ? next : best));
        queued.delete(key);
        const known = asked.get(key);
        if (known) await options.refresh(key, { run: known.replay, replayable: true });
      }
    } finally {
      workers--;
    }
  };
  return {
    /** A request asked for this answer: counted, and kept to replay if its caller allows. */
    noteAsked(key: string, recompute: Recompute): void {
      if (!recompute.replayable) return;
      const now = performance.now();
      const known = asked.get(key);
      if (known) {
        known.score = scoreOf(known, now) + 1;
        known.at = now;
        // Set again to renew its time to live; the first recorded way to replay it stays.
        asked.set(key, known);
      } else asked.set(key, { replay: recompute.run, bytes: recompute.bytes ?? 0, score: 1, at: now });
    },

    /** These answers were made stale: the most asked of them are recomputed now, a few at a time. */
    recomputeSoon(keys: readonly string[]): void {
      if (options.hottest <= 0) return;
      const now = performance.now();
      const hottest = keys
        .flatMap((key) => {
          const known = asked.get(key);
          return known ? [[key, scoreOf(known, now)] as const] : [];
        })
        .sort((a, b) => b[1] - a[1])
        .slice(0, options.hottest);
      for (const [key, score] of hottest) queued.set(key, score);
      while (workers < options.concurrency && workers < queued.size) {
        workers++;
        void work();
      }
    },

    /** Whether a recomputation is queued or running from here. */
    get busy(): boolean {
      return queued.size > 0 || workers > 0;
    },
  };
}

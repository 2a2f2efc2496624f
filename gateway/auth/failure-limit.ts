import type { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';

/**
 * Failed authentications per address. A credential that does not verify
 * consumes no one's request budget (there is no one to charge), yet each
 * well-formed API key costs a look-up in the gateway's database, which the
 * audit trail shares. So failures are counted per address (in Redis when there
 * is one, shared by replicas); past the limit, requests from that address that
 * carry credentials are refused with RATE_LIMITED before anything is checked,
 * until the minute is over.
 */
export interface AuthFailureLimit {
  /** Throws RATE_LIMITED when this address has failed too often; nothing is verified for it meanwhile. */
  check(address: string): void;
  /** Counts one failure; throws RATE_LIMITED when this one is over the limit. */
  failed(address: string): Promise<void>;
}

export function createAuthFailureLimit(options: {
  readonly perMinute: number;
  readonly keyPrefix: string;
  readonly redis?: Redis | Cluster;
}): AuthFailureLimit | undefined {
  const counter: RateLimiter | undefined = createRateLimiter({ ...options, keyPrefix: `${options.keyPrefix}:auth-failure` });
  if (!counter) return undefined;
  // Addresses refused until a time; in each replica's memory (a short, bounded list), the count itself is shared.
  const blockedUntil = new LRUCache<string, number>({ max: 100_000 });
  const refusal = (retryAfterSeconds: number) =>
    new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many failed authentications from this address: at most ${options.perMinute} a minute; try again in ${retryAfterSeconds} s`,
      {
        extensions: { retryAfterSeconds },
      },
    );
  return {
    check(address) {
      const until = blockedUntil.get(address);
      if (until === undefined) return;
      const remainingMs = until - Date.now();
      if (remainingMs <= 0) {
        blockedUntil.delete(address);
        return;
      }
      throw refusal(Math.max(1, Math.ceil(remainingMs / 1000)));
    },
    async failed(address) {
      try {
        await counter.consume(address);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== ErrorCode.RATE_LIMITED) throw error;
        const retryAfterSeconds = Number(error.extensions.retryAfterSeconds ?? 60);
        blockedUntil.set(address, Date.now() + retryAfterSeconds * 1000);
        throw refusal(retryAfterSeconds);
      }
    },
  };
}

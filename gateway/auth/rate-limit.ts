import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError, ErrorCode } from '../../platform/errors.js';

export interface RateLimiter {
  /** Counts one request of this client; throws RATE_LIMITED (with the seconds to wait) past the limit. */
  consume(client: string): Promise<void>;
}

/**
 * Requests per minute per client, counted in Redis so every replica shares
 * one count (rate-limiter-flexible, a fixed one-minute window per client).
 * While Redis is away, each replica counts in its own memory instead: limits
 * hold approximately rather than failing every request.
 */
export function createRateLimiter(options: {
  readonly perMinute: number;
  readonly keyPrefix: string;
  readonly redis?: Redis | Cluster;
}): RateLimiter | undefined {
  if (options.perMinute <= 0) return undefined;
  const common = { points: options.perMinute, duration: 60, keyPrefix: `${options.keyPrefix}:rate` };
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...common, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(common) })
    : new RateLimiterMemory(common);
  return {
    async consume(client) {
      try {
        await limiter.consume(client);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new AppError(
          ErrorCode.RATE_LIMITED,
          `Too many requests: at most ${options.perMinute} a minute; try again in ${retryAfter} s`,
          {
            extensions: { retryAfterSeconds: retryAfter },
          },
        );
      }
    },
  };
}

import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, ErrorCode } from '../../platform/errors.js';

export interface RateLimiter {
  /** Counts one request of this client; throws RATE_LIMITED (with the seconds to wait) past the limit. */
  consume(client: string): Promise<void>;
}

const windowMs = 60_000;

/**
 * The most requests one replica reserves for one client in one call to Redis.
 * It sets the round trips of a busy client (one per 101 requests at most) and
 * what a client can lose of its minute by leaving a replica that still holds
 * a lease (at most this many per replica left, and only until the window ends).
 */
export const maximumLease = 100;

/** Clients whose leases a replica remembers: anonymous clients are addresses, so the least recently seen are forgotten. */
const rememberedClients = 100_000;

/**
 * Counts one request and reserves a lease for the replica asking, in one step,
 * so that the count in Redis (admitted plus reserved) never passes the limit.
 * KEYS[1]: the client's count in this window, which expires with it.
 * ARGV: the limit, the window (ms), the lease wanted, the replicas assumed to share the budget.
 * Returns {the lease granted, or -1 when refused (nothing is counted then); the ms left of the window}.
 */
const reserveScript = `
local limit = tonumber(ARGV[1])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local left = redis.call('PTTL', KEYS[1])
if left == -1 then
  left = tonumber(ARGV[2])
  redis.call('PEXPIRE', KEYS[1], left)
end
if count >= limit then return {-1, left} end
local lease = math.min(tonumber(ARGV[3]), math.floor((limit - count - 1) / tonumber(ARGV[4])))
if left > 0 then
  redis.call('INCRBY', KEYS[1], 1 + lease)
else
  left = tonumber(ARGV[2])
  redis.call('SET', KEYS[1], count + 1 + lease, 'PX', left)
end
return {lease, left}
`;
const reserveSha = createHash('sha1').update(reserveScript).digest('hex');

async function reserve(
  redis: Redis | Cluster,
  key: string,
  args: readonly [limit: number, want: number, replicas: number],
): Promise<{ lease: number; leftMs: number }> {
  const [limit, want, replicas] = args;
  const values = [key, limit, windowMs, want, replicas];
  let answer: unknown;
  try {
    answer = await redis.evalsha(reserveSha, 1, ...values);
  } catch (error) {
    // The first call to a Redis server (or after its restart) sends the script itself, which it then keeps.
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    answer = await redis.eval(reserveScript, 1, ...values);
  }
  const [lease, leftMs] = answer as [number, number];
  return { lease, leftMs };
}

/** What one replica knows of one client's budget in Redis. Times are on the monotonic clock (performance.now()). */
interface ClientLease {
  /** Requests reserved in Redis for this replica and not admitted yet: admitted without asking. */
  allowance: number;
  /** Until when they may be admitted: never after the Redis window they were reserved in ends. */
  endsAt: number;
  /** The last lease granted, which sizes the next; none before the first answer. */
  last: number | undefined;
  /** Over the limit until then: refused without asking (the count cannot fall before its window ends). */
  refusedUntil: number;
  /** The call to Redis under way, which this client's other requests wait for rather than ask again; false: Redis did not answer. */
  call: Promise<boolean> | undefined;
  /** Requests waiting for it. */
  waiting: number;
  /** How many waited for the last call: the next lease is asked large enough for as many. */
  demand: number;
}

/**
 * Requests per minute per client, counted in Redis so every replica shares one
 * count: a fixed one-minute window per client, which begins with its first
 * request. While Redis is away, each replica counts in its own memory instead:
 * limits hold approximately rather than failing every request.
 *
 * With assumedReplicas, a replica does not ask Redis for every request: each
 * call counts the request and reserves a lease, at most 1/assumedReplicas of
 * what the client has left and at most maximumLease, which the replica then
 * admits from memory. Reserved requests are counted in Redis as if admitted,
 * so the count never passes the limit, with any number of replicas: no request
 * is ever admitted over it. A lease left unused (the client went to other
 * replicas, or slowed down) is lost when the window ends, so a client may be
 * refused a little early; leases start at nothing and grow with use, so a
 * replica a client visits once reserves nothing. One call per client is under
 * way at a time in a replica: the client's other requests wait for it. Without
 * assumedReplicas (or 0), every request asks Redis.
 */
export function createRateLimiter(options: {
  readonly perMinute: number;
  readonly keyPrefix: string;
  readonly redis?: Redis | Cluster;
  readonly assumedReplicas?: number;
}): RateLimiter | undefined {
  const { perMinute, redis } = options;
  if (perMinute <= 0) return undefined;
  const keyPrefix = `${options.keyPrefix}:rate`;
  const refusal = (waitMs: number) => {
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new AppError(ErrorCode.RATE_LIMITED, `Too many requests: at most ${perMinute} a minute; try again in ${retryAfter} s`, {
      extensions: { retryAfterSeconds: retryAfter },
    });
  };
  const memory = new RateLimiterMemory({ points: perMinute, duration: windowMs / 1000, keyPrefix });
  const consumeInMemory = async (client: string) => {
    try {
      await memory.consume(client);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw refusal(rejection.msBeforeNext);
    }
  };
  if (!redis) return { consume: consumeInMemory };

  const replicas = Math.max(0, Math.floor(options.assumedReplicas ?? 0));
  const leases = new LRUCache<string, ClientLease>({ max: rememberedClients });
  const leaseOf = (client: string) => {
    let lease = leases.get(client);
    if (!lease) {
      lease = { allowance: 0, endsAt: 0, last: undefined, refusedUntil: 0, call: undefined, waiting: 0, demand: 0 };
      leases.set(client, lease);
    }
    return lease;
  };
  /**
   * The lease to ask for: none on a client's first request here; else twice the last (what was used of it
   * when its window ended first), and at least as many as waited for the last call.
   */
  const wanted = (lease: ClientLease, now: number) => {
    if (replicas === 0 || lease.last === undefined) return 0;
    const unused = now >= lease.endsAt ? lease.allowance : 0;
    return Math.min(maximumLease, Math.max(1, unused > 0 ? lease.last - unused : 2 * lease.last, lease.demand));
  };

  /** Counts this request in Redis with a lease for the next, or in memory when Redis does not answer. */
  const ask = async (client: string, lease: ClientLease) => {
    const sentAt = performance.now();
    const want = wanted(lease, sentAt);
    let answered: (reached: boolean) => void = () => undefined;
    if (replicas > 0) lease.call = new Promise<boolean>((resolve) => (answered = resolve));
    let answer: { lease: number; leftMs: number };
    try {
      answer = await reserve(redis, `${keyPrefix}:${client}`, [perMinute, want, Math.max(1, replicas)]);
    } catch {
      lease.call = undefined;
      answered(false);
      // Redis away (or too slow): this request, and those that waited for it, are counted in this replica's memory.
      return await consumeInMemory(client);
    }
    const arrivedAt = performance.now();
    lease.call = undefined;
    lease.demand = lease.waiting;
    if (answer.lease >= 0) {
      lease.last = answer.lease;
      lease.allowance = answer.lease;
      lease.endsAt = sentAt + answer.leftMs;
    } else {
      lease.allowance = 0;
      // Redis's window ends no earlier than sentAt + leftMs and no later than arrivedAt + leftMs: leases end
      // at the first, so none is used in the next window; refusals at the second, so no one is told to come back too soon.
      lease.refusedUntil = arrivedAt + answer.leftMs;
    }
    answered(true);
    if (answer.lease < 0) throw refusal(answer.leftMs);
  };

  return {
    async consume(client) {
      const lease = leaseOf(client);
      for (;;) {
        const now = performance.now();
        if (lease.allowance > 0 && now < lease.endsAt) {
          lease.allowance--;
          return;
        }
        if (now < lease.refusedUntil) throw refusal(lease.refusedUntil - now);
        if (!lease.call) return await ask(client, lease);
        lease.waiting++;
        const reached = await lease.call;
        lease.waiting--;
        if (!reached) return await consumeInMemory(client);
      }
    },
  };
}

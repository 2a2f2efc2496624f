import { once } from 'node:events';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../gateway/cache/redis-store.js';
import { createRateLimiter } from '../../../gateway/auth/rate-limit.js';
import { AppError } from '../../../platform/errors.js';
import { deleteKeys, freePort, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';

/** What a refused consume threw: the error's code, message and extensions, or that it was not refused. */
async function refusal(consumed: Promise<void>): Promise<unknown> {
  try {
    await consumed;
    return 'admitted';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, httpStatus: error.httpStatus, message: error.message, extensions: error.extensions };
  }
}

const refused = (perMinute: number, retryAfter: number) => ({
  code: 'RATE_LIMITED',
  httpStatus: 429,
  message: `Too many requests: at most ${perMinute} a minute; try again in ${retryAfter} s`,
  extensions: { retryAfterSeconds: retryAfter },
});

/** The seconds a refusal asks the client to wait. */
async function retryAfterOf(consumed: Promise<void>): Promise<number> {
  const answer = (await refusal(consumed)) as { extensions?: { retryAfterSeconds?: number } };
  return answer.extensions!.retryAfterSeconds!;
}

describe('rate limiting in one process', () => {
  it('is off when the limit is 0: there is no limiter to ask', () => {
    expect(createRateLimiter({ perMinute: 0, keyPrefix: 'unused' })).toBeUndefined();
  });

  it('admits a limit of one request a minute once, then refuses with RATE_LIMITED and the wait', async () => {
    const limiter = createRateLimiter({ perMinute: 1, keyPrefix: uniquePrefix('memory') })!;
    expect(await refusal(limiter.consume('dashboard'))).toBe('admitted');
    const retryAfter = await retryAfterOf(limiter.consume('dashboard'));
    expect(await refusal(limiter.consume('dashboard'))).toEqual(refused(1, retryAfter));
    // The window is a minute: the wait is never more than that, and is far more than a second just after the first request.
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(retryAfter).toBeGreaterThan(30);
  });

  it('counts each client on its own', async () => {
    const limiter = createRateLimiter({ perMinute: 2, keyPrefix: uniquePrefix('memory') })!;
    const answers = [];
    for (const client of ['a', 'b', 'a', 'b', 'a', 'b']) answers.push(await refusal(limiter.consume(client)));
    expect(answers.slice(0, 4)).toEqual(['admitted', 'admitted', 'admitted', 'admitted']);
    expect(answers.slice(4).map((answer) => (answer as { code: string }).code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('rate limiting shared by replicas in Redis', () => {
  const prefix = uniquePrefix('rate-unit');
  const clients: Array<Redis | Cluster> = [];
  let inspector: Redis;
  /** A connection made as scripts/start.ts makes it, once connected (it queues nothing before). */
  const connected = async () => {
    const client = connectRedis(redisUrl, { commandTimeoutMs: patientCommandTimeoutMs });
    clients.push(client);
    if (client.status !== 'ready') await once(client, 'ready');
    return client;
  };
  beforeAll(() => {
    inspector = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    inspector?.disconnect();
    await deleteKeys(prefix);
  });

  it('keeps one count per client under the deployment prefix, which a second replica shares', async () => {
    const first = createRateLimiter({ perMinute: 3, keyPrefix: prefix, redis: await connected() })!;
    const second = createRateLimiter({ perMinute: 3, keyPrefix: prefix, redis: await connected() })!;
    expect(await refusal(first.consume('shared-client'))).toBe('admitted');
    expect(await refusal(second.consume('shared-client'))).toBe('admitted');
    expect(await inspector.get(`${prefix}:rate:shared-client`)).toBe('2');
    // The window is one minute, set when the count began.
    const ttl = await inspector.pttl(`${prefix}:rate:shared-client`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await refusal(first.consume('shared-client'))).toBe('admitted');
    const retryAfter = await retryAfterOf(second.consume('shared-client'));
    expect(await refusal(first.consume('shared-client'))).toEqual(refused(3, retryAfter));
  });

  it('asks for a wait rounded up to whole seconds, never shorter than what Redis still counts', async () => {
    const limiter = createRateLimiter({ perMinute: 1, keyPrefix: prefix, redis: await connected() })!;
    await limiter.consume('rounded');
    // A window with 999 ms past a whole second left: rounding down would ask the client to come back too early.
    await inspector.pexpire(`${prefix}:rate:rounded`, 7_999);
    const retryAfter = await retryAfterOf(limiter.consume('rounded'));
    const left = await inspector.pttl(`${prefix}:rate:rounded`);
    expect(retryAfter * 1000).toBeGreaterThanOrEqual(left);
    expect(retryAfter).toBeLessThanOrEqual(8);
  });

  it('counts in process memory while Redis cannot be reached, rather than failing every request', async () => {
    // Nothing listens on a port just freed; without an offline queue every command fails at once.
    const unreachable = connectRedis(`redis://127.0.0.1:${await freePort()}`, { commandTimeoutMs: patientCommandTimeoutMs });
    clients.push(unreachable);
    const limiter = createRateLimiter({ perMinute: 2, keyPrefix: prefix, redis: unreachable })!;
    expect(await refusal(limiter.consume('offline'))).toBe('admitted');
    expect(await refusal(limiter.consume('offline'))).toBe('admitted');
    const retryAfter = await retryAfterOf(limiter.consume('offline'));
    expect(await refusal(limiter.consume('offline'))).toEqual(refused(2, retryAfter));
  });
});

import { once } from 'node:events';
import { Redis, type Cluster, type Command } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecurityConfig } from '../../../gateway/auth/config.js';
import { createRateLimiter, maximumLease, type RateLimiter } from '../../../gateway/auth/rate-limit.js';
import { connectRedis } from '../../../gateway/cache/redis-store.js';
import { AppError } from '../../../platform/errors.js';
import { deleteKeys, OwnRedis, patientCommandTimeoutMs, redisUrl, uniquePrefix } from '../../support/redis.js';
import { createTestSecurity } from '../../support/security.js';

/** A Redis connection made as scripts/start.ts makes it, once connected, with the rate limiter's calls counted. */
interface CountedRedis {
  readonly client: Redis | Cluster;
  /** Calls of the rate limiter's script sent so far (each one a command, and a round trip unless pipelined with others). */
  readonly calls: () => number;
}

async function countedRedis(url: string, opened: Array<Redis | Cluster>): Promise<CountedRedis> {
  const client = connectRedis(url, { commandTimeoutMs: patientCommandTimeoutMs });
  opened.push(client);
  if (client.status !== 'ready') await once(client, 'ready');
  let calls = 0;
  const send = client.sendCommand.bind(client) as (command: Command, ...rest: unknown[]) => unknown;
  // Counted, then sent unchanged to the real server.
  client.sendCommand = ((command: Command, ...rest: unknown[]) => {
    if (command.name === 'evalsha' || command.name === 'eval') calls++;
    return send(command, ...rest);
  }) as typeof client.sendCommand;
  return { client, calls: () => calls };
}

type Outcome = 'admitted' | { readonly code: string; readonly message: string; readonly retryAfterSeconds: number };

async function outcome(consumed: Promise<void>): Promise<Outcome> {
  try {
    await consumed;
    return 'admitted';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, message: error.message, retryAfterSeconds: Number(error.extensions.retryAfterSeconds) };
  }
}

const admittedIn = (outcomes: readonly Outcome[]) => outcomes.filter((one) => one === 'admitted').length;
const refusalsIn = (outcomes: readonly Outcome[]) => outcomes.filter((one) => one !== 'admitted');

/**
 * A client's requests spread over replicas in waves of concurrent requests, each wave sent to
 * every replica in turn, as a load balancer would; the count in Redis is read after every wave.
 */
async function flood(
  replicas: readonly RateLimiter[],
  client: string,
  options: { readonly requests: number; readonly wave: number; readonly count: () => Promise<number> },
): Promise<{ outcomes: Outcome[]; admittedAlongTheWay: number[]; countsAlongTheWay: number[] }> {
  const outcomes: Outcome[] = [];
  const admittedAlongTheWay: number[] = [];
  const countsAlongTheWay: number[] = [];
  for (let sent = 0; sent < options.requests; sent += options.wave) {
    const wave = Array.from({ length: Math.min(options.wave, options.requests - sent) }, (_, index) =>
      outcome(replicas[(sent + index) % replicas.length]!.consume(client)),
    );
    outcomes.push(...(await Promise.all(wave)));
    admittedAlongTheWay.push(admittedIn(outcomes));
    countsAlongTheWay.push(await options.count());
  }
  return { outcomes, admittedAlongTheWay, countsAlongTheWay };
}

describe('rate limiting with leases over a shared Redis', () => {
  const prefix = uniquePrefix('rate-leases');
  const opened: Array<Redis | Cluster> = [];
  let inspector: Redis;
  /** N replicas of one deployment: a limiter each, each on its own connection, one key prefix. */
  const replicasOf = async (count: number, perMinute: number, assumedReplicas: number) => {
    const connections = await Promise.all(Array.from({ length: count }, () => countedRedis(redisUrl, opened)));
    return {
      limiters: connections.map((redis) => createRateLimiter({ perMinute, keyPrefix: prefix, redis: redis.client, assumedReplicas })!),
      calls: () => connections.reduce((sum, redis) => sum + redis.calls(), 0),
    };
  };
  const countOf = async (client: string) => Number((await inspector.get(`${prefix}:rate:${client}`)) ?? 0);
  beforeAll(() => {
    inspector = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const client of opened) client.disconnect();
    inspector?.disconnect();
    await deleteKeys(prefix);
  });

  it('admits exactly the limit over as many replicas as assumed, never more, with far fewer calls than requests', async () => {
    const perMinute = 600;
    const replicas = await replicasOf(4, perMinute, 4);
    const { outcomes, admittedAlongTheWay, countsAlongTheWay } = await flood(replicas.limiters, 'exact', {
      requests: 3 * perMinute,
      wave: 40,
      count: () => countOf('exact'),
    });
    expect(admittedIn(outcomes)).toBe(perMinute);
    // Redis counts what was admitted and what replicas reserved: at no time was more admitted than it counted, nor did it count past the limit.
    admittedAlongTheWay.forEach((admitted, wave) => expect(admitted).toBeLessThanOrEqual(countsAlongTheWay[wave]!));
    expect(Math.max(...countsAlongTheWay)).toBe(perMinute);
    // Leases were used: far fewer calls than the requests admitted, even with every request concurrent with 39 others.
    expect(replicas.calls()).toBeLessThan(perMinute / 3);
    // Refusals are those of one limit, with a wait within the window.
    for (const refusal of refusalsIn(outcomes)) {
      expect(refusal).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^Too many requests: at most 600 a minute; try again in \d+ s$/),
      });
      expect(refusal).toHaveProperty('retryAfterSeconds', expect.any(Number));
    }
  });

  it('never admits more than the limit with more replicas than assumed, either: they only reserve more of it', async () => {
    const perMinute = 500;
    const replicas = await replicasOf(12, perMinute, 2);
    const { outcomes, admittedAlongTheWay, countsAlongTheWay } = await flood(replicas.limiters, 'crowded', {
      requests: 3 * perMinute,
      wave: 36,
      count: () => countOf('crowded'),
    });
    expect(admittedIn(outcomes)).toBe(perMinute);
    admittedAlongTheWay.forEach((admitted, wave) => expect(admitted).toBeLessThanOrEqual(countsAlongTheWay[wave]!));
    expect(Math.max(...countsAlongTheWay)).toBe(perMinute);
  });

  it('loses at most the lease of a replica the client leaves, and nothing of one it visited once', async () => {
    const perMinute = 1_000;
    const [visitedOnce, left, stayed] = (await replicasOf(3, perMinute, 4)).limiters;
    // A replica that saw one request reserved nothing: the client keeps its whole minute.
    await visitedOnce!.consume('visitor');
    const rest: Outcome[] = [];
    for (let request = 0; request < perMinute; request++) rest.push(await outcome(stayed!.consume('visitor')));
    expect(admittedIn(rest)).toBe(perMinute - 1);
    expect(rest.at(-1)).toMatchObject({ code: 'RATE_LIMITED' });

    // A replica that served a few sequential requests holds a lease of about as many when the client moves on.
    const servedThere = 21;
    for (let request = 0; request < servedThere; request++) await left!.consume('mover');
    const stranded = (await countOf('mover')) - servedThere;
    const elsewhere: Outcome[] = [];
    for (let request = 0; request < perMinute; request++) elsewhere.push(await outcome(stayed!.consume('mover')));
    expect(servedThere + admittedIn(elsewhere)).toBe(perMinute - stranded);
    expect(stranded).toBeGreaterThan(0);
    expect(stranded).toBeLessThan(servedThere);
    expect(stranded).toBeLessThanOrEqual(maximumLease);
  });

  it('costs a busy client a call per hundred requests or so, where it cost one per request', async () => {
    const perMinute = 1_000_000;
    const leased = await replicasOf(1, perMinute, 4);
    const everyRequest = await replicasOf(1, perMinute, 0);
    for (let request = 0; request < 1_000; request++) await leased.limiters[0]!.consume('busy-sequential');
    for (let request = 0; request < 1_000; request++) await everyRequest.limiters[0]!.consume('busy-sequential-unleased');
    // Leases of 0, 1, 2, 4 ... 64, then 100: 17 calls admit 1,044 requests (one more if Redis had to be sent the script).
    expect(leased.calls()).toBeLessThanOrEqual(18);
    expect(everyRequest.calls()).toBeGreaterThanOrEqual(1_000);
    expect(await countOf('busy-sequential')).toBe(1_044);

    // 32 at a time, as the benchmark's dashboard client: requests wait for a call under way that reserves enough for them.
    const concurrent = await replicasOf(1, perMinute, 4);
    for (let wave = 0; wave < 1_000 / 25; wave++) {
      await Promise.all(Array.from({ length: 25 }, () => concurrent.limiters[0]!.consume('busy-concurrent')));
    }
    expect(concurrent.calls()).toBeLessThanOrEqual(20);
  });

  it('refuses with RATE_LIMITED and the wait, and then refuses without asking Redis until the window ends', async () => {
    const replicas = await replicasOf(2, 3, 4);
    const [first, second] = replicas.limiters;
    for (const limiter of [first, second, first]) expect(await outcome(limiter!.consume('refused'))).toBe('admitted');
    const refusal = await outcome(second!.consume('refused'));
    const left = await inspector.pttl(`${prefix}:rate:refused`);
    expect(refusal).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^Too many requests: at most 3 a minute; try again in \d+ s$/),
    });
    const { retryAfterSeconds } = refusal as { retryAfterSeconds: number };
    expect(retryAfterSeconds * 1_000).toBeGreaterThanOrEqual(left);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    // Within a window the count never falls: the replica that was refused answers from memory, with no call.
    const calls = replicas.calls();
    const again = await outcome(second!.consume('refused'));
    expect(again).toMatchObject({ code: 'RATE_LIMITED' });
    expect((again as { retryAfterSeconds: number }).retryAfterSeconds * 1_000).toBeGreaterThanOrEqual(
      await inspector.pttl(`${prefix}:rate:refused`),
    );
    expect(replicas.calls()).toBe(calls);
    // The window over, Redis is asked again and admits.
    await inspector.pexpire(`${prefix}:rate:refused`, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await outcome(first!.consume('refused'))).toBe('admitted');
  });

  it('uses the counts in memory while Redis is away, leases reserved before included, and Redis again once back', async () => {
    const own = await OwnRedis.start();
    try {
      const perMinute = 10;
      const redis = await countedRedis(own.url, opened);
      const limiter = createRateLimiter({ perMinute, keyPrefix: prefix, redis: redis.client, assumedReplicas: 4 })!;
      const direct = new Redis(own.url);
      const admittedBefore = 4;
      for (let request = 0; request < admittedBefore; request++) await limiter.consume('away');
      const reserved = Number(await direct.get(`${prefix}:rate:away`)) - admittedBefore;
      direct.disconnect();
      await own.stop();
      // Concurrent: those waiting for a call that fails are counted in memory too, none asks the missing Redis again.
      const callsBefore = redis.calls();
      const whileAway = await Promise.all(Array.from({ length: 3 * perMinute }, () => outcome(limiter.consume('away'))));
      // What this replica had reserved, then a minute's budget counted in its own memory; then refusals, as before.
      expect(admittedIn(whileAway)).toBe(reserved + perMinute);
      expect(reserved).toBeGreaterThan(0);
      expect(redis.calls() - callsBefore).toBe(1);
      expect(whileAway.at(-1)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });

      await own.start();
      if (redis.client.status !== 'ready') await once(redis.client, 'ready');
      const inspectorOfOwn = new Redis(own.url);
      try {
        expect(await outcome(limiter.consume('back'))).toBe('admitted');
        expect(await inspectorOfOwn.get(`${prefix}:rate:back`)).toBe('1');
      } finally {
        inspectorOfOwn.disconnect();
      }
    } finally {
      await own.stop();
    }
  });
});

describe('a gateway with RATE_LIMIT_REPLICAS', () => {
  it('takes the replicas assumed, 4 unless told, 0 for a call per request, and stops on a wrong value naming it', () => {
    expect(readSecurityConfig({}, false).rateLimitReplicas).toBe(4);
    expect(readSecurityConfig({ RATE_LIMIT_REPLICAS: '' }, false).rateLimitReplicas).toBe(4);
    expect(readSecurityConfig({ RATE_LIMIT_REPLICAS: '0' }, false).rateLimitReplicas).toBe(0);
    expect(readSecurityConfig({ RATE_LIMIT_REPLICAS: '16' }, false).rateLimitReplicas).toBe(16);
    for (const wrong of ['-1', 'many', '2.5', '1001']) {
      expect(() => readSecurityConfig({ RATE_LIMIT_REPLICAS: wrong }, false)).toThrow(/^Invalid configuration: RATE_LIMIT_REPLICAS /);
    }
  });

  it('leases its request limiter: a thousand requests of one client make a few calls to Redis', async () => {
    const prefix = uniquePrefix('rate-leases-gateway');
    const opened: Array<Redis | Cluster> = [];
    const redis = await countedRedis(redisUrl, opened);
    const security = await createTestSecurity({ environment: { RATE_LIMIT_PER_MINUTE: '100000' }, keyPrefix: prefix, redis: redis.client });
    try {
      for (let request = 0; request < 1_000; request++) await security.security.rateLimiter!.consume('jwt:dashboard');
      expect(redis.calls()).toBeLessThanOrEqual(18);
    } finally {
      await security.close();
      for (const client of opened) client.disconnect();
      await deleteKeys(prefix);
    }
  });
});

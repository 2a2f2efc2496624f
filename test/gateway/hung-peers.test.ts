import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../../gateway/config.js';
import { createRedisStore } from '../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../gateway/cache/store.js';
import type { RunningGateway } from '../../gateway/server.js';
import { startSystemWithAuditBehindProxy } from '../support/audit-outage.js';
import { freePort } from '../support/redis.js';
import {
  eventually,
  post,
  startTestSystem,
  type GraphQLAnswer,
  type TestSystem,
  startReplica,
  replicaBehindProxy,
} from '../support/system.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/**
 * Peers that hang rather than die: connections stay open and nothing comes
 * back. Only a deadline ends such a wait, so every answer here must come
 * within a bound.
 */

/** Slack for a loaded 2-core machine shared with other test files, on top of a deadline. */
const loadMarginMs = 5_000;

/**
 * GETs or POSTs and reads the JSON answer, giving up after `boundMs`: an answer
 * that hangs fails its test on the bound, not on the test timeout.
 */
async function within<Data = Record<string, unknown>>(
  boundMs: number,
  url: string,
  request: { query: string; variables?: Record<string, unknown>; headers?: Record<string, string> } | undefined,
): Promise<GraphQLAnswer<Data> & { body: Record<string, unknown> }> {
  const signal = AbortSignal.timeout(boundMs);
  try {
    const response = await fetch(
      url,
      request
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...request.headers },
            body: JSON.stringify({ query: request.query, variables: request.variables }),
            signal,
          }
        : { signal },
    );
    const body = (await response.json()) as Record<string, unknown>;
    return { ...body, status: response.status, headers: response.headers, body };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error(`No answer from ${url} within ${boundMs} ms`);
    throw error;
  }
}

describe('a subgraph that hangs', () => {
  // Short enough to keep the test quick, long enough that an unaffected query never comes near it.
  const timeoutMs = readGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '2000' }).subgraphTimeoutMs;
  let test: TestSystem;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  let fullName: string;
  let createdAt: string;
  const touchingHealth = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
  const sparingHealth = 'query ($pin: ID!) { citizen(pin: $pin) { fullName civilServant { inService } } }';
  const ask = <Data = Record<string, unknown>>(boundMs: number, query: string) =>
    within<Data>(boundMs, gateway.url, { query, variables: { pin: test.pin }, headers: test.analyst });

  beforeAll(async () => {
    test = await startTestSystem();
    // A gateway of the test's own, with health behind the proxy and the deadline as SUBGRAPH_TIMEOUT_MS sets it.
    ({ proxy, gateway } = await replicaBehindProxy(test, 'health', { subgraphTimeoutMs: timeoutMs }));
    const [citizen] = await test.databases
      .get('population')
      .query<{ full_name: string }>('SELECT full_name FROM population.citizen WHERE pin = $1', [test.pin]);
    fullName = citizen!.full_name;
    const [record] = await test.databases
      .get('health')
      .query<{ created_on: string }>('SELECT created_on FROM health.health_record WHERE pin = $1', [test.pin]);
    createdAt = record!.created_on;
  });
  afterAll(async () => {
    proxy?.forward();
    await gateway?.stop();
    await proxy?.stop();
    await test?.stop();
  });

  it('fails only its own fields once the deadline passes, leaves other queries alone, and answers whole once it is back', async () => {
    const whole = await ask(timeoutMs, touchingHealth);
    expect(whole.errors).toBeUndefined();
    expect(whole.data).toEqual({ citizen: { fullName, healthRecord: { createdAt } } });
    // Planned before the hang, so its time below is the query's own.
    expect((await ask(timeoutMs, sparingHealth)).errors).toBeUndefined();

    proxy.blackHole();
    // The first hung fetch goes over the gateway's open keep-alive connection, the second over a new one.
    for (let round = 0; round < 2; round++) {
      const [touching, sparing, healthz] = await Promise.all([
        ask(timeoutMs + loadMarginMs, touchingHealth),
        // A query that needs nothing of health never waits for its deadline.
        ask(timeoutMs, sparingHealth),
        // The gateway's health check answers from its background probes, whose own deadline (2 s) has passed
        // once health's has; the check itself never waits for a subgraph.
        (async () => {
          const healthzUrl = gateway.url.replace('/graphql', '/healthz');
          await eventually(async () => (await within(loadMarginMs, healthzUrl, undefined)).status === 503, 2_000 + 2 * loadMarginMs);
          return within(loadMarginMs, healthzUrl, undefined);
        })(),
      ]);
      expect(touching.status).toBe(200);
      expect(touching.data).toEqual({ citizen: { fullName, healthRecord: null } });
      expect(touching.errors).toEqual([
        {
          message: `The health subgraph did not answer within ${timeoutMs} ms; its fields are null`,
          extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'health' },
        },
      ]);
      expect(sparing.status).toBe(200);
      expect(sparing.errors).toBeUndefined();
      expect(sparing.data).toEqual({ citizen: { fullName, civilServant: { inService: true } } });
      expect(healthz.status).toBe(503);
      expect(healthz.body).toMatchObject({ status: 'degraded', subgraphs: { health: 'unreachable (TimeoutError)', population: 'ok' } });
    }

    proxy.forward();
    expect(await eventually(async () => (await ask(timeoutMs, touchingHealth)).errors === undefined)).toBe(true);
    const again = await ask(timeoutMs, touchingHealth);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(whole.data);
  });
});

describe('an audit database that hangs', () => {
  const lookup = 'query Lookup($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
  /** What gateway/database.ts promises: no audit query waits longer (ms). */
  const auditQueryTimeoutMs = 5_000;
  let test: TestSystem;
  let proxy: TcpProxy;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ test, proxy, stop } = await startSystemWithAuditBehindProxy('audit_hang'));
  });
  afterAll(async () => {
    await stop?.();
  });

  it('withholds personal data within the audit timeout, still answers aggregates, and records again once it is back', async () => {
    const gateway = test.system.gateway.url;
    expect((await test.query(lookup, { pin: test.pin })).errors).toBeUndefined();
    proxy.blackHole();
    const [refused, aggregate] = await Promise.all([
      within(auditQueryTimeoutMs + loadMarginMs, gateway, { query: lookup, variables: { pin: test.pin }, headers: test.analyst }),
      // Aggregates need no audit record: a hung audit database does not hold them.
      within<{ tasks: Array<{ number: number }> }>(auditQueryTimeoutMs, gateway, { query: '{ tasks { number } }', headers: test.analyst }),
    ]);
    expect(refused.status).toBe(503);
    // The whole answer: no personal field leaves.
    expect(refused.body).toEqual({
      errors: [
        {
          message: 'The audit trail cannot be written now, so personal data are withheld; try again later',
          extensions: { code: 'AUDIT_UNAVAILABLE' },
        },
      ],
    });
    expect(aggregate.errors).toBeUndefined();
    expect(aggregate.data!.tasks.length).toBeGreaterThan(0);

    proxy.forward();
    // Connections that hung are cut on the way back; the pool opens new ones.
    expect(await eventually(async () => (await test.query(lookup, { pin: test.pin })).errors === undefined, 15_000)).toBe(true);
  });
});

/** A redis-server of this file's own, so it can be frozen with SIGSTOP (OwnRedis does not expose its process). */
async function spawnRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}: ${output}`)));
    setTimeout(() => reject(new Error(`redis-server on port ${port} not ready within 10 s`)), 10_000).unref();
  });
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

describe('a Redis that hangs', () => {
  /**
   * A miss waits on Redis about this many times one after another (its read, the
   * entity layer's read and writes, its own writes), each at most the product's
   * 250 ms command timeout: ~1.9 s measured. Without a timeout it would wait for good.
   */
  const redisWaitsPerMiss = 7;
  const commandTimeoutMs = 250;
  const keyPrefix = 'hung-redis';
  let redis: { url: string; process: ChildProcess };
  let stores: CacheStore[] = [];
  let test: TestSystem;
  let replica: RunningGateway;
  let frozen = false;
  // Each operation name is another key, so neither this process's memory nor Redis has an answer for it yet.
  const nation = (name: string) =>
    `query ${name}($period: String!) { areaStats(level: NATION, period: $period) { unitCode eIdAdoption { value suppressed } ehrCoverage { value suppressed } } }`;
  const variables = { period: '2025' };

  beforeAll(async () => {
    redis = await spawnRedis();
    // The product's store as deployed: its default command timeout, no offline queue.
    stores = [createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })];
    test = await startTestSystem({ cache: { store: stores[0]!, keyPrefix } });
    replica = await startReplica(test, {
      cache: { store: stores[1]!, keyPrefix },
    });
  });
  afterAll(async () => {
    if (frozen) redis?.process.kill('SIGCONT');
    await replica?.stop();
    await test?.stop();
    await Promise.all(stores.map((store) => store.close()));
    if (redis && redis.process.exitCode === null) {
      const exited = once(redis.process, 'exit');
      redis.process.kill('SIGKILL');
      await exited;
    }
  });

  /** Whether a new answer the primary keeps is then a hit on the replica: only Redis can have carried it there. */
  let shared = 0;
  const sharedThroughRedis = async (expected: GraphQLAnswer['data']): Promise<boolean> => {
    const name = `Shared${shared++}`;
    const kept = await test.query(nation(name), variables);
    const fromReplica = await post(replica.url, nation(name), variables, test.analyst);
    return (
      kept.headers!.get('x-cache') === 'MISS' &&
      fromReplica.headers!.get('x-cache') === 'HIT' &&
      JSON.stringify(fromReplica.data) === JSON.stringify(expected)
    );
  };

  it('answers correctly and uncached within the command timeouts while frozen, and hits again once it runs', async () => {
    const reference = await test.query(nation('Reference'), variables);
    expect(reference.errors).toBeUndefined();
    expect(reference.data).toMatchObject({ areaStats: [{ unitCode: 'VN' }] });
    // Both clients connect in the background: wait until answers go through Redis.
    expect(await eventually(() => sharedThroughRedis(reference.data), 10_000)).toBe(true);

    const errorsBefore = test.system.gateway.statistics.snapshot().response?.errors ?? 0;
    redis.process.kill('SIGSTOP');
    frozen = true;
    const requests = 3;
    for (let request = 0; request < requests; request++) {
      const answer = await within(redisWaitsPerMiss * commandTimeoutMs + loadMarginMs, test.system.gateway.url, {
        query: nation(`Frozen${request}`),
        variables,
        headers: test.analyst,
      });
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.headers!.get('x-cache')).toBe('MISS');
      expect(answer.data).toEqual(reference.data);
    }
    // Each miss found Redis unanswering at least once (its read), and counted it.
    expect(test.system.gateway.statistics.snapshot().response!.errors - errorsBefore).toBeGreaterThanOrEqual(requests);

    redis.process.kill('SIGCONT');
    frozen = false;
    expect(await eventually(() => sharedThroughRedis(reference.data), 10_000)).toBe(true);
  });
});

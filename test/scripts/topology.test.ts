import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../gateway/audit/verify.js';
import type { TokenClaims } from '../../gateway/auth/jwt.js';
import { announceDataChange } from '../../gateway/cache/announce.js';
import { cacheKeyPrefix, invalidationChannel } from '../../gateway/cache/keys.js';
import { openGatewayDatabase } from '../../gateway/database.js';
import { readSupergraph } from '../../gateway/supergraph.js';
import type { Database } from '../../platform/database/database.js';
import { runningServices } from '../../scripts/topology/processes.js';
import { Topology } from '../../scripts/topology/topology.js';
import { adminUrl } from '../support/postgres.js';
import { eventually } from '../support/system.js';
import { send, steadyLoad, type LoadRequest, type SentRequest } from '../support/topology-load.js';

const analyst: TokenClaims = {
  subject: 'topology-analyst',
  agency: 'topology',
  scopes: ['population:pii', 'health:pii', 'civil-service:pii', 'cache:admin'],
  purpose: null,
};

const lookup = (pin: string, token: string): LoadRequest => ({
  body: {
    query: 'query Lookup($pin: ID!) { citizen(pin: $pin) { pin fullName healthRecord { createdAt } } }',
    variables: { pin },
  },
  headers: { authorization: `Bearer ${token}`, 'x-purpose': 'public-service' },
});

const provinces = (indicator: string): LoadRequest => ({
  body: { query: `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode ${indicator} { value } } }` },
});

describe('two gateway replicas behind a balancer, on a three-node Redis Cluster', () => {
  let topology: Topology;
  let token: string;
  let audit: Database;
  beforeAll(async () => {
    topology = await Topology.start({
      gateways: 2,
      citizens: 1_000,
      postgresUrl: adminUrl,
      port: 0,
      // One load generator on one address stands for many clients; request lines would only cost the two cores.
      gatewayEnvironment: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' },
    });
    token = await topology.token(analyst);
    audit = await openGatewayDatabase({ url: topology.gatewayEnvironment.AUDIT_DATABASE_URL, dataDir: '' });
  }, 400_000);
  afterAll(async () => {
    await audit?.close();
    await topology?.stop();
    expect(runningServices()).toEqual([]);
  }, 120_000);

  const [first, second] = [0, 1];
  const replicaUrl = (index: number) => topology.gateways[index]!.url;

  /** One answer of one replica, asked directly (not through the balancer). */
  async function askReplica(index: number, request: LoadRequest): Promise<{ cache: string | null; age: number; data: unknown }> {
    const response = await fetch(replicaUrl(index), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    const { data } = (await response.json()) as { data: unknown };
    return { cache: response.headers.get('x-cache'), age: Number(response.headers.get('age') ?? -1), data };
  }

  /**
   * How old (s) a kept answer must be before the invalidation: an answer
   * recomputed after it is younger than this for as long as a test looks
   * (a few seconds), while the old answer only grows older, so the age header
   * tells the two apart even when the recomputation beats the test to it.
   */
  const oldAnswerSeconds = 4;

  /** Asks a replica until it serves this answer from its cache at least `oldAnswerSeconds` old. */
  async function keptAndOld(index: number, request: LoadRequest): Promise<unknown> {
    let answer: Awaited<ReturnType<typeof askReplica>> | undefined;
    const kept = await eventually(async () => {
      answer = await askReplica(index, request);
      if (answer.cache === 'HIT' && answer.age < oldAnswerSeconds) await new Promise((resolve) => setTimeout(resolve, 250));
      return answer.cache === 'HIT' && answer.age >= oldAnswerSeconds;
    }, 60_000);
    expect(kept, `replica ${index + 1} never answered from its cache: ${JSON.stringify(answer)}`).toBe(true);
    return answer!.data;
  }

  /**
   * The replica's next answers until one is not the old kept one served as fresh (a HIT that old): that
   * answer, the old one marked STALE, or a recomputed one (a younger HIT). Fails if none comes within 20 s.
   */
  async function firstAnswerNotOld(index: number, request: LoadRequest): Promise<Awaited<ReturnType<typeof askReplica>>> {
    let answer: Awaited<ReturnType<typeof askReplica>> | undefined;
    const changed = await eventually(async () => {
      answer = await askReplica(index, request);
      return !(answer.cache === 'HIT' && answer.age >= oldAnswerSeconds);
    }, 20_000);
    expect(changed, `replica ${index + 1} kept serving the old answer as fresh: ${JSON.stringify(answer)}`).toBe(true);
    return answer!;
  }

  it('carries an invalidation made on one replica to the other, through every node of the cluster', async () => {
    const request = provinces('ehrCoverage');
    const before = await keptAndOld(first, request);
    // Control: without an invalidation the second replica keeps serving the old answer from its cache.
    expect(await keptAndOld(second, request)).toEqual(before);
    const control = await askReplica(second, request);
    expect([control.cache, control.age >= oldAnswerSeconds]).toEqual(['HIT', true]);

    // PUBLISH in a cluster reaches the subscribers of every node: listen on each one.
    const channel = invalidationChannel(cacheKeyPrefix(topology.gatewayEnvironment.CACHE_PREFIX!, readSupergraph()));
    const heard = topology.redis!.ports.map(() => [] as string[]);
    const listeners: Redis[] = [];
    try {
      for (const [node, port] of topology.redis!.ports.entries()) {
        const listener = new Redis({ host: '127.0.0.1', port });
        listener.on('message', (_from: string, message: string) => heard[node]!.push(message));
        await listener.subscribe(channel);
        listeners.push(listener);
      }
      const invalidated = await fetch(replicaUrl(first).replace(/\/graphql$/, '/admin/cache/invalidate'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ subgraphs: ['health'] }),
      });
      expect(invalidated.status).toBe(202);
      const invalidatedAt = performance.now();
      expect(await eventually(async () => heard.every((messages) => messages.length === 1), 10_000), JSON.stringify(heard)).toBe(true);
      expect(JSON.parse(heard[0]![0]!)).toEqual({ subgraphs: ['health'], entities: [] });

      // The other replica's next answer is no longer the old one: served stale while it is recomputed, or recomputed.
      const after = await firstAnswerNotOld(second, request);
      console.info(
        `topology: ${Math.round(performance.now() - invalidatedAt)} ms after the invalidation the second replica answered ${after.cache} (age ${after.age} s)`,
      );
      expect(['STALE', 'HIT']).toContain(after.cache);
      expect(after.data).toEqual(before);
    } finally {
      for (const listener of listeners) listener.disconnect();
    }
  });

  it('carries a data change announced by a tool over the cluster to both replicas', async () => {
    const request = provinces('eIdAdoption');
    await keptAndOld(first, request);
    await keptAndOld(second, request);
    const said = await announceDataChange(['population'], {
      REDIS_URL: topology.gatewayEnvironment.REDIS_URL,
      CACHE_PREFIX: topology.gatewayEnvironment.CACHE_PREFIX,
    });
    expect(said).toMatch(/^marked [1-9]\d* cached answers of population stale/);
    for (const replica of [first, second]) {
      const after = await firstAnswerNotOld(replica, request);
      expect(['STALE', 'HIT'], `replica ${replica + 1}`).toContain(after.cache);
    }
  });

  it('has both replicas extend one audit chain, which verifies', async () => {
    const balancer = topology.balancer!;
    const answeredBefore = balancer.upstreams.map((upstream) => upstream.answered);
    const pins = topology.databases!.pins.slice(0, 60);
    let next = 0;
    const sent: SentRequest[] = [];
    // Six at a time: the replicas' batches meet at the chain head.
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < pins.length) sent.push(await send(topology.url, lookup(pins[next++]!, token)));
      }),
    );
    expect(
      sent
        .filter((request) => !request.ok)
        .map((request) => request.problem)
        .slice(0, 3),
    ).toEqual([]);
    const answered = balancer.upstreams.map((upstream, index) => upstream.answered - answeredBefore[index]!);
    expect(
      answered.every((count) => count >= 20),
      `answered per replica: ${answered.join(', ')}`,
    ).toBe(true);

    const requestIds = sent.map((request) => request.requestId!);
    const rows = await audit.query<{ request_id: string }>('SELECT request_id FROM audit.access_record WHERE request_id = ANY($1)', [
      requestIds,
    ]);
    expect(new Set(rows.map((row) => row.request_id))).toEqual(new Set(requestIds));
    const report = await verifyChain(audit);
    expect(report.problems).toEqual([]);
    expect(report.records).toBeGreaterThanOrEqual(pins.length);
  });

  it('keeps the shared state in the cluster: cached answers on every node, and the rate-limit counts', async () => {
    const prefix = cacheKeyPrefix(topology.gatewayEnvironment.CACHE_PREFIX!, readSupergraph());
    const keysPerNode = await Promise.all(
      topology.redis!.ports.map(async (port) => {
        const node = new Redis({ host: '127.0.0.1', port });
        try {
          // KEYS is fine on a test's own small cluster; each node answers for its own slots only.
          return await node.keys(`${prefix}*`);
        } finally {
          node.disconnect();
        }
      }),
    );
    expect(
      keysPerNode.map((keys) => keys.length),
      'keys of the run on each node',
    ).not.toContain(0);
    // The lookups above were counted by the Lua script of the leases (one key, so one slot), not in each replica's memory.
    expect(keysPerNode.flat().filter((key) => key.includes(':rate:')).length).toBeGreaterThan(0);
  });

  it('fails only the requests a killed replica held: every request sent after its death succeeds', async () => {
    const balancer = topology.balancer!;
    const [victim, survivor] = balancer.upstreams as [(typeof balancer.upstreams)[0], (typeof balancer.upstreams)[0]];
    const pins = topology.databases!.pins;
    const stopLoad = new AbortController();
    const load = steadyLoad({
      url: topology.url,
      workers: 8,
      // Mostly audited lookups (each holds its replica through the subgraphs and the audit database), some cached aggregates.
      next: (index) => (index % 4 === 3 ? provinces('ehrCoverage') : lookup(pins[index % pins.length]!, token)),
      signal: stopLoad.signal,
    });
    try {
      const answeredAtStart = [victim.answered, survivor.answered];
      expect(
        await eventually(async () => victim.answered - answeredAtStart[0]! >= 30 && survivor.answered - answeredAtStart[1]! >= 30, 60_000),
      ).toBe(true);
      // What the replica holds at the moment it dies, and what the balancer still sent it until the kernel closed its sockets.
      const heldAtKill = victim.inFlight;
      const sentBeforeKill = victim.sent;
      const killedAt = performance.now();
      await topology.gateways[first]!.service.kill();
      const diedAt = performance.now();
      const sentWhileDying = victim.sent - sentBeforeKill;
      const answeredAfterDeath = survivor.answered;
      expect(await eventually(async () => survivor.answered - answeredAfterDeath >= 60, 60_000)).toBe(true);
      stopLoad.abort();
      const sent = await load;

      const failed = sent.filter((request) => !request.ok);
      const afterDeath = sent.filter((request) => request.sentAt >= diedAt);
      console.info(
        `topology: ${sent.length} requests; the replica was killed holding ${heldAtKill}, and was sent ${sentWhileDying} more ` +
          `in the ${Math.round(diedAt - killedAt)} ms until it was seen dead; ${failed.length} failed; ` +
          `${afterDeath.length} sent after its death, ${afterDeath.filter((request) => !request.ok).length} of them failed; ` +
          `refused connections sent on: ${victim.refused}`,
      );
      expect(afterDeath.length).toBeGreaterThanOrEqual(60);
      expect(
        afterDeath
          .filter((request) => !request.ok)
          .map((request) => request.problem)
          .slice(0, 3),
      ).toEqual([]);
      expect(failed.length).toBeLessThanOrEqual(heldAtKill + sentWhileDying);
      expect(failed.every((request) => request.sentAt < diedAt && (request.status === 502 || request.status === 0))).toBe(true);
      expect(failed.length).toBe(victim.lost);
      expect(victim.alive).toBe(false);
    } finally {
      stopLoad.abort();
      await load;
    }
    // A replica that died in the middle of a batch left no broken link: its transaction never committed.
    const report = await verifyChain(audit);
    expect(report.problems).toEqual([]);
  });
  it('takes the killed replica back once it is restarted on its port', async () => {
    const victim = topology.balancer!.upstreams[first]!;
    await topology.restartGateway(first);
    const answeredBefore = victim.answered;
    const pins = topology.databases!.pins;
    let round = 0;
    // The balancer probes /readyz every second: the replica gets requests again soon after it is ready.
    const back = await eventually(async () => {
      const answer = await send(topology.url, lookup(pins[round++ % pins.length]!, token));
      expect(answer.problem).toBeUndefined();
      return victim.alive && victim.answered > answeredBefore;
    }, 30_000);
    expect(back).toBe(true);
  });

  it('loses no request to a replica stopped with SIGTERM under load: the balancer sees /readyz fail before the listener closes', async () => {
    const balancer = topology.balancer!;
    const [survivor, stopped] = [balancer.upstreams[first]!, balancer.upstreams[second]!];
    const pins = topology.databases!.pins;
    const stopLoad = new AbortController();
    const load = steadyLoad({
      url: topology.url,
      workers: 8,
      next: (index) => (index % 4 === 3 ? provinces('ehrCoverage') : lookup(pins[index % pins.length]!, token)),
      signal: stopLoad.signal,
    });
    try {
      const answeredAtStart = [survivor.answered, stopped.answered];
      expect(
        await eventually(async () => survivor.answered - answeredAtStart[0]! >= 20 && stopped.answered - answeredAtStart[1]! >= 20, 60_000),
      ).toBe(true);
      const heldAtSignal = stopped.inFlight;
      const sentBeforeSignal = stopped.sent;
      const signalledAt = performance.now();
      // SIGTERM: /readyz turns 503; the listener stays open for DRAIN_DELAY_MS (3 s), past the balancer's next probe (each second,
      // 2 s at most), so no connection is made to it once it closes; what it holds is answered.
      await topology.gateways[second]!.service.stop();
      const exitedAt = performance.now();
      const sentWhileDraining = stopped.sent - sentBeforeSignal;
      const answeredAfterStop = survivor.answered;
      expect(await eventually(async () => survivor.answered - answeredAfterStop >= 40, 60_000)).toBe(true);
      stopLoad.abort();
      const sent = await load;
      const failed = sent.filter((request) => !request.ok);
      console.info(
        `topology: ${sent.length} requests; the replica stopped with SIGTERM held ${heldAtSignal} and was sent ${sentWhileDraining} ` +
          `more in the ${Math.round(exitedAt - signalledAt)} ms it took to exit; ${failed.length} failed ` +
          `(${failed.map((request) => request.problem?.match(/\(([A-Z_]+|[^)]*)\)"/)?.[1] ?? request.problem).join(', ')}); ` +
          `refused connections sent on: ${stopped.refused}`,
      );
      // Every request it held at the signal was answered, and so was every one handed to it while it drained.
      expect(stopped.lostSentAt).toEqual([]);
      expect(failed.map((request) => request.problem)).toEqual([]);
    } finally {
      stopLoad.abort();
      await load;
    }
  });
});

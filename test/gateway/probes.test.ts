import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbes } from '../../gateway/probes.js';
import type { RunningGateway } from '../../gateway/server.js';
import type { Database } from '../../platform/database/database.js';
import { openServer } from '../../platform/database/postgres.js';
import { createTestDatabase } from '../support/postgres.js';
import { eventually, post, startReplica, startTestSystem, type TestSystem, replicaBehindProxy } from '../support/system.js';
import { TcpProxy, throughProxy } from '../support/tcp-proxy.js';

describe('readiness', () => {
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  let database: Database;
  beforeAll(async () => {
    created = await createTestDatabase('readiness');
    const target = new URL(created.url);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
    await proxy.start();
    database = await openServer({
      url: throughProxy(created.url, proxy),
      variable: 'AUDIT_DATABASE_URL',
      poolSize: 1,
      queryTimeoutMs: 1_000,
      connectTimeoutMs: 1_000,
    });
  });
  afterAll(async () => {
    await database?.close();
    await proxy?.stop();
    await created?.drop();
  });

  it('is ready while the audit database answers, not while it is gone, and never once draining', async () => {
    const probes = createProbes({ auditDatabase: database, intervalMs: 20 });
    expect(await probes.readiness()).toEqual({ ready: true, checks: { draining: false, auditDatabase: 'ok' } });
    await proxy.stop();
    expect(await eventually(async () => !(await probes.readiness()).ready, 10_000)).toBe(true);
    expect((await probes.readiness()).checks.auditDatabase).toMatch(/^unreachable \(/);
    await proxy.start();
    expect(await eventually(async () => (await probes.readiness()).ready, 10_000)).toBe(true);
    probes.drain();
    expect(await probes.readiness()).toEqual({ ready: false, checks: { draining: true, auditDatabase: 'ok' } });
  });
});

describe('a gateway stopping under load', () => {
  let test: TestSystem;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  beforeAll(async () => {
    test = await startTestSystem();
    ({ proxy, gateway } = await replicaBehindProxy(test, 'health', { drainTimeoutMs: 60_000 }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.stop();
    await test?.stop();
  });

  it('answers /livez and /readyz while it serves', async () => {
    const base = gateway.url.replace('/graphql', '');
    expect(await (await fetch(`${base}/livez`)).json()).toEqual({ status: 'alive' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', draining: false, auditDatabase: 'ok' });
  });

  it('finishes every request that arrived before the stop, then refuses new connections', async () => {
    const lookup = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
    // Held 2 s at the health subgraph: the requests are under way when the stop comes.
    proxy.setLatency(2_000);
    const underWay = Array.from({ length: 12 }, () =>
      post<{ citizen: { healthRecord: unknown } }>(gateway.url, lookup, { pin: test.pin }, test.analyst),
    );
    // Every one has reached the gateway and been sent on to health before the stop.
    const before = proxy.httpRequests;
    expect(await eventually(async () => proxy.httpRequests >= before + 12, 60_000)).toBe(true);
    const stopped = gateway.stop();
    const answers = await Promise.all(underWay);
    expect(answers.map((answer) => [answer.status, answer.errors ?? null])).toEqual(Array.from({ length: 12 }, () => [200, null]));
    expect(answers.every((answer) => answer.data!.citizen.healthRecord !== null)).toBe(true);
    await stopped;
    await expect(fetch(gateway.url.replace('/graphql', '/livez'))).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    proxy.setLatency(0);
  }, 120_000);

  it('cuts what is still under way once DRAIN_TIMEOUT_MS has passed, so the process can exit', async () => {
    const impatient = await startReplica(test, { subgraphUrls: { health: gateway.subgraphUrls.get('health')! }, drainTimeoutMs: 300 });
    proxy.blackHole();
    try {
      const hung = post(
        impatient.url,
        'query ($pin: ID!) { citizen(pin: $pin) { healthRecord { createdAt } } }',
        { pin: test.pin },
        test.analyst,
      );
      expect(await eventually(async () => proxy.openConnections > 0, 30_000)).toBe(true);
      await impatient.stop();
      await expect(hung).rejects.toThrow();
    } finally {
      proxy.forward();
    }
  }, 120_000);
});

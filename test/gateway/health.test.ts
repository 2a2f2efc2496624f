import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphHealth, type SubgraphHealth } from '../../gateway/health.js';
import type { CircuitState } from '../../gateway/subgraph-breaker.js';
import { eventually } from '../support/system.js';

describe('the background health probes behind /healthz', () => {
  let server: Server;
  let url: string;
  let mode: 'ok' | 'hang' | 'error' = 'ok';
  let probes = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      probes++;
      if (mode === 'ok') response.end('{"status":"ok"}');
      else if (mode === 'error') response.writeHead(503).end();
      // 'hang': nothing is ever answered.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers from the last probe at once while a subgraph hangs, probing at most once per interval and one at a time', async () => {
    const circuits = new Map<string, CircuitState>();
    const monitor: SubgraphHealth = createSubgraphHealth(new Map([['health', url]]), () => circuits, { intervalMs: 50, timeoutMs: 400 });
    // The first report waits for the first probe.
    expect(await monitor.report()).toEqual({ healthy: true, subgraphs: { health: 'ok' } });
    // Within the interval, reports make no new probe.
    const afterFirst = probes;
    await Promise.all(Array.from({ length: 20 }, () => monitor.report()));
    expect(probes).toBeLessThanOrEqual(afterFirst + 1);

    mode = 'hang';
    // Reports come from memory: a hung probe holds none of them.
    const reportWhileHung = await Promise.race([monitor.report(), new Promise((resolve) => setTimeout(() => resolve('waited'), 300))]);
    expect(reportWhileHung).not.toBe('waited');
    expect(await eventually(async () => (await monitor.report()).subgraphs['health'] === 'unreachable (TimeoutError)', 10_000)).toBe(true);
    expect((await monitor.report()).healthy).toBe(false);

    mode = 'error';
    expect(await eventually(async () => (await monitor.report()).subgraphs['health'] === 'unhealthy (HTTP 503)', 10_000)).toBe(true);
    mode = 'ok';
    expect(await eventually(async () => (await monitor.report()).healthy, 10_000)).toBe(true);

    // An open circuit counts as down whatever the last probe said: the gateway is not calling it.
    circuits.set('health', 'open');
    expect(await monitor.report()).toEqual({
      healthy: false,
      subgraphs: { health: 'circuit open (the gateway is not calling it for now)' },
    });
  });

  it('never has two probes of one subgraph under way', async () => {
    // A server of its own: a probe the monitor above still has under way would otherwise be counted here.
    let held = 0;
    let hang = true;
    const slow = createServer((_request, response) => {
      if (hang) held++;
      else response.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
    try {
      // A deadline no loaded machine reaches in this test: the first probe stays under way throughout.
      const monitor = createSubgraphHealth(new Map([['health', slowUrl]]), () => new Map(), { intervalMs: 1, timeoutMs: 120_000 });
      void monitor.report();
      expect(await eventually(async () => held === 1, 10_000)).toBe(true);
      await Promise.all(Array.from({ length: 20 }, () => Promise.race([monitor.report(), Promise.resolve()])));
      // A round trip to the same server after those reports: a second probe, had one been sent, would be held by now.
      hang = false;
      await (await fetch(slowUrl)).text();
      expect(held).toBe(1);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('probes nothing while nobody asks', async () => {
    // A server of its own: probes the monitor above may still have under way land elsewhere.
    let requests = 0;
    const quiet = createServer((_request, response) => {
      requests++;
      response.end('ok');
    });
    await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
    const quietUrl = `http://127.0.0.1:${(quiet.address() as AddressInfo).port}/graphql`;
    try {
      createSubgraphHealth(new Map([['health', quietUrl]]), () => new Map(), { intervalMs: 1 });
      // A round trip to the same server: had the monitor probed on its own, that probe would have arrived first.
      await (await fetch(quietUrl)).text();
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => quiet.close(resolve));
    }
  });
});

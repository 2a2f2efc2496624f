import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.js';
import { SubgraphBreaker } from '../../gateway/subgraph-breaker.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { eventually, post, startTestSystem, type TestSystem, replicaBehindProxy } from '../support/system.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

describe('the circuit breaker of one subgraph', () => {
  const outage = new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, 'down');
  const isOutage = (error: unknown) => error === outage;

  it('opens after repeated outages and then fails at once without calling the subgraph, until one call succeeds again', async () => {
    const breaker = new SubgraphBreaker('health', isOutage, { resetMs: 300, volumeThreshold: 2 });
    let calls = 0;
    const failing = async () => {
      calls++;
      throw outage;
    };
    for (let attempt = 0; attempt < 2; attempt++) await expect(breaker.run(failing)).rejects.toBe(outage);
    expect(breaker.state).toBe('open');
    await expect(breaker.run(failing)).rejects.toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      message: 'The health subgraph has been failing; the gateway is not calling it for up to 1 s (circuit open); its fields are null',
      extensions: { serviceName: 'health', circuit: 'open' },
    });
    expect(calls).toBe(2);
    // After the reset time one call goes through; its success closes the circuit.
    expect(await eventually(async () => breaker.state === 'half-open', 5_000)).toBe(true);
    expect(await breaker.run(async () => 'answer')).toBe('answer');
    expect(breaker.state).toBe('closed');
    breaker.shutdown();
  });

  it('does not open for errors that say nothing about the subgraph (refusals, cancelled requests)', async () => {
    const breaker = new SubgraphBreaker('health', isOutage, { resetMs: 300, volumeThreshold: 2 });
    const refusal = new AppError(ErrorCode.FORBIDDEN, 'no');
    for (let attempt = 0; attempt < 5; attempt++) await expect(breaker.run(async () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(breaker.state).toBe('closed');
    breaker.shutdown();
  });
});

describe('a gateway in front of a subgraph that keeps failing', () => {
  let test: TestSystem;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  const lookup = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
  beforeAll(async () => {
    test = await startTestSystem();
    ({ proxy, gateway } = await replicaBehindProxy(test, 'health', { breakerResetMs: 5_000 }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.stop();
    await test?.stop();
  });

  const ask = () => post<{ citizen: { fullName: string; healthRecord: unknown } }>(gateway.url, lookup, { pin: test.pin }, test.analyst);
  const healthz = async () =>
    (await (await fetch(gateway.url.replace('/graphql', '/healthz'))).json()) as { subgraphs: Record<string, string> };

  it('stops calling it, says so in the answer and in /healthz, and calls it again once it is back', async () => {
    expect((await ask()).errors).toBeUndefined();
    await proxy.stop();
    const messages: string[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const answer = await ask();
      // The other agencies' data stay: only health's fields are null.
      expect(answer.data?.citizen.healthRecord).toBeNull();
      expect(answer.data?.citizen.fullName).toEqual(expect.any(String));
      messages.push(answer.errors![0]!.message);
    }
    // Refused connections first, then the open circuit: no more calls.
    expect(messages[0]).toBe('The health subgraph is unavailable (ECONNREFUSED); its fields are null');
    expect(messages.filter((message) => /circuit open/.test(message)).length).toBeGreaterThanOrEqual(2);
    expect((await healthz()).subgraphs['health']).toBe('circuit open (the gateway is not calling it for now)');

    await proxy.start();
    // Within the reset time (5 s) and a margin for a loaded machine.
    expect(await eventually(async () => (await ask()).errors === undefined, 30_000)).toBe(true);
    // /healthz answers from background probes, at most a second apart.
    expect(await eventually(async () => (await healthz()).subgraphs['health'] === 'ok', 10_000)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSignal, withDeadline } from '../../gateway/request-deadline.js';
import type { RunningGateway } from '../../gateway/server.js';
import type { TestSecurity } from '../support/security.js';
import { eventually, post, startTestSystem, type TestSystem, securityBeside, replicaBehindProxy } from '../support/system.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

describe('withDeadline', () => {
  it('gives the work its result, and the work sees the request’s signal', async () => {
    let seen: AbortSignal | undefined;
    const result = await withDeadline(60_000, async () => {
      seen = requestSignal();
      return 42;
    });
    expect(result).toBe(42);
    expect(seen?.aborted).toBe(false);
    expect(requestSignal()).toBeUndefined();
  });

  it('throws REQUEST_TIMEOUT when the deadline passes, and aborts the signal the work holds', async () => {
    let seen: AbortSignal | undefined;
    const hung = withDeadline(50, () => {
      seen = requestSignal();
      // Work that would never end by itself.
      return new Promise<never>(() => undefined);
    });
    await expect(hung).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', httpStatus: 504, extensions: { timeoutMs: 50 } });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toMatchObject({ code: 'REQUEST_TIMEOUT' });
  });
});

describe('a request that outlives REQUEST_TIMEOUT_MS', () => {
  const requestTimeoutMs = 1_500;
  let test: TestSystem;
  let proxy: TcpProxy;
  let security: TestSecurity;
  let gateway: RunningGateway;
  const lookup = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';

  beforeAll(async () => {
    test = await startTestSystem();
    security = await securityBeside(test, { REQUEST_TIMEOUT_MS: String(requestTimeoutMs) });
    // The subgraph deadline far beyond the request's: only the request deadline can end the wait.
    ({ proxy, gateway } = await replicaBehindProxy(test, 'health', { security: security.security, subgraphTimeoutMs: 120_000 }));
  });
  afterAll(async () => {
    proxy?.forward();
    await gateway?.stop();
    await proxy?.stop();
    await security?.close();
    await test?.stop();
  });

  it('is answered 504 REQUEST_TIMEOUT, and its fetch to the hung subgraph is cancelled, its connection closed', async () => {
    const headers = bearer(await security.token({ scopes: ['population:pii', 'health:pii'] }));
    expect((await post(gateway.url, lookup, { pin: test.pin }, headers)).errors).toBeUndefined();
    proxy.blackHole();
    const answer = await post(gateway.url, lookup, { pin: test.pin }, headers);
    expect(answer).toMatchObject({
      status: 504,
      errors: [
        {
          message: `The request was not answered within ${requestTimeoutMs} ms and was stopped: ask for less, or try again later`,
          extensions: { code: 'REQUEST_TIMEOUT', timeoutMs: requestTimeoutMs },
        },
      ],
    });
    expect(answer.data).toBeUndefined();
    // The fetch was aborted, not left waiting for its own two-minute deadline: nothing stays open to the hung subgraph.
    expect(await eventually(async () => proxy.openConnections === 0, 10_000)).toBe(true);
  });
});

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-purpose': 'health-care' };
}

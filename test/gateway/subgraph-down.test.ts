import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSystem, type TestSystem } from '../support/system.js';

describe('a subgraph stopped while the gateway runs', () => {
  let test: TestSystem;
  let fullName: string;
  const query = `query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } civilServant { inService } } }`;

  // Every test here runs with health stopped after a whole answer, whatever runs before it.
  beforeAll(async () => {
    test = await startTestSystem();
    const whole = await test.query<{ citizen: { fullName: string; healthRecord: unknown } }>(query, { pin: test.pin });
    if (whole.errors || !whole.data?.citizen.healthRecord)
      throw new Error(`Not a whole answer before health stopped: ${JSON.stringify(whole)}`);
    fullName = whole.data.citizen.fullName;
    await test.system.subgraphs.get('health')!.stop();
    // /healthz answers from probes made in the background, at most a second apart.
    await eventually(async () => (await fetch(test.system.gateway.url.replace('/graphql', '/healthz'))).status === 503, 10_000);
  });
  afterAll(() => test?.stop());

  const healthz = async () => {
    const response = await fetch(test.system.gateway.url.replace('/graphql', '/healthz'));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('gives the other agencies’ data, and an error naming the subgraph that is down', async () => {
    const during = await test.query<{ citizen: { fullName: string; healthRecord: unknown; civilServant: unknown } }>(query, {
      pin: test.pin,
    });
    expect(during.status).toBe(200);
    expect(during.data?.citizen).toEqual({ fullName, healthRecord: null, civilServant: { inService: true } });
    expect(during.errors).toHaveLength(1);
    expect(during.errors![0]).toMatchObject({
      message: 'The health subgraph is unavailable (ECONNREFUSED); its fields are null',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health' },
    });
    expect(await healthz()).toMatchObject({
      status: 503,
      body: { status: 'degraded', subgraphs: { health: 'unreachable (ECONNREFUSED)', population: 'ok' } },
    });
  });

  it('still answers what needs no stopped subgraph', async () => {
    expect(await healthz()).toMatchObject({ status: 503, body: { subgraphs: { health: 'unreachable (ECONNREFUSED)' } } });
    const answer = await test.query(`{ administrativeUnit(code: "01") { name } }`);
    expect(answer).toMatchObject({ status: 200, data: { administrativeUnit: { name: 'Hà Nội'.normalize('NFC') } } });
    expect(answer.errors).toBeUndefined();
  });
});

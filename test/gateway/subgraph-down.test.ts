import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.js';

describe('a subgraph stopped while the gateway runs', () => {
  let test: TestSystem;
  let pin: string;
  beforeAll(async () => {
    test = await startTestSystem();
    pin = test.pin;
  });
  afterAll(() => test?.stop());

  const query = `query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } civilServant { inService } } }`;

  it('gives the other agencies’ data, and an error naming the subgraph that is down', async () => {
    const before = await test.query<{ citizen: { fullName: string } }>(query, { pin });
    expect(before.errors).toBeUndefined();

    await test.system.subgraphs.get('health')!.stop();
    const during = await test.query<{ citizen: { fullName: string; healthRecord: unknown; civilServant: unknown } }>(query, { pin });
    expect(during.status).toBe(200);
    expect(during.data?.citizen).toEqual({ fullName: before.data!.citizen.fullName, healthRecord: null, civilServant: { inService: true } });
    expect(during.errors).toHaveLength(1);
    expect(during.errors![0]).toMatchObject({
      message: expect.stringContaining('health'),
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health' },
    });

    const health = await fetch(test.system.gateway.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', subgraphs: { health: expect.stringContaining('unreachable'), population: 'ok' } });
  });

  it('still answers what needs no stopped subgraph', async () => {
    const answer = await test.query(`{ administrativeUnit(code: "01") { name } }`);
    expect(answer).toMatchObject({ status: 200, data: { administrativeUnit: { name: 'Hà Nội'.normalize('NFC') } } });
    expect(answer.errors).toBeUndefined();
  });
});

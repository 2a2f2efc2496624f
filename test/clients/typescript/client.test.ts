import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AreaIndicatorsDocument,
  AreaTrendDocument,
  CitizenRecordDocument,
  createGatewayClient,
  GatewayError,
} from '../../../clients/typescript/index.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

/** The typed client against the real gateway: typed answers, by hash, and the gateway's refusals as GatewayErrors with their codes. */
describe('the typed client for agencies', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem();
  });
  afterAll(() => test?.stop());

  it('reads a citizen’s record across agencies, as the GraphQL answer gives it', async () => {
    const client = createGatewayClient({ url: test.system.gateway.url, headers: test.analyst });
    const { citizen } = await client.request(CitizenRecordDocument, { pin: test.pin });
    const direct = await test.query<{ citizen: { fullName: string; residence: { code: string } } }>(
      'query ($pin: ID!) { citizen(pin: $pin) { fullName residence { code } } }',
      { pin: test.pin },
    );
    expect(citizen?.pin).toBe(test.pin);
    expect(citizen?.fullName).toBe(direct.data!.citizen.fullName);
    expect(citizen?.residence.code).toBe(direct.data!.citizen.residence.code);
  });

  it('reads indicators of the provinces and a trend, anonymously', async () => {
    const client = createGatewayClient({ url: test.system.gateway.url });
    const { areaStats } = await client.request(AreaIndicatorsDocument, { level: 'PROVINCE', period: '2025' });
    expect(areaStats).toHaveLength(34);
    expect(typeof areaStats[0]!.eIdAdoption.suppressed).toBe('boolean');
    const { areaSeries } = await client.request(AreaTrendDocument, { unitCode: 'VN', from: '2023', to: '2025' });
    expect(areaSeries.map((area) => area.period)).toEqual(['2023', '2024', '2025']);
  });

  it('throws the gateway’s refusal as a GatewayError with its status and codes', async () => {
    const anonymous = createGatewayClient({ url: test.system.gateway.url });
    const refusal = await anonymous.request(CitizenRecordDocument, { pin: test.pin }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal).toMatchObject({ status: 403, codes: ['FORBIDDEN'] });
  });
});

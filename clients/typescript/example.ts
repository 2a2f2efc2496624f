/**
 * An agency's system reading the e-ID adoption of every province, then one
 * citizen's record, through the typed client. Run against a gateway with
 * `GATEWAY_URL=http://127.0.0.1:4000/graphql GATEWAY_TOKEN=... npx tsx clients/typescript/example.ts PIN`.
 */
import { AreaIndicatorsDocument, CitizenRecordDocument, createGatewayClient, GatewayError } from './index.js';

const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.GATEWAY_TOKEN;
const client = createGatewayClient({
  url,
  headers: token ? { authorization: `Bearer ${token}`, 'x-purpose': 'public-service' } : {},
});

try {
  const { areaStats } = await client.request(AreaIndicatorsDocument, { level: 'PROVINCE', period: '2025' });
  for (const area of areaStats)
    console.log(area.unit?.name ?? area.unitCode, area.eIdAdoption.suppressed ? 'hidden' : `${area.eIdAdoption.value} %`);
  const pin = process.argv[2];
  if (pin) console.log(await client.request(CitizenRecordDocument, { pin }));
} catch (error) {
  if (!(error instanceof GatewayError)) throw error;
  console.error(`The gateway answered ${error.status} (${error.codes.join(', ')}): ${error.message}`);
  process.exitCode = 1;
}

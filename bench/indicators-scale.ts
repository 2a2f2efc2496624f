/**
 * `npm run bench:indicators -- --small URL_PREFIX --large URL_PREFIX [--rounds 5] [--requests 10]`
 *
 * Times the commune-level dashboard query (3,321 communes, indicators of three
 * agencies, uncached) over two datasets of different sizes in one run, with
 * requests to the two systems interleaved round by round, and prints the
 * ratio of their median latencies. Each URL prefix names five databases:
 * <prefix>population, <prefix>civil_service, <prefix>agriculture, <prefix>health
 * and the store, <prefix>store, seeded beforehand with `npm run seed` (see docs/benchmarks.md).
 */
import '../scripts/node-version.js';
import { openGatewayDatabase } from '../gateway/database.js';
import { createGatewaySecurity } from '../gateway/security.js';
import { readSecurityConfig } from '../gateway/auth/config.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { schemaName } from '../platform/agencies.js';
import { agencies, databaseUrlVariables, developmentDisclosureSecret, readDatabaseConfig } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { readSupergraph } from '../gateway/supergraph.js';
import { runCli } from '../scripts/cli.js';
import { startSystem } from '../scripts/system.js';

const query = `{ areaStats(level: COMMUNE, period: "2025-Q4") {
  unitCode eIdAdoption { value suppressed } ehrCoverage { value suppressed } civilServantDigitalSkills { value suppressed } } }`;

async function timeRequest(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const answer = (await response.json()) as { data?: { areaStats: unknown[] }; errors?: unknown[] };
  const elapsed = performance.now() - started;
  if (answer.errors || answer.data?.areaStats.length !== 3321)
    throw new Error(`Unexpected answer: ${JSON.stringify(answer).slice(0, 300)}`);
  return elapsed;
}

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

runCli(async () => {
  const { values } = parseArgs({
    options: { small: { type: 'string' }, large: { type: 'string' }, rounds: { type: 'string' }, requests: { type: 'string' } },
  });
  if (!values.small || !values.large)
    throw badUserInput('--small and --large are required: URL prefixes of two seeded sets of agency databases');
  const rounds = Number(values.rounds ?? 5);
  const requests = Number(values.requests ?? 10);
  const datasets = [
    { name: 'small', prefix: values.small },
    { name: 'large', prefix: values.large },
  ];
  // The gateway's own database lives in memory: this benchmark reads aggregates only, so audits nothing.
  const gatewayDatabase = await openGatewayDatabase({ url: undefined, dataDir: 'memory://' });
  const security = await createGatewaySecurity(readSecurityConfig({ RATE_LIMIT_PER_MINUTE: '0' }, false), {
    database: gatewayDatabase,
    keyPrefix: 'bench',
  });
  const systems = [];
  for (const dataset of datasets) {
    const env = {
      ...Object.fromEntries(agencies.map((agency) => [databaseUrlVariables[agency], `${dataset.prefix}${schemaName(agency)}`])),
      STORE_DATABASE_URL: `${dataset.prefix}store`,
    };
    const config = readDatabaseConfig(env);
    const databases = await openAgencyDatabases(config);
    const [{ citizens }] = (await databases
      .get('population')
      .query<{ citizens: number }>(`SELECT count(*) AS citizens FROM ${config.sourceSchema}.citizen`)) as [{ citizens: number }];
    const system = await startSystem({
      databases,
      host: '127.0.0.1',
      gatewayPort: 0,
      subgraphPorts: { population: 0, 'civil-service': 0, agriculture: 0, health: 0, indicators: 0 },
      settings: { disclosureMinimum: 10, disclosureSecret: developmentDisclosureSecret },
      supergraphSdl: readSupergraph(),
      security,
    });
    systems.push({ ...dataset, citizens, databases, system, timings: [] as number[] });
  }
  try {
    for (const target of systems) for (let warm = 0; warm < 3; warm++) await timeRequest(target.system.gateway.url);
    for (let round = 0; round < rounds; round++) {
      for (const target of systems)
        for (let request = 0; request < requests; request++) target.timings.push(await timeRequest(target.system.gateway.url));
    }
    const rows = systems.map((target) => ({
      dataset: target.name,
      citizens: target.citizens,
      requests: target.timings.length,
      medianMs: Math.round(quantile(target.timings, 0.5) * 10) / 10,
      p90Ms: Math.round(quantile(target.timings, 0.9) * 10) / 10,
    }));
    const ratio = Math.round((rows[1]!.medianMs / rows[0]!.medianMs) * 100) / 100;
    console.log('Commune-level indicator query (3,321 communes, 3 indicators from 3 agencies, uncached):');
    for (const row of rows)
      console.log(
        `  ${row.citizens.toLocaleString('en').padStart(12)} citizens: median ${row.medianMs} ms, p90 ${row.p90Ms} ms (${row.requests} requests)`,
      );
    console.log(`  large / small median latency: ${ratio}`);
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    const file = new URL(`./results/indicators-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
    await writeFile(
      file,
      JSON.stringify({ query, rounds, requestsPerRound: requests, rows, ratio, at: new Date().toISOString() }, null, 2),
    );
    console.log(`Wrote ${file.pathname}`);
  } finally {
    for (const target of systems) {
      await target.system.stop();
      await target.databases.close();
    }
  }
});

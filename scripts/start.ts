/**
 * `npm start`: the whole system in one process: the agency databases (PGlite
 * unless URLs are set), the subgraphs and the gateway, from the configuration.
 * On embedded defaults the first run also generates a demo dataset
 * (start/demo-seed.ts).
 */
import './node-version.js';
import { once } from 'node:events';
import { z } from 'zod';
import { emptyAsUnset, parseEnvironment, portNumber } from '../platform/environment.js';
import { migrateStore } from '../subgraphs/agencies.js';
import { prepareAgency } from '../subgraphs/source-ready.js';
import { agencies, readDatabaseConfig, readSubgraphSettings, subgraphNames, subgraphPortVariable } from '../platform/config.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { readGatewayConfig } from '../gateway/config.js';
import { readSupergraph } from '../gateway/supergraph.js';
import { cacheKeyPrefix } from '../gateway/cache/keys.js';
import { createMemoryStore } from '../gateway/cache/memory-store.js';
import { connectRedis, createRedisStore } from '../gateway/cache/redis-store.js';
import { openGatewayDatabase } from '../gateway/database.js';
import { createGatewaySecurity } from '../gateway/security.js';
import { demoAnalyst, signToken } from '../gateway/auth/jwt.js';
import { runCli } from './cli.js';
import { configureLogging } from '../platform/log.js';
import { reconcileDemo, seedDemoOnFirstRun } from './start/demo-seed.js';
import { findExampleData } from './start/example-data.js';
import { startSystem } from './system.js';

const port = z.preprocess(emptyAsUnset, portNumber.optional());
const startConfig = z.object({
  // Citizens generated on the first run, when the population database is empty.
  DEMO_CITIZENS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(10_000_000).default(100_000)),
  // Where each local subgraph listens; unset: its own port, 0: any free one.
  ...Object.fromEntries(subgraphNames.map((name) => [subgraphPortVariable(name), port])),
});
const say = (line: string) => process.stderr.write(`${line}\n`);

runCli(async (signal) => {
  const databaseConfig = readDatabaseConfig();
  configureLogging();
  const gatewayConfig = readGatewayConfig();
  const startValues = parseEnvironment(startConfig, process.env) as Record<string, number | undefined>;
  const demoCitizens = startValues.DEMO_CITIZENS!;
  const subgraphPorts = Object.fromEntries(
    subgraphNames.flatMap((name) =>
      startValues[subgraphPortVariable(name)] === undefined ? [] : [[name, startValues[subgraphPortVariable(name)]!]],
    ),
  );
  say(`Node.js ${process.version}`);
  // Only the agencies whose subgraph runs in this process: a gateway whose subgraphs all run elsewhere
  // (every SUBGRAPH_<NAME>_URL set) opens, migrates and seeds no agency database, and needs no DATA_DIR for one.
  const localAgencies = agencies.filter((agency) => !gatewayConfig.subgraphUrls[agency]);
  const everyAgencyHere = localAgencies.length === agencies.length;
  say(
    localAgencies.length === 0
      ? 'Every agency subgraph runs elsewhere (SUBGRAPH_<NAME>_URL): no agency database is opened here'
      : `Opening the agency databases of ${localAgencies.join(', ')} (embedded ones live in ${databaseConfig.dataDir}/pglite)...`,
  );
  const databases = await openAgencyDatabases(databaseConfig, { agencies: localAgencies });
  const security = gatewayConfig.security;
  say(
    `Opening the gateway's audit database (${security.auditDatabaseUrl ? 'AUDIT_DATABASE_URL' : `embedded, in ${databaseConfig.dataDir}/audit`})...`,
  );
  const gatewayDatabase = await openGatewayDatabase({ url: security.auditDatabaseUrl, dataDir: databaseConfig.dataDir }).catch(
    async (error: unknown) => {
      await databases.close();
      throw error;
    },
  );
  const redis = gatewayConfig.redisUrl ? connectRedis(gatewayConfig.redisUrl) : undefined;
  try {
    if (localAgencies.length > 0) await migrateStore(databases.store, databases.agencies);
    // The demo dataset spans every agency: it is made only when all of them are here.
    const firstRun =
      everyAgencyHere &&
      (await seedDemoOnFirstRun(databases, {
        citizens: demoCitizens,
        production: security.deployment === 'production',
        signal,
        say,
      }));
    for (const agency of databases.agencies) {
      if (await prepareAgency(databases, agency, databaseConfig)) say(`Built the ${agency} counts per commune and month`);
    }
    const supergraphSdl = readSupergraph();
    const keyPrefix = cacheKeyPrefix(gatewayConfig.cachePrefix, supergraphSdl);
    const cacheStore = gatewayConfig.cacheEnabled
      ? gatewayConfig.redisUrl
        ? createRedisStore({ url: gatewayConfig.redisUrl })
        : createMemoryStore()
      : undefined;
    // A Redis that is not there yet only means uncached answers until it is.
    await cacheStore
      ?.ready()
      .catch((error: unknown) => say(`Cache: Redis is not reachable yet (${(error as Error).message}); answering uncached until it is`));
    const system = await startSystem({
      databases,
      host: gatewayConfig.host,
      gatewayPort: gatewayConfig.port,
      subgraphPorts,
      subgraphTimeoutMs: gatewayConfig.subgraphTimeoutMs,
      breakerResetMs: gatewayConfig.breakerResetMs,
      drainTimeoutMs: gatewayConfig.drainTimeoutMs,
      drainDelayMs: gatewayConfig.drainDelayMs,
      settings: readSubgraphSettings(),
      refreshIntervalSeconds: databaseConfig.refreshIntervalSeconds,
      remoteSubgraphUrls: gatewayConfig.subgraphUrls,
      supergraphSdl,
      examples: everyAgencyHere ? await findExampleData(databases, { withPin: security.deployment === 'development' }) : {},
      ...(cacheStore ? { cache: { store: cacheStore, keyPrefix, staleSeconds: gatewayConfig.staleIfErrorSeconds } } : {}),
      security: await createGatewaySecurity(security, { database: gatewayDatabase, keyPrefix, ...(redis ? { redis } : {}) }),
    });
    // Development tokens are signed with a secret born with this process; production has none to sign with.
    const developmentTokens = security.jwt?.kind === 'secret' && security.jwt.development ? security.jwt : undefined;
    if (firstRun && developmentTokens)
      await reconcileDemo(databases, { gatewayUrl: system.gateway.url, tokens: developmentTokens, signal, say });
    say('Ready:');
    for (const [name, server] of system.subgraphs) say(`  subgraph ${name.padEnd(13)} ${server.url}`);
    say(`  gateway                ${system.gateway.url}  (open it in a browser for the explorer)`);
    say(`  dashboard              ${system.gateway.url.replace(/\/graphql$/, '/dashboard')}  (the indicators of the 18 tasks)`);
    say(`  health                 ${system.gateway.url.replace(/\/graphql$/, '/healthz')}`);
    if (developmentTokens) {
      const token = await signToken(developmentTokens, demoAnalyst, 8 * 3_600);
      say('  demo analyst token     (development only; valid 8 hours; every personal-data scope, schema:read, audit:read)');
      say(`    ${token}`);
      say('    In the explorer, put it in the Headers tab: {"authorization": "Bearer <token>", "x-purpose": "public-service"}');
    }
    say(
      `  cache                  ${cacheStore ? (gatewayConfig.redisUrl ? 'Redis' : 'in process (set REDIS_URL to share it between replicas)') : 'off'}`,
    );
    if (!signal.aborted) await once(signal, 'abort');
    say('Shutting down...');
    await system.stop();
    await cacheStore?.close();
  } finally {
    redis?.disconnect();
    await gatewayDatabase.close();
    await databases.close();
  }
});

/**
 * `npm run subgraph -- NAME`: one subgraph in a process of its own, as it runs
 * when the gateway is elsewhere (SUBGRAPH_<NAME>_URL on the gateway's side).
 * It prepares its agency's schema as `npm start` does (migrations, the
 * commune-by-month counts) but never generates data.
 */
import './node-version.js';
import { once } from 'node:events';
import { z } from 'zod';
import { agencyCounts, migrateStore } from '../subgraphs/agencies.js';
import { readDatabaseConfig, readSubgraphSettings, subgraphNames, subgraphPortVariable, type SubgraphName } from '../platform/config.js';
import { emptyAsUnset, parseEnvironment, portNumber } from '../platform/environment.js';
import { AppError, ErrorCode } from '../platform/errors.js';
import { countsDatabasesOf } from '../subgraphs/runtime/refresh-counts.js';
import { scheduleRefresh } from '../subgraphs/runtime/refresh-schedule.js';
import { prepareAgency } from '../subgraphs/source-ready.js';
import { announceDataChange } from '../gateway/cache/announce.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { startSubgraph } from '../subgraphs/runtime/server.js';
import { subgraphOf } from '../subgraphs/index.js';
import { runCli } from './cli.js';
import { configureLogging } from '../platform/log.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** The subgraph named on the command line, or a message that lists the names there are. */
function subgraphNameFrom(argv: readonly string[]): SubgraphName {
  const names = argv.filter((argument) => !argument.startsWith('-'));
  const usage = `usage: npm run subgraph -- NAME, where NAME is one of ${subgraphNames.join(', ')}`;
  if (names.length !== 1)
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      names.length === 0 ? usage : `one subgraph per process (got ${names.join(', ')}); ${usage}`,
    );
  const name = names[0]!;
  if (!(subgraphNames as readonly string[]).includes(name))
    throw new AppError(ErrorCode.CONFIG_INVALID, `there is no subgraph "${name}"; ${usage}`);
  return name as SubgraphName;
}

runCli(async (signal) => {
  configureLogging();
  const name = subgraphNameFrom(process.argv.slice(2));
  const { definition, defaultPort } = subgraphOf(name);
  const portVariable = subgraphPortVariable(name);
  const values = parseEnvironment(
    z.object({
      [portVariable]: z.preprocess(emptyAsUnset, portNumber.default(defaultPort)),
      HOST: z.preprocess(emptyAsUnset, z.string().default('127.0.0.1')),
      GATEWAY_SIGNING_SECRET: z.preprocess(
        emptyAsUnset,
        z
          .string({ error: 'must be set: the secret the gateway signs its requests with (32 or more characters)' })
          .min(32, 'must be at least 32 characters'),
      ),
    }),
    process.env,
  ) as Record<string, unknown>;
  const agency = definition.agency;
  const settings = readSubgraphSettings(process.env, { publishesCounts: Boolean(agency) });
  const config = readDatabaseConfig();
  const databases = agency ? await openAgencyDatabases(config, { agencies: [agency] }) : undefined;
  let schedule: { stop(): Promise<void> } | undefined;
  try {
    const database = agency ? databases!.get(agency) : undefined;
    if (agency && databases) {
      await migrateStore(databases.store, [agency]);
      if (await prepareAgency(databases, agency, config)) say(`Built the ${agency} counts per commune and month`);
      const counts = countsDatabasesOf(databases, agency);
      // Counts follow the source: changed rows are read every REFRESH_INTERVAL seconds, and the caches told.
      if (config.refreshIntervalSeconds > 0)
        schedule = scheduleRefresh(counts, agencyCounts[agency], {
          agency,
          intervalSeconds: config.refreshIntervalSeconds,
          onChanged: () => announceDataChange([agency]),
        });
    }
    const server = await startSubgraph(definition, {
      ...(database && databases ? { database, store: databases.store } : {}),
      settings,
      port: values[portVariable] as number,
      host: values.HOST as string,
      signingSecret: values.GATEWAY_SIGNING_SECRET as string,
    });
    say(`subgraph ${name} ${server.url}`);
    if (!signal.aborted) await once(signal, 'abort');
    await server.stop();
  } finally {
    await schedule?.stop();
    await databases?.close();
  }
});

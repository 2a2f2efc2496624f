/** The project's five subgraphs over the benchmark's databases, in one process shared by every target. */
import { subgraphs } from '../../subgraphs/index.js';
import { developmentDisclosureSecret, readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases } from '../../platform/database/open-databases.js';
import { startSubgraph } from '../../subgraphs/runtime/server.js';
import type { RunningServer } from '../../platform/listen.js';
import { ready } from '../support/child.js';

const signingSecret = process.env.GATEWAY_SIGNING_SECRET!;
const databases = await openAgencyDatabases(readDatabaseConfig());
const running: Array<{ name: string; server: RunningServer }> = [];
for (const { definition } of subgraphs) {
  const database = definition.agency ? databases.get(definition.agency) : undefined;
  running.push({
    name: definition.name,
    server: await startSubgraph(definition, {
      ...(database ? { database, store: databases.store } : {}),
      settings: { disclosureMinimum: 10, disclosureSecret: developmentDisclosureSecret },
      port: 0,
      signingSecret,
    }),
  });
}
ready({ urls: Object.fromEntries(running.map(({ name, server }) => [name, server.url])) }, async () => {
  await Promise.all(running.map(({ server }) => server.stop()));
  await databases.close();
});

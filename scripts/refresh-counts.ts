/** `npm run refresh-counts`: rebuilds every agency's commune-by-month counts from its rows (after an import or a correction made outside the tools). */
import './node-version.js';
import { agencyCounts, agencyMigrations } from '../subgraphs/agencies.js';
import { readDatabaseConfig } from '../platform/config.js';
import { migrate } from '../platform/database/migrations.js';
import { refreshMonthlyCounts } from '../subgraphs/runtime/monthly-counts.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { runCli } from './cli.js';
import { announceDataChange } from '../gateway/cache/announce.js';

runCli(async () => {
  const databases = await openAgencyDatabases(readDatabaseConfig());
  try {
    for (const agency of databases.agencies) {
      const started = performance.now();
      await migrate(databases.get(agency), agencyMigrations[agency]);
      await databases.get(agency).transaction((session) => refreshMonthlyCounts(session, agencyCounts[agency]));
      console.log(`${agency}: counts rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    // The figures changed: the gateways serve the previous answers, marked stale, while they recompute them.
    console.log(`Cache: ${await announceDataChange([...databases.agencies])}`);
  } finally {
    await databases.close();
  }
});

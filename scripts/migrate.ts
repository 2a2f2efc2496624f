/** `npm run migrate`: applies every agency's pending migrations and reference data. */
import './node-version.js';
import { agencyMigrations } from '../subgraphs/agencies.js';
import { readDatabaseConfig } from '../platform/config.js';
import { migrate } from '../platform/database/migrations.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { runCli } from './cli.js';

runCli(async () => {
  const databases = await openAgencyDatabases(readDatabaseConfig());
  try {
    for (const agency of databases.agencies) {
      const { applied } = await migrate(databases.get(agency), agencyMigrations[agency]);
      console.log(`${agency} (${databases.get(agency).driver}): ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    }
  } finally {
    await databases.close();
  }
});

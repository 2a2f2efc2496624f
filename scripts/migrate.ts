/** `npm run migrate`: applies the store's pending migrations and reference data (agency sources are never migrated). */
import './node-version.js';
import { migrateStore } from '../subgraphs/agencies.js';
import { readDatabaseConfig } from '../platform/config.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { runCli } from './cli.js';

runCli(async () => {
  const databases = await openAgencyDatabases(readDatabaseConfig());
  try {
    const applied = await migrateStore(databases.store, databases.agencies);
    console.log(`store (${databases.store.driver}): ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  } finally {
    await databases.close();
  }
});

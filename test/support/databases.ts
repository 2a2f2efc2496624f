import { agencies, databaseUrlVariables, readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { createTestDatabase } from './postgres.js';

export const drivers = ['postgres', 'pglite'] as const;

/** A new PostgreSQL backend can take over 5 s to start on a loaded 2-core machine (seen in a flake hunt). */
export const patientConnectTimeoutMs = '30000';
export type Driver = (typeof drivers)[number];

/**
 * The four agency databases on one driver: four new databases on the real
 * PostgreSQL server, or one in-memory PGlite. `close` also drops what it made.
 */
export async function openTestDatabases(driver: Driver): Promise<AgencyDatabases> {
  if (driver === 'pglite') {
    return openAgencyDatabases(readDatabaseConfig({}), { embeddedDataDir: 'memory://' });
  }
  const created = await Promise.all(agencies.map((agency) => createTestDatabase(agency)));
  const env = Object.fromEntries(agencies.map((agency, index) => [databaseUrlVariables[agency], created[index]!.url]));
  const databases = await openAgencyDatabases(readDatabaseConfig({ ...env, DATABASE_CONNECT_TIMEOUT_MS: patientConnectTimeoutMs }));
  return {
    ...databases,
    get: databases.get,
    close: async () => {
      await databases.close();
      await Promise.all(created.map((database) => database.drop()));
    },
  };
}

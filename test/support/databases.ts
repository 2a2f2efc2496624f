import { agencies, databaseUrlVariables, readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { agencySources, migrateStore } from '../../subgraphs/agencies.js';
import { createSourceRelations } from '../../scripts/seed/source-schema.js';
import { createLegacyNames } from './legacy-names.js';
import { createReaderRole, createTestDatabase } from './postgres.js';

export const drivers = ['postgres', 'pglite'] as const;

/** A new PostgreSQL backend can take over 5 s to start on a loaded 2-core machine (seen in a flake hunt). */
export const patientConnectTimeoutMs = '30000';
export type Driver = (typeof drivers)[number];

/** Test databases: as the generator and the tests see them (sources writable), and how subgraphs are to see them. */
export interface TestDatabases extends AgencyDatabases {
  /**
   * The same sources and store opened as subgraphs open them: on PostgreSQL,
   * each source as a role that may only SELECT the contract relations (see
   * createReaderRole), read-only; on PGlite, these databases themselves.
   */
  openForSubgraphs(): Promise<AgencyDatabases>;
}

/** Every relation of every agency's contract: what a source reader is granted. */
export const contractRelations = agencies.flatMap((agency) => agencySources[agency].relations.map((relation) => relation.name));

/**
 * The four agency sources and the store on one driver: on PostgreSQL, one new
 * database holding the source schema and the store schemas (every URL points
 * to it, as a deployment may); on PGlite, one in-memory instance. The source
 * relations are created empty, the store migrated, and the names of earlier
 * tests kept as views (legacy-names.ts). `close` also drops what it made.
 */
export async function openTestDatabases(driver: Driver): Promise<TestDatabases> {
  if (driver === 'pglite') {
    const databases = await openAgencyDatabases(readDatabaseConfig({}), { embeddedDataDir: 'memory://', sourceAccess: 'generator' });
    await prepare(databases);
    return Object.assign(databases, { openForSubgraphs: async () => ({ ...databases, close: async () => undefined }) });
  }
  const created = await createTestDatabase('sources_and_store');
  const databases = await openAgencyDatabases(testConfig(created.url, created.url), { sourceAccess: 'generator' });
  try {
    await prepare(databases);
  } catch (error) {
    await databases.close();
    await created.drop();
    throw error;
  }
  const readers: Array<{ drop: () => Promise<void> }> = [];
  return {
    ...databases,
    get: databases.get,
    writer: databases.writer,
    sharesStore: databases.sharesStore,
    async openForSubgraphs() {
      const reader = await createReaderRole(created.url, databases.sourceSchema, contractRelations);
      readers.push(reader);
      return openAgencyDatabases(testConfig(reader.url, created.url));
    },
    close: async () => {
      await databases.close();
      await created.drop();
      await Promise.all(readers.map((reader) => reader.drop()));
    },
  };
}

/** The configuration of sources at `sourceUrl` and the store at `storeUrl`. */
export function testConfig(sourceUrl: string, storeUrl: string) {
  return readDatabaseConfig({
    ...Object.fromEntries(agencies.map((agency) => [databaseUrlVariables[agency], sourceUrl])),
    STORE_DATABASE_URL: storeUrl,
    DATABASE_CONNECT_TIMEOUT_MS: patientConnectTimeoutMs,
  });
}

/** Creates the (empty) source relations, migrates the store, and keeps the earlier names. */
export async function prepare(databases: AgencyDatabases): Promise<void> {
  await migrateStore(databases.store, databases.agencies);
  for (const agency of databases.agencies) {
    const writer = await databases.writer(agency);
    await writer.transaction((session) => createSourceRelations(session, databases.sourceSchema, agency));
  }
  await createLegacyNames(await databases.writer('population'), databases.sourceSchema);
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { agencies, databaseUrlVariables, readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases } from '../../platform/database/open-databases.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { defaultAsOf } from '../seed/generator.js';
import { seed } from '../seed/load.js';

/** The PostgreSQL server the topology makes its databases on, unless told otherwise (trust auth on loopback). */
export const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TopologyDatabases {
  /** *_DATABASE_URL of each agency, STORE_DATABASE_URL, and AUDIT_DATABASE_URL, the one audit database every gateway replica shares. */
  readonly environment: Readonly<Record<string, string>>;
  /** A few PINs of the dataset, for lookups. */
  readonly pins: readonly string[];
  /** Drops every database it made. */
  drop(): Promise<void>;
}

async function asAdministrator(adminUrl: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new AppError(
      ErrorCode.DATABASE_UNAVAILABLE,
      `The topology needs a PostgreSQL server for its databases at ${adminUrl}: ${(error as Error).message}`,
    );
  }
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * One database per agency, the store and one for the audit trail, under names of this run
 * (subgraphs in separate processes cannot share an embedded database); the
 * agencies seeded with the data generator, `citizens` people with their records.
 */
export async function createTopologyDatabases(options: {
  readonly adminUrl: string;
  readonly citizens: number;
  readonly say?: (line: string) => void;
}): Promise<TopologyDatabases> {
  const run = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const names = [...agencies.map((agency) => agency.replace('-', '_')), 'store', 'audit'].map((name) => `topology_${run}_${name}`);
  const url = (name: string) => Object.assign(new URL(options.adminUrl), { pathname: `/${name}` }).toString();
  await asAdministrator(
    options.adminUrl,
    names.map((name) => `CREATE DATABASE ${name}`),
  );
  const drop = () =>
    asAdministrator(
      options.adminUrl,
      names.map((name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
  try {
    const environment: Record<string, string> = Object.fromEntries(
      agencies.map((agency, index) => [databaseUrlVariables[agency], url(names[index]!)]),
    );
    // The project's own store (counts, PIN checks, load records), one schema per agency: every subgraph process shares it.
    environment.STORE_DATABASE_URL = url(names.at(-2)!);
    environment.AUDIT_DATABASE_URL = url(names.at(-1)!);
    const databases = await openAgencyDatabases(readDatabaseConfig({ ...environment, DATABASE_CONNECT_TIMEOUT_MS: '30000' }));
    try {
      options.say?.(`Seeding ${options.citizens.toLocaleString('en')} citizens with their records in all four agencies...`);
      await seed(databases, { citizens: options.citizens, seed: 1, asOf: defaultAsOf });
      // The agency's connection reads its source schema (SOURCE_SCHEMA) unqualified.
      const rows = await databases.get('population').query<{ pin: string }>('SELECT pin FROM citizen ORDER BY md5(pin) LIMIT 200');
      return { environment, pins: rows.map((row) => row.pin), drop };
    } finally {
      await databases.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}

import pg from 'pg';
import { schemaName } from '../../platform/agencies.js';
import { agencies, databaseUrlVariables, readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases } from '../../platform/database/open-databases.js';
import { defaultAsOf } from '../../scripts/seed/generator.js';
import { seed } from '../../scripts/seed/load.js';

/** The server the benchmark makes its databases on (trust auth on loopback, as on CI). */
export const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatasets {
  /** *_DATABASE_URL per agency, STORE_DATABASE_URL, and AUDIT_DATABASE_URL for the gateway's own. */
  readonly environment: Record<string, string>;
  /** 100 PINs of the dataset, the same for every run of the same size and seed. */
  readonly pins: readonly string[];
  drop(): Promise<void>;
}

/** Creates one database per agency, one for the store and one for the audit trail, seeds the agencies with `citizens` people, and picks PINs for lookups. */
export async function createBenchDatasets(citizens: number, say: (line: string) => void): Promise<BenchDatasets> {
  // The agencies' sources, the project's store of counts, and the gateway's audit trail: all on the server, none embedded.
  const names = [...agencies.map(schemaName), 'store', 'audit'].map((name) => `bench_${process.pid}_${name}`);
  const admin = async (statements: string[]) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const url = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  await admin(names.map((name) => `CREATE DATABASE ${name}`));
  const drop = () => admin(names.map((name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  try {
    const environment: Record<string, string> = Object.fromEntries(
      agencies.map((agency, index) => [databaseUrlVariables[agency], url(names[index]!)]),
    );
    environment.STORE_DATABASE_URL = url(names.at(-2)!);
    environment.AUDIT_DATABASE_URL = url(names.at(-1)!);
    const config = readDatabaseConfig(environment);
    const databases = await openAgencyDatabases(config);
    try {
      say(`Seeding ${citizens.toLocaleString('en')} citizens with their records in all four agencies...`);
      await seed(databases, { citizens, seed: 7, asOf: defaultAsOf });
      const rows = await databases
        .get('population')
        .query<{ pin: string }>(`SELECT pin FROM ${config.sourceSchema}.citizen ORDER BY md5(pin) LIMIT 100`);
      return { environment, pins: rows.map((row) => row.pin), drop };
    } finally {
      await databases.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyMigrations } from '../../../subgraphs/agencies.js';
import type { AgencyDatabases } from '../../../platform/database/open-databases.js';
import { migrate, readMigrations } from '../../../platform/database/migrations.js';
import { drivers, openTestDatabases } from '../../support/databases.js';

// Folders of migration files written by the tests, removed when the file is done.
const directories: string[] = [];
async function migrationsDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  directories.push(directory);
  return directory;
}
afterAll(() => Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))));

describe.each(drivers)('migrations on %s', (driver) => {
  let databases: AgencyDatabases;
  beforeAll(async () => {
    databases = await openTestDatabases(driver);
  });
  afterAll(() => databases?.close());

  it('creates every agency schema in the store, then finds nothing left to apply', async () => {
    // The test databases come with the store migrated (test/support/databases.ts): every file applied, none left.
    for (const agency of databases.agencies) {
      const files = (await readMigrations(agencyMigrations[agency].directory)).map((migration) => migration.file);
      expect(files[0]).toBe('001_store.sql');
      const applied = await databases.store.query<{ file: string }>(
        `SELECT file FROM ${agencyMigrations[agency].schema}.schema_migration ORDER BY version`,
      );
      expect(applied.map((row) => row.file)).toEqual(files);
      expect((await migrate(databases.store, agencyMigrations[agency])).applied).toEqual([]);
    }
    const tables = await databases.store.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'store_health' ORDER BY table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'commune_month_count',
      'data_load',
      'refresh_watermark',
      'schema_migration',
      'seen_encounter',
      'seen_health_record',
    ]);
    // Nothing of the project's is in the source schema but the generator's own relations.
    const source = await databases.store.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND (table_name LIKE '%month%' OR table_name LIKE 'seen%' OR table_name LIKE 'pin_check%' OR table_name = 'administrative_unit')`,
      [databases.sourceSchema],
    );
    expect(source).toEqual([]);
  });

  it('loads the 34 official provinces and 3,321 communes, every commune under a province', async () => {
    const [counts] = await databases.store.query<{ provinces: number; communes: number; orphans: number }>(
      `SELECT count(*) FILTER (WHERE level = 'PROVINCE') AS provinces,
              count(*) FILTER (WHERE level = 'COMMUNE') AS communes,
              count(*) FILTER (WHERE level = 'COMMUNE' AND parent_code IS NULL) AS orphans
         FROM store_population.administrative_unit`,
    );
    expect(counts).toEqual({ provinces: 34, communes: 3321, orphans: 0 });
    const [hanoi] = await databases.store.query<{ full_name: string }>(
      `SELECT full_name FROM store_population.administrative_unit WHERE code = '01'`,
    );
    expect(hanoi!.full_name).toBe('Thành phố Hà Nội'.normalize('NFC'));
  });

  it('rolls back a failing migration and names its file', async () => {
    const directory = await migrationsDirectory();
    await writeFile(path.join(directory, '001_good.sql'), 'CREATE TABLE scratch_a.kept (id int);');
    await writeFile(path.join(directory, '002_bad.sql'), 'CREATE TABLE scratch_a.lost (id int); SELECT * FROM no_such_table;');
    const database = databases.store;
    await expect(migrate(database, { schema: 'scratch_a', directory })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringMatching(/002_bad\.sql.*no_such_table/),
    });
    // Nothing of the run survives: not even the first migration, nor the schema.
    const schemas = await database.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'scratch_a'`);
    expect(schemas).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const directory = await migrationsDirectory();
    await writeFile(path.join(directory, '001_first.sql'), 'CREATE TABLE scratch_b.t (id int);');
    const database = databases.store;
    await migrate(database, { schema: 'scratch_b', directory });
    await writeFile(path.join(directory, '001_first.sql'), 'CREATE TABLE scratch_b.t (id bigint);');
    await expect(migrate(database, { schema: 'scratch_b', directory })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringContaining('001_first.sql of schema scratch_b changed after it was applied'),
    });
  });
});

describe('readMigrations', () => {
  it('refuses a file not named NNN_words.sql', async () => {
    const directory = await migrationsDirectory();
    await writeFile(path.join(directory, 'init.sql'), 'SELECT 1;');
    await expect(readMigrations(directory)).rejects.toThrow(/init\.sql must be named NNN_words\.sql/);
  });

  it('refuses two files with one version', async () => {
    const directory = await migrationsDirectory();
    await writeFile(path.join(directory, '001_a.sql'), 'SELECT 1;');
    await writeFile(path.join(directory, '001_b.sql'), 'SELECT 1;');
    await expect(readMigrations(directory)).rejects.toThrow(/version 001/);
  });
});

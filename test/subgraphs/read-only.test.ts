import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { prepare } from '../support/databases.js';
import { openSharedDatabases, openSharedDatabasesForSubgraphs } from '../support/shared-dataset.js';

/** PostgreSQL's SQLSTATEs for a write refused: a read-only transaction, or a privilege not held. */
const refused = { code: expect.stringMatching(/^(25006|42501)$/) };

describe('sources are read-only (PostgreSQL, the shared dataset)', () => {
  let asSubgraphs: AgencyDatabases;
  let asOwner: AgencyDatabases;
  beforeAll(async () => {
    asSubgraphs = await openSharedDatabasesForSubgraphs();
    asOwner = await openSharedDatabases();
  });
  afterAll(async () => {
    await asSubgraphs?.close();
    await asOwner?.close();
  });

  it('refuses a write through the subgraphs connection, which is the SELECT-only role', async () => {
    const source = asSubgraphs.get('population');
    expect((await source.query<{ n: number }>('SELECT count(*) AS n FROM citizen'))[0]!.n).toBeGreaterThan(0);
    await expect(source.query(`UPDATE citizen SET full_name = full_name WHERE pin = (SELECT min(pin) FROM citizen)`)).rejects.toMatchObject(
      refused,
    );
    await expect(source.query('CREATE TABLE gateway_source.scratch (id int)')).rejects.toMatchObject(refused);
    await expect(source.transaction((session) => session.query('DELETE FROM citizen'))).rejects.toMatchObject(refused);
    // The role reads the contract and nothing else: not the store, even where it shares the server.
    await expect(source.query('SELECT count(*) FROM store_population.commune_month_count')).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses a write through a source connection even for a role that could write (default_transaction_read_only)', async () => {
    const source = asOwner.get('civil-service');
    await expect(source.query('UPDATE civil_servant SET left_on = left_on')).rejects.toMatchObject({ code: '25006' });
    const [setting] = await source.query<{ value: string; path: string }>(
      `SELECT current_setting('default_transaction_read_only') AS value, current_setting('search_path') AS path`,
    );
    expect(setting).toEqual({ value: 'on', path: 'gateway_source' });
  });
});

describe('sources are read-only (PGlite, the embedded default)', () => {
  let databases: AgencyDatabases;
  beforeAll(async () => {
    const generator = await openAgencyDatabases(readDatabaseConfig({}), { embeddedDataDir: 'memory://', sourceAccess: 'generator' });
    await prepare(generator);
    databases = generator;
  });
  afterAll(() => databases?.close());

  it('reads a source as a read-only transaction with the source schema first, while the store in the same instance takes writes', async () => {
    const reader = await openAgencyDatabases(readDatabaseConfig({}), { embeddedDataDir: 'memory://' });
    try {
      // A fresh instance: the source handles of a read opening refuse writes there too.
      await expect(reader.get('health').query('CREATE TABLE scratch (id int)')).rejects.toMatchObject({ code: '25006' });
      await expect(reader.store.query('CREATE TABLE public.scratch (id int)')).resolves.toEqual([]);
    } finally {
      await reader.close();
    }
    const source = databases.get('health');
    expect(await source.query('SELECT count(*)::int AS n FROM health_record')).toEqual([{ n: 0 }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { requireSourceContract } from '../../subgraphs/source-ready.js';
import { openTestDatabases, type TestDatabases } from '../support/databases.js';

describe('a start on an agency source', () => {
  let empty: AgencyDatabases;
  let filled: TestDatabases;
  beforeAll(async () => {
    empty = await openAgencyDatabases(readDatabaseConfig({}), { embeddedDataDir: 'memory://', agencies: ['population'] });
    filled = await openTestDatabases('pglite');
  });
  afterAll(async () => {
    await empty?.close();
    await filled?.close();
  });

  it('stops with CONFIG_INVALID naming the missing relations when the source has no contract, and says how to fill or check it', async () => {
    const config = readDatabaseConfig({ DATA_DIR: '/srv/gateway' });
    const refusal = requireSourceContract(empty, 'population', config);
    await expect(refusal).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const { message } = (await refusal.catch((error: unknown) => error)) as Error;
    expect(message).toMatch(
      /^The population source \(the embedded database in \/srv\/gateway\/pglite, schema gateway_source from SOURCE_SCHEMA\)/,
    );
    expect(message).toContain('gateway_source.citizen: missing');
    expect(message).toMatch(/npm run seed writes the demo data there/);
  });

  it('names the schema the configuration gave', async () => {
    const config = readDatabaseConfig({ SOURCE_SCHEMA: 'population_view' });
    const other = await openAgencyDatabases(config, { embeddedDataDir: 'memory://', agencies: ['population'] });
    try {
      await expect(requireSourceContract(other, 'population', config)).rejects.toThrow(
        /schema population_view from SOURCE_SCHEMA.*population_view\.citizen: missing/,
      );
    } finally {
      await other.close();
    }
  });

  it('lets every agency start on sources that follow the contract, empty or not', async () => {
    for (const agency of filled.agencies)
      await expect(requireSourceContract(filled, agency, readDatabaseConfig({}))).resolves.toBeUndefined();
  });
});

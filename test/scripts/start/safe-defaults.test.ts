import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, databaseUrlVariables, type Agency } from '../../../platform/config.js';
import type { AgencyDatabases } from '../../../platform/database/open-databases.js';
import { seed } from '../../../scripts/seed/load.js';
import { runScript } from '../../support/command.js';
import { openTestDatabases } from '../../support/databases.js';
import { createTestDatabase } from '../../support/postgres.js';

/** Every table of the agencies' source schema, each as an order-independent digest of its rows. */
async function fingerprint(databases: AgencyDatabases): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const agency of agencies) {
    const database = databases.get(agency);
    const tables = await database.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
      [databases.sourceSchema],
    );
    for (const { name } of tables) {
      const [row] = await database.query<{ digest: string | null }>(
        `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${name} t`,
      );
      digests[name] = row!.digest ?? 'empty';
    }
  }
  return digests;
}

describe('npm start pointed at agency databases it did not fill', () => {
  let databases: AgencyDatabases;
  let environment: Record<string, string>;
  let audit: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    databases = await openTestDatabases('postgres');
    await seed(databases, { citizens: 400, seed: 3, asOf: '2025-12-31' });
    // As agencies' own databases look: rows loaded by the agencies, none recorded as the generator's.
    await (await databases.writer('population')).query(`DELETE FROM ${databases.sourceSchema}.generator_load`);
    audit = await createTestDatabase('safe_defaults_audit');
    const urls = await Promise.all(
      agencies.map(async (agency: Agency) => {
        const [row] = await databases.get(agency).query<{ name: string }>('SELECT current_database() AS name');
        return [databaseUrlVariables[agency], Object.assign(new URL(audit.url), { pathname: `/${row!.name}` }).toString()] as const;
      }),
    );
    environment = {
      ...Object.fromEntries(urls),
      PORT: '0',
      SUBGRAPH_POPULATION_PORT: '0',
      SUBGRAPH_CIVIL_SERVICE_PORT: '0',
      SUBGRAPH_AGRICULTURE_PORT: '0',
      SUBGRAPH_HEALTH_PORT: '0',
      SUBGRAPH_INDICATORS_PORT: '0',
    };
  }, 360_000);
  afterAll(async () => {
    await databases?.close();
    await audit?.drop();
  });

  it('without DEPLOYMENT, stops naming it: no token printed, not a row changed', async () => {
    const before = await fingerprint(databases);
    const { code, stderr } = await runScript('scripts/start.ts', [], { ...environment, DEPLOYMENT: '' });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /DEPLOYMENT must be set \(production, or development for test databases\) when a database URL is given \(POPULATION_DATABASE_URL, CIVIL_SERVICE_DATABASE_URL, AGRICULTURE_DATABASE_URL, HEALTH_DATABASE_URL\)/,
    );
    expect(stderr).not.toMatch(/token/i);
    expect(await fingerprint(databases)).toEqual(before);
  }, 120_000);

  it('with an empty population database beside full ones, refuses to seed instead of truncating them', async () => {
    await (await databases.writer('population')).query('TRUNCATE gateway_source.citizen, gateway_source.household CASCADE');
    const before = await fingerprint(databases);
    const { code, stderr } = await runScript('scripts/start.ts', [], {
      ...environment,
      DEPLOYMENT: 'development',
      AUDIT_DATABASE_URL: audit.url,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /error: The (population|civil-service|agriculture|health) source \(schema gateway_source\) holds rows the generator did not write .* nothing was changed/,
    );
    expect(stderr).not.toMatch(/demo analyst token/);
    expect(await fingerprint(databases)).toEqual(before);
  }, 120_000);
});

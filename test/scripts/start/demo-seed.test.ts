import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencyDatabases } from '../../../platform/database/open-databases.js';
import { migrate } from '../../../platform/database/migrations.js';
import { seedDemoOnFirstRun } from '../../../scripts/start/demo-seed.js';
import { agencyMigrations } from '../../../subgraphs/agencies.js';
import { openTestDatabases } from '../../support/databases.js';

describe("npm start's demo dataset", () => {
  let databases: AgencyDatabases;
  beforeAll(async () => {
    databases = await openTestDatabases('postgres');
    for (const agency of databases.agencies) await migrate(databases.get(agency), agencyMigrations[agency]);
  });
  afterAll(() => databases?.close());

  const citizens = async () =>
    (await databases.get('population').query<{ count: number }>('SELECT count(*)::int AS count FROM population.citizen'))[0]!.count;
  const run = async (production: boolean) => {
    const said: string[] = [];
    const firstRun = await seedDemoOnFirstRun(databases, {
      citizens: 200,
      production,
      signal: new AbortController().signal,
      say: (line) => said.push(line),
    });
    return { firstRun, said };
  };

  it('is never generated in production, which says how to load data instead', async () => {
    const { firstRun, said } = await run(true);
    expect({ firstRun, said, citizens: await citizens() }).toEqual({
      firstRun: false,
      said: [expect.stringMatching(/^The population database is empty; production never generates demo data/)],
      citizens: 0,
    });
  });

  it('is generated on a first run, with progress, and only then', async () => {
    const first = await run(false);
    expect(first.firstRun).toBe(true);
    expect(first.said[0]).toBe('First run: generating a demo dataset of 200 citizens with their records in all four agencies...');
    expect(first.said).toContain('  100%');
    expect(first.said.at(-1)).toMatch(/^Cache: /);
    expect(await citizens()).toBe(200);
    expect(await run(false)).toEqual({ firstRun: false, said: [] });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencySources } from '../../subgraphs/agencies.js';
import { agencies, type Agency } from '../../platform/config.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import { describeContract } from '../../platform/source/contract.js';
import { seed } from '../../scripts/seed/load.js';
import { runScript } from '../support/command.js';
import { openTestDatabases } from '../support/databases.js';
import { adminUrl } from '../support/postgres.js';
import { projectRoot } from '../support/user-shell.js';

const check = (agency: string, url: string, ...extra: string[]) =>
  runScript('scripts/source-check.ts', ['--agency', agency, '--url', url, ...extra]);

describe('npm run source:check', () => {
  let databases: AgencyDatabases;
  const urls = {} as Record<Agency, string>;
  beforeAll(async () => {
    databases = await openTestDatabases('postgres');
    await seed(databases, { citizens: 400, seed: 4, asOf: '2025-12-31' });
    for (const agency of agencies) {
      const [row] = await databases.get(agency).query<{ name: string }>('SELECT current_database() AS name');
      urls[agency] = Object.assign(new URL(adminUrl), { pathname: `/${row!.name}` }).toString();
    }
  }, 360_000);
  afterAll(() => databases?.close());

  it.each(agencies)('finds the demo %s database in agreement with the contract', async (agency) => {
    const { code, stdout } = await check(agency, urls[agency]);
    expect(stdout).toMatch(
      new RegExp(`^${agency} \\(postgres://.*\\): \\d+ relations, \\d+ columns, [\\d,]+ rows sampled: agrees with the contract$`, 'm'),
    );
    expect(code).toBe(0);
  });

  it('finds a missing column and a wrong type, one line each, and exits 1', async () => {
    const civilService = databases.get('civil-service');
    // The earlier tests' name for rank (test/support/legacy-names.ts) is a view that would hold its column type.
    await civilService.query('DROP VIEW civil_service.rank');
    await civilService.query('ALTER TABLE gateway_source.civil_servant RENAME COLUMN hired_on TO hired');
    await civilService.query('ALTER TABLE gateway_source.rank ALTER COLUMN grade TYPE text');
    try {
      const { code, stdout, stderr } = await check('civil-service', urls['civil-service']);
      expect(code).toBe(1);
      expect(stdout.trim().split('\n')).toEqual([
        'gateway_source.rank.grade: is text, the contract says integer',
        'gateway_source.civil_servant.hired_on: missing column (date, start of service)',
      ]);
      expect(stderr).toMatch(/2 problem\(s\)/);
    } finally {
      await civilService.query('ALTER TABLE gateway_source.civil_servant RENAME COLUMN hired to hired_on');
      await civilService.query('ALTER TABLE gateway_source.rank ALTER COLUMN grade TYPE smallint USING grade::smallint');
      await civilService.query('CREATE VIEW civil_service.rank AS SELECT * FROM gateway_source.rank');
    }
  });

  it('finds malformed PINs and unofficial commune codes in the sample, without printing a whole PIN', async () => {
    const health = databases.get('health');
    const [record] = await health.query<{ id: number; pin: string; commune_code: string }>(
      'SELECT id, pin, commune_code FROM gateway_source.health_record ORDER BY id LIMIT 1',
    );
    // Twelve digits, as the agency's own check allows, but province 099 and century digit 7 do not exist.
    await health.query(`UPDATE gateway_source.health_record SET pin = '099790000001', commune_code = '99999' WHERE id = $1`, [record!.id]);
    try {
      const { code, stdout } = await check('health', urls.health);
      expect(code).toBe(1);
      expect(stdout).toMatch(
        /^gateway_source\.health_record\.pin: 1 of [\d,]+ sampled rows are wrong, e.g. not a well-formed PIN \(PIN 0997\*{8} starts with 099, not a province code \(001-096\)\)$/m,
      );
      expect(stdout).toMatch(
        /^gateway_source\.health_record\.commune_code: 1 of [\d,]+ sampled rows are wrong, e.g. not an official commune code \(99999\)$/m,
      );
      expect(stdout).not.toContain('099790000001');
    } finally {
      await health.query('UPDATE gateway_source.health_record SET pin = $2, commune_code = $3 WHERE id = $1', [
        record!.id,
        record!.pin,
        record!.commune_code,
      ]);
    }
  });

  it('finds a missing relation, nulls, dates out of range and values outside an enumeration', async () => {
    const population = databases.get('population');
    await population.query('ALTER TABLE gateway_source.household RENAME TO household_old');
    await population.query(`CREATE VIEW gateway_source.citizen_check AS SELECT 1`);
    const [citizen] = await population.query<{ pin: string; birth_date: string; sex: string }>(
      'SELECT pin, birth_date, sex FROM gateway_source.citizen ORDER BY pin LIMIT 1',
    );
    await population.query(`ALTER TABLE gateway_source.citizen DROP CONSTRAINT citizen_sex_check`);
    await population.query(`UPDATE gateway_source.citizen SET birth_date = '1800-01-01', sex = 'X' WHERE pin = $1`, [citizen!.pin]);
    const [other] = await population.query<{ pin: string; full_name: string }>(
      'SELECT pin, full_name FROM gateway_source.citizen ORDER BY pin DESC LIMIT 1',
    );
    await population.query('ALTER TABLE gateway_source.citizen ALTER COLUMN full_name DROP NOT NULL');
    await population.query('UPDATE gateway_source.citizen SET full_name = NULL WHERE pin = $1', [other!.pin]);
    try {
      const { code, stdout } = await check('population', urls.population, '--sample', '100000');
      expect(code).toBe(1);
      expect(stdout).toMatch(/^gateway_source\.household: missing \(a table or view with id, commune_code, registered_on, change_seq\)$/m);
      expect(stdout).toMatch(
        /^gateway_source\.citizen\.birth_date: 1 of [\d,]+ sampled rows are wrong, e.g. a date outside 1900-01-01 to \d{4}-\d\d-\d\d \(1800-01-01\)$/m,
      );
      expect(stdout).toMatch(/^gateway_source\.citizen\.sex: 1 of [\d,]+ sampled rows are wrong, e.g. not one of MALE, FEMALE$/m);
      expect(stdout).toMatch(/^gateway_source\.citizen\.full_name: may hold nulls, the contract says never null$/m);
      expect(stdout).toMatch(/^gateway_source\.citizen\.full_name: 1 of [\d,]+ sampled rows are wrong, e.g. null$/m);
    } finally {
      await population.query('UPDATE gateway_source.citizen SET birth_date = $2, sex = $3 WHERE pin = $1', [
        citizen!.pin,
        citizen!.birth_date,
        citizen!.sex,
      ]);
      await population.query('UPDATE gateway_source.citizen SET full_name = $2 WHERE pin = $1', [other!.pin, other!.full_name]);
      await population.query('ALTER TABLE gateway_source.citizen ALTER COLUMN full_name SET NOT NULL');
      await population.query('DROP VIEW gateway_source.citizen_check');
      await population.query('ALTER TABLE gateway_source.household_old RENAME TO household');
    }
  });

  it('changes nothing in the database it checks', async () => {
    const fingerprint = async () =>
      (
        await databases
          .get('agriculture')
          .query<{ digest: string }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM gateway_source.farm_household t`)
      )[0]!.digest;
    const before = await fingerprint();
    expect((await check('agriculture', urls.agriculture)).code).toBe(0);
    expect(await fingerprint()).toBe(before);
  });

  it.each([
    [[], /--agency is required/],
    [['--agency', 'treasury'], /there is no agency "treasury"/],
    [['--agency', 'health', '--url', 'postgres://postgres@127.0.0.1:1/x'], /Cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/x/],
    [['--agency', 'health', '--url', 'postgres://postgres@127.0.0.1/x', '--sample', 'all'], /--sample must be a whole number/],
  ])('refuses %j with a message naming the problem', async (args, message) => {
    const { code, stderr } = await runScript('scripts/source-check.ts', args, { HEALTH_DATABASE_URL: '' });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});

describe('docs/source-contract.md', () => {
  it('holds the contracts as the code states them (npm run source:check -- --describe)', () => {
    const text = readFileSync(path.join(projectRoot, 'docs/source-contract.md'), 'utf8');
    const section = text
      .slice(text.indexOf('<!-- contract:start -->') + '<!-- contract:start -->'.length, text.indexOf('<!-- contract:end -->'))
      .trim();
    expect(section).toBe(agencies.map((agency) => describeContract(agencySources[agency])).join('\n\n'));
  });
});

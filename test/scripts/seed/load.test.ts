import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePin } from '../../../platform/pin.js';
import type { AgencyDatabases } from '../../../platform/database/open-databases.js';
import { seed } from '../../../scripts/seed/load.js';
import { drivers, openTestDatabases } from '../../support/databases.js';

const options = { citizens: 4_000, seed: 11, asOf: '2025-12-31' };

/** One table of each agency, whose fingerprints tell whether a seed changed anything. */
const sampleTables = [
  ['population', 'population.citizen'],
  ['civil-service', 'civil_service.civil_servant'],
  ['agriculture', 'agriculture.crop_plot'],
  ['health', 'health.encounter'],
] as const;

/** An order-independent fingerprint of a table's rows, computed by the database (change_seq left out: every load numbers rows anew). */
async function fingerprint(databases: AgencyDatabases, agency: Parameters<AgencyDatabases['get']>[0], table: string): Promise<string> {
  const [row] = await databases
    .get(agency)
    .query<{ digest: string }>(
      `SELECT md5(string_agg(row, '|' ORDER BY row)) AS digest FROM (SELECT (to_jsonb(t) - 'change_seq')::text AS row FROM ${table} t) AS rows`,
    );
  return row!.digest;
}

describe.each(drivers)('seed on %s', (driver) => {
  let databases: AgencyDatabases;
  beforeAll(async () => {
    databases = await openTestDatabases(driver);
    await seed(databases, options);
  });
  afterAll(() => databases?.close());

  const pinsOf = async (agency: 'population' | 'civil-service' | 'agriculture' | 'health', sql: string) =>
    (await databases.get(agency).query<{ pin: string }>(sql)).map((row) => row.pin);

  it('gives every citizen a unique, well-formed PIN that agrees with birth date and sex', async () => {
    const citizens = await databases
      .get('population')
      .query<{ pin: string; birth_date: string; sex: string; full_name: string }>(
        'SELECT pin, birth_date, sex, full_name FROM population.citizen',
      );
    expect(citizens).toHaveLength(options.citizens);
    expect(new Set(citizens.map((citizen) => citizen.pin)).size).toBe(options.citizens);
    for (const citizen of citizens) {
      const parts = parsePin(citizen.pin);
      expect(parts).toMatchObject({ sex: citizen.sex, birthYear: Number(citizen.birth_date.slice(0, 4)) });
      expect(citizen.full_name).toBe(citizen.full_name.normalize('NFC'));
      expect(citizen.full_name.split(' ').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('places people only in official communes, cities denser than the countryside', async () => {
    const [unofficial] = await databases.get('population').query<{ n: number }>(
      `SELECT count(*) AS n FROM population.citizen c
        WHERE NOT EXISTS (SELECT 1 FROM population.administrative_unit u WHERE u.code = c.residence_commune_code AND u.level = 'COMMUNE')`,
    );
    expect(unofficial!.n).toBe(0);
    const density = await databases.get('population').query<{ unit_type: string; per_commune: number }>(
      `SELECT u.unit_type, count(c.pin)::float / count(DISTINCT u.code) AS per_commune
         FROM population.administrative_unit u LEFT JOIN population.citizen c ON c.residence_commune_code = u.code
        WHERE u.level = 'COMMUNE' GROUP BY u.unit_type`,
    );
    const of = (type: string) => density.find((row) => row.unit_type === type.normalize('NFC'))!.per_commune;
    expect(of('Phường')).toBeGreaterThan(1.5 * of('Xã'));
    const official = new Set(
      (
        await databases.get('population').query<{ code: string }>(`SELECT code FROM population.administrative_unit WHERE level = 'COMMUNE'`)
      ).map((row) => row.code),
    );
    for (const [agency, sql] of [
      ['civil-service', 'SELECT DISTINCT workplace_commune_code AS code FROM civil_service.civil_servant'],
      ['agriculture', 'SELECT DISTINCT commune_code AS code FROM agriculture.farm_household'],
      ['health', 'SELECT DISTINCT commune_code AS code FROM health.health_record UNION SELECT commune_code FROM health.facility'],
    ] as const) {
      for (const { code } of await databases.get(agency).query<{ code: string }>(sql)) expect(official).toContain(code);
    }
  });

  it('links the agencies to citizens by PIN, but for a small deliberate unmatched share', async () => {
    const citizens = new Set(await pinsOf('population', 'SELECT pin FROM population.citizen'));
    const adults = (
      await databases
        .get('population')
        .query<{ n: number }>(`SELECT count(*) AS n FROM population.citizen WHERE birth_date <= DATE '2007-12-31'`)
    )[0]!.n;
    const servants = await pinsOf('civil-service', 'SELECT pin FROM civil_service.civil_servant');
    const heads = await pinsOf('agriculture', 'SELECT head_pin AS pin FROM agriculture.farm_household');
    const records = await pinsOf('health', 'SELECT pin FROM health.health_record');
    expect(servants.length / adults).toBeGreaterThan(0.02);
    expect(servants.length / adults).toBeLessThan(0.035);
    for (const pins of [servants, heads]) {
      const unmatched = pins.filter((pin) => !citizens.has(pin));
      expect(unmatched.length / pins.length).toBeLessThan(0.03);
      for (const pin of unmatched) expect(parsePin(pin)).toHaveProperty('birthYear');
    }
    expect(records.every((pin) => citizens.has(pin))).toBe(true);
    expect(records.length / citizens.size).toBeGreaterThan(0.75);
  });

  it('puts farm households mostly in rural communes', async () => {
    const rural = new Set(
      (
        await databases.get('population').query<{ code: string }>(`SELECT code FROM population.administrative_unit WHERE unit_type = 'Xã'`)
      ).map((row) => row.code),
    );
    const communes = (
      await databases.get('agriculture').query<{ code: string }>('SELECT commune_code AS code FROM agriculture.farm_household')
    ).map((row) => row.code);
    expect(communes.filter((code) => rural.has(code)).length / communes.length).toBeGreaterThan(0.8);
  });

  it('dates VNeID activations and e-health records from 2022 on, more each year', async () => {
    const activations = await databases.get('population').query<{ year: number; n: number }>(
      `SELECT extract(year FROM vneid_activated_on)::int AS year, count(*) AS n FROM population.citizen
        WHERE vneid_activated_on IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    expect(activations.map((row) => row.year)).toEqual([2022, 2023, 2024, 2025]);
    expect(activations[3]!.n).toBeGreaterThan(activations[0]!.n);
    const [early] = await databases
      .get('health')
      .query<{ n: number }>(`SELECT count(*) AS n FROM health.health_record WHERE created_on < DATE '2022-01-01'`);
    expect(early!.n).toBe(0);
  });

  it('records a share of people in a commune other than where they live now', async () => {
    const residence = new Map(
      (
        await databases
          .get('population')
          .query<{ pin: string; code: string }>('SELECT pin, residence_commune_code AS code FROM population.citizen')
      ).map((row) => [row.pin, row.code]),
    );
    const records = await databases
      .get('health')
      .query<{ pin: string; code: string }>('SELECT pin, commune_code AS code FROM health.health_record');
    const moved = records.filter((record) => residence.get(record.pin) !== record.code).length / records.length;
    expect(moved).toBeGreaterThan(0.01);
    expect(moved).toBeLessThan(0.1);
  });

  it('writes the same data again for the same options, and notes each load', async () => {
    const before = await Promise.all(sampleTables.map(([agency, table]) => fingerprint(databases, agency, table)));
    await seed(databases, options);
    expect(await Promise.all(sampleTables.map(([agency, table]) => fingerprint(databases, agency, table)))).toEqual(before);
    const loads = await databases
      .get('health')
      .query<{ source: string; row_counts: Record<string, number> }>('SELECT source, row_counts FROM store_health.data_load ORDER BY id');
    expect(loads).toHaveLength(2);
    expect(loads[1]!.row_counts.healthRecord).toBeGreaterThan(0);
    // Two seeds: on PGlite (WASM) with other heavy jobs on the two cores, minutes; the limit guards against a hang.
  }, 360_000);

  it('rebuilds the indexes it drops for the load, also after an interrupted load', async () => {
    const indexes = () =>
      databases
        .get('population')
        .query<{ indexname: string }>(
          `SELECT indexname FROM pg_indexes WHERE schemaname = 'gateway_source' AND tablename IN ('citizen', 'household') ORDER BY indexname`,
        )
        .then((rows) => rows.map((row) => row.indexname));
    const expected = [
      'citizen_change_seq',
      'citizen_household',
      'citizen_pkey',
      'citizen_residence',
      'household_change_seq',
      'household_commune',
      'household_pkey',
    ];
    expect(await indexes()).toEqual(expected);
    const controller = new AbortController();
    await expect(
      seed(databases, { ...options, seed: 98 }, { signal: controller.signal, chunkSize: 1_000, onProgress: () => controller.abort() }),
    ).rejects.toThrow();
    expect(await indexes()).toEqual(expected);
  });

  it('leaves the previous data whole when a seed is interrupted', async () => {
    const before = await fingerprint(databases, 'population', 'population.citizen');
    const controller = new AbortController();
    await expect(
      seed(
        databases,
        { ...options, citizens: 10_000, seed: 99 },
        { signal: controller.signal, chunkSize: 1_000, onProgress: () => controller.abort() },
      ),
    ).rejects.toThrow();
    expect(await fingerprint(databases, 'population', 'population.citizen')).toBe(before);
    const [{ n }] = (await databases
      .get('civil-service')
      .query<{ n: number }>('SELECT count(*) AS n FROM store_civil_service.data_load')) as [{ n: number }];
    expect(n).toBe(2);
  });
});

describe.each(drivers)('seed on %s over data it did not write', (driver) => {
  let databases: AgencyDatabases;
  beforeAll(async () => {
    databases = await openTestDatabases(driver);
    await seed(databases, { ...options, citizens: 500 });
  });
  afterAll(() => databases?.close());

  it('refuses, names the agency and the tables, and changes nothing in any agency', async () => {
    // The civil-service rows now look loaded by the agency itself: the generator's mark for it is gone.
    await (await databases.writer('civil-service')).query(`DELETE FROM gateway_source.generator_load WHERE agency = 'civil-service'`);
    const before = await Promise.all(sampleTables.map(([agency, table]) => fingerprint(databases, agency, table)));
    await expect(seed(databases, { ...options, citizens: 300, seed: 12 })).rejects.toMatchObject({
      code: 'SEED_REFUSED',
      message: expect.stringMatching(
        /^The civil-service source \(schema gateway_source\) holds rows the generator did not write \(in gateway_source\.agency, .*gateway_source\.civil_servant.*nothing was changed$/,
      ),
    });
    expect(await Promise.all(sampleTables.map(([agency, table]) => fingerprint(databases, agency, table)))).toEqual(before);
  }, 360_000);
});

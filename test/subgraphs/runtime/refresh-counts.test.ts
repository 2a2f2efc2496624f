import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCommuneCodes } from '../../../platform/administrative-codes.js';
import type { Agency } from '../../../platform/config.js';
import type { Database } from '../../../platform/database/database.js';
import { seed } from '../../../scripts/seed/load.js';
import { Random } from '../../../scripts/seed/random.js';
import { agencyCounts } from '../../../subgraphs/agencies.js';
import { countsDatabasesOf, refreshFull } from '../../../subgraphs/runtime/refresh-counts.js';
import { refreshIncremental } from '../../../subgraphs/runtime/refresh-incremental.js';
import { drivers, openTestDatabases, type TestDatabases } from '../../support/databases.js';

const agencies = ['population', 'civil-service', 'agriculture', 'health'] as const satisfies readonly Agency[];

async function countsOf(databases: TestDatabases): Promise<Record<string, unknown[]>> {
  const counts: Record<string, unknown[]> = {};
  for (const agency of agencies)
    counts[agency] = await databases.store.query(`SELECT * FROM ${agencyCounts[agency].table} ORDER BY month, commune_code`);
  return counts;
}

/** Random inserts, updates and deletes in every counted relation (and PIN checks in the store), drawn from `random`. */
async function changeAtRandom(databases: TestDatabases, random: Random, round: number): Promise<void> {
  const s = databases.sourceSchema;
  const source: Database = await databases.writer('population');
  const pick = <T>(rows: readonly T[], share: number) => rows.filter(() => random.float() < share);
  const commune = () => officialCommuneCodes[Math.floor(random.float() * officialCommuneCodes.length)]!;
  const ids = async (relation: string, key = 'id') =>
    (await source.query<{ key: string }>(`SELECT ${key}::text AS key FROM ${s}.${relation} ORDER BY ${key}`)).map((row) => row.key);

  const pins = await ids('citizen', 'pin');
  for (const pin of pick(pins, 0.03))
    await source.query(`UPDATE ${s}.citizen SET residence_commune_code = $2, birth_date = birth_date - 400 WHERE pin = $1`, [
      pin,
      commune(),
    ]);
  for (const pin of pick(pins, 0.02))
    await source.query(`UPDATE ${s}.citizen SET vneid_level = 2, vneid_activated_on = DATE '2024-03-15' WHERE pin = $1`, [pin]);
  for (const pin of pick(pins, 0.01))
    await source.query(`UPDATE ${s}.citizen SET died_on = greatest(birth_date, DATE '2023-06-01') WHERE pin = $1`, [pin]);
  await source.query(`DELETE FROM ${s}.citizen WHERE pin = ANY($1::bpchar[])`, [pick(pins, 0.01)]);
  const households = await ids('household');
  await source.query(
    `INSERT INTO ${s}.citizen (pin, full_name, birth_date, sex, residence_commune_code, household_id, is_household_head, registered_on)
     SELECT lpad((900000000000 + $1 * 1000 + n)::text, 12, '0'), 'Nguyễn Văn An', DATE '2010-05-05', 'MALE', $2, $3, false, DATE '2022-01-01'
       FROM generate_series(1, 20) AS n`,
    [round, commune(), households[0]],
  );
  for (const id of pick(households, 0.03))
    await source.query(`UPDATE ${s}.household SET registered_on = registered_on - 200, commune_code = $2 WHERE id = $1`, [id, commune()]);
  await source.query(`INSERT INTO ${s}.household (id, commune_code, registered_on) VALUES (1000000 + $1, $2, DATE '2023-02-02')`, [
    round,
    commune(),
  ]);

  const servants = await ids('civil_servant');
  for (const id of pick(servants, 0.05))
    await source.query(
      `UPDATE ${s}.civil_servant SET left_on = CASE WHEN left_on IS NULL THEN hired_on + 300 END, digital_skills_trained_on = hired_on + 30,
              workplace_commune_code = $2 WHERE id = $1`,
      [id, commune()],
    );
  await source.query(`DELETE FROM ${s}.civil_servant WHERE id = ANY($1::bigint[])`, [pick(servants, 0.02)]);

  const farms = await ids('farm_household');
  for (const id of pick(farms, 0.05))
    await source.query(`UPDATE ${s}.farm_household SET commune_code = $2, registered_on = registered_on - 100 WHERE id = $1`, [
      id,
      commune(),
    ]);
  const plots = await ids('crop_plot');
  for (const id of pick(plots, 0.05)) await source.query(`UPDATE ${s}.crop_plot SET year = year - 2 WHERE id = $1`, [id]);
  await source.query(`DELETE FROM ${s}.crop_plot WHERE id = ANY($1::bigint[])`, [pick(plots, 0.03)]);
  await source.query(
    `INSERT INTO ${s}.crop_plot (id, farm_household_id, crop, area_hectares, season, year) VALUES (2000000 + $1, $2, 'RICE', 1, 'MAIN', 2022)`,
    [round, farms[Math.floor(random.float() * farms.length)]],
  );
  const gone = pick(farms, 0.02);
  await source.query(`DELETE FROM ${s}.crop_plot WHERE farm_household_id = ANY($1::bigint[])`, [gone]);
  await source.query(`DELETE FROM ${s}.livestock WHERE farm_household_id = ANY($1::bigint[])`, [gone]);
  await source.query(`DELETE FROM ${s}.farm_household WHERE id = ANY($1::bigint[])`, [gone]);

  const records = await ids('health_record');
  for (const id of pick(records, 0.03))
    await source.query(`UPDATE ${s}.health_record SET commune_code = $2 WHERE id = $1`, [id, commune()]);
  const encounters = await ids('encounter');
  for (const id of pick(encounters, 0.03))
    await source.query(`UPDATE ${s}.encounter SET occurred_on = occurred_on - 150 WHERE id = $1`, [id]);
  await source.query(`DELETE FROM ${s}.encounter WHERE id = ANY($1::bigint[])`, [pick(encounters, 0.02)]);
  await source.query(
    `INSERT INTO ${s}.encounter (id, health_record_id, occurred_on, facility_id, icd10_code)
     SELECT 3000000 + $1 * 100 + n, $2, DATE '2025-06-01' - n * 40, (SELECT min(id) FROM ${s}.facility), 'J06' FROM generate_series(1, 5) AS n`,
    [round, records[Math.floor(random.float() * records.length)]],
  );
  const closed = pick(records, 0.01);
  await source.query(`DELETE FROM ${s}.encounter WHERE health_record_id = ANY($1::bigint[])`, [closed]);
  await source.query(`DELETE FROM ${s}.health_record WHERE id = ANY($1::bigint[])`, [closed]);

  // PIN check results change in the store, as reconciliation writes them.
  for (const [agency, schema, relation, pin] of [
    ['civil-service', 'store_civil_service', 'civil_servant', 'pin'],
    ['agriculture', 'store_agriculture', 'farm_household', 'head_pin'],
  ] as const) {
    const rows = await databases.get(agency).query<{ id: number; pin: string }>(`SELECT id, ${pin} AS pin FROM ${relation} ORDER BY id`);
    const checked = pick(rows, 0.1);
    await databases.store.query(
      `INSERT INTO ${schema}.pin_check (id, pin, status, checked_at)
       SELECT id, pin, CASE WHEN id % 3 = 0 THEN 'UNMATCHED' ELSE 'MATCHED' END, TIMESTAMPTZ '2024-01-01' + (id % 500) * interval '1 day'
         FROM unnest($1::bigint[], $2::text[]) AS c (id, pin)
       ON CONFLICT (id) DO UPDATE SET status = CASE WHEN ${schema}.pin_check.status = 'MATCHED' THEN 'UNMATCHED' ELSE 'MATCHED' END,
                                      change_seq = nextval('${schema}.pin_check_seq')`,
      [checked.map((row) => row.id), checked.map((row) => row.pin.trim())],
    );
  }
}

describe.each(drivers)('counts refreshed incrementally (%s)', (driver) => {
  let databases: TestDatabases;
  beforeAll(async () => {
    databases = await openTestDatabases(driver);
    await seed(databases, { citizens: 1_500, seed: 31, asOf: '2025-12-31' });
  }, 300_000);
  afterAll(() => databases?.close());

  it('equal a full rebuild after random inserts, updates and deletes, reading only the changed rows', async () => {
    const random = new Random(driver === 'postgres' ? 7 : 8);
    const [{ total }] = (await databases.get('population').query<{ total: number }>('SELECT count(*) AS total FROM citizen')) as [
      { total: number },
    ];
    // A second round after the full rebuilds on PostgreSQL; on PGlite, whose full rebuild of the dense counts is slow, one.
    for (let round = 1; round <= (driver === 'postgres' ? 2 : 1); round++) {
      const before = await countsOf(databases);
      await changeAtRandom(databases, random, round);
      let changed = 0;
      for (const agency of agencies) {
        const report = await refreshIncremental(countsDatabasesOf(databases, agency), agencyCounts[agency], { graceSeconds: 0 });
        expect(report.mode).toBe('incremental');
        if (agency === 'population') expect(report.rowsRead).toBeLessThan(total / 5);
        changed += report.cellsChanged;
      }
      const incremental = await countsOf(databases);
      expect(changed).toBeGreaterThan(0);
      expect(incremental).not.toEqual(before);
      for (const agency of agencies) await refreshFull(countsDatabasesOf(databases, agency), agencyCounts[agency]);
      expect(incremental).toEqual(await countsOf(databases));
    }
  }, 300_000);

  it('reads nothing and changes nothing when nothing changed', async () => {
    for (const agency of agencies) {
      const report = await refreshIncremental(countsDatabasesOf(databases, agency), agencyCounts[agency], { graceSeconds: 0 });
      expect(report).toEqual({ mode: 'incremental', rowsRead: 0, cellsChanged: 0 });
    }
  });

  // The same SQL on either driver, and a full rebuild of the dense counts takes PGlite long: on PostgreSQL alone.
  it.runIf(driver === 'postgres')(
    'refreshes fully when no watermark is its grace period older than the last one, and the result stays the same',
    async () => {
      const before = await countsOf(databases);
      const report = await refreshIncremental(countsDatabasesOf(databases, 'population'), agencyCounts.population, { graceSeconds: 3_600 });
      // No observation is an hour older than the last: everything is read again, as a full refresh does.
      expect(report.mode).toBe('full');
      expect(await countsOf(databases)).toEqual(before);
    },
  );

  // PGlite runs one transaction at a time: no commit can be under way while a refresh reads.
  it.runIf(driver === 'postgres')('counts rows whose transaction took its change_seq before a refresh and committed after it', async () => {
    const s = databases.sourceSchema;
    const spec = agencyCounts.population;
    const counts = countsDatabasesOf(databases, 'population');
    const writer = await databases.writer('population');
    const [{ household }] = (await writer.query<{ household: number }>(`SELECT min(id) AS household FROM ${s}.household`)) as [
      { household: number },
    ];
    const insertCitizens = (session: Pick<Database, 'query'>, firstPin: number, commune: string) =>
      session.query(
        `INSERT INTO ${s}.citizen (pin, full_name, birth_date, sex, residence_commune_code, household_id, is_household_head, registered_on)
         SELECT lpad(($1::bigint + n)::text, 12, '0'), 'Trần Thị Bình', DATE '1990-05-05', 'FEMALE', $2, $3, false, DATE '2022-01-01'
           FROM generate_series(1, 30) AS n`,
        [firstPin, commune, household],
      );
    await refreshIncremental(counts, spec, { graceSeconds: 0 });
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let taken!: () => void;
    const seqTaken = new Promise<void>((resolve) => (taken = resolve));
    const late = writer.transaction(async (session) => {
      await insertCitizens(session, 960_000_000_000, officialCommuneCodes[10]!);
      taken();
      await committing;
    });
    // The late transaction's failure, if any, ends the wait.
    await Promise.race([seqTaken, late]);
    // A row committed now takes a change_seq above the late ones, which the refresh below cannot see yet.
    await insertCitizens(writer, 960_000_001_000, officialCommuneCodes[20]!);
    await refreshIncremental(counts, spec, { graceSeconds: 0 });
    commit();
    await late;
    // Five minutes pass (the schedule's interval): that refresh's marks are five minutes old, the earlier ones ten.
    await databases.store.query(`UPDATE ${spec.schema}.refresh_watermark SET observed_at = observed_at - interval '5 minutes'`);
    await databases.store.query(
      `UPDATE ${spec.schema}.refresh_watermark w SET observed_at = observed_at - interval '5 minutes'
        WHERE observed_at < (SELECT max(observed_at) FROM ${spec.schema}.refresh_watermark v WHERE v.relation = w.relation)`,
    );
    const report = await refreshIncremental(counts, spec);
    expect(report.mode).toBe('incremental');
    const incremental = (await countsOf(databases)).population;
    await refreshFull(counts, spec);
    expect(incremental).toEqual((await countsOf(databases)).population);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyCounts, agencyMigrations } from '../../subgraphs/agencies.js';
import { migrate } from '../../platform/database/migrations.js';
import { refreshMonthlyCounts } from '../../subgraphs/runtime/monthly-counts.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import { openTestDatabases } from '../support/databases.js';
import {
  countNames,
  countsAsOf,
  disclosureTruth,
  indicatorCounts,
  indicatorHidden,
  indicatorIds,
  provincesOfCommunes,
  type AreaTruth,
  type IndicatorId,
} from '../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const minimum = 10;
const period = { text: '2025-Q4', day: '2025-12-31' };
const selection = indicatorIds.map((id) => `${id} { numerator denominator value suppressed }`).join(' ');
type Value = { numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean };
type Area = { unitCode: string } & Record<IndicatorId, Value>;

/** Every area of every level in the period, by unit code, as one analyst request lists them. */
async function listEveryArea(test: TestSystem): Promise<Map<string, Area>> {
  const answer = await test.query<Record<'nation' | 'provinces' | 'communes', Area[]>>(
    `query ($period: String!) {
       nation: areaStats(level: NATION, period: $period) { unitCode ${selection} }
       provinces: areaStats(level: PROVINCE, period: $period) { unitCode ${selection} }
       communes: areaStats(level: COMMUNE, period: $period) { unitCode ${selection} } }`,
    { period: period.text },
  );
  expect(answer.errors).toBeUndefined();
  const { nation, provinces, communes } = answer.data!;
  expect([nation.length, provinces.length, communes.length]).toEqual([1, 34, 3321]);
  return new Map([...nation, ...provinces, ...communes].map((area) => [area.unitCode, area]));
}

/** Where the gateway's figures differ from the raw counts: hidden exactly where a count (or its complement) must be, else the raw counts. */
function disagreements(areas: Iterable<Area>, truth: ReadonlyMap<string, AreaTruth>): string[] {
  const problems: string[] = [];
  for (const area of areas) {
    const expected = truth.get(area.unitCode);
    if (!expected) {
      problems.push(`${area.unitCode} is no unit of the raw data`);
      continue;
    }
    for (const id of indicatorIds) {
      const [numerator, denominator] = indicatorCounts[id];
      const got = area[id];
      const hidden = indicatorHidden(expected, id);
      const agrees = hidden
        ? got.suppressed && got.numerator === null && got.denominator === null && got.value === null
        : !got.suppressed && got.numerator === expected.counts[numerator] && got.denominator === expected.counts[denominator];
      if (!agrees) {
        problems.push(
          `${area.unitCode} ${id}: shown ${JSON.stringify(got)}, raw ${numerator}=${expected.counts[numerator]} ${denominator}=${expected.counts[denominator]}, must hide [${[...expected.hidden]}]`,
        );
      }
    }
  }
  return problems;
}

/** A (parent, count) group of the raw data with exactly one child below the minimum, and the smallest other child. */
interface ComplementCase {
  readonly parent: string;
  readonly count: string;
  readonly below: string;
  readonly complement: string;
  readonly complementCount: number;
  /** Another child has the same smallest count (which one is hidden then depends on a tie-break). */
  readonly tied: boolean;
}

function complementCases(truth: ReadonlyMap<string, AreaTruth>, provinceOf: ReadonlyMap<string, string>): ComplementCase[] {
  const children = new Map<string, string[]>([['VN', [...new Set(provinceOf.values())]]]);
  for (const [commune, province] of provinceOf) children.set(province, [...(children.get(province) ?? []), commune]);
  const cases: ComplementCase[] = [];
  for (const [parent, units] of children) {
    for (const count of countNames) {
      const below = units.filter((unit) => truth.get(unit)!.counts[count]! < minimum);
      if (below.length !== 1 || units.length < 2) continue;
      const others = units.filter((unit) => unit !== below[0]).sort((a, b) => truth.get(a)!.counts[count]! - truth.get(b)!.counts[count]!);
      const [smallest, next] = others.map((unit) => truth.get(unit)!.counts[count]!);
      cases.push({ parent, count, below: below[0]!, complement: others[0]!, complementCount: smallest!, tied: smallest === next });
    }
  }
  return cases;
}

const indicatorsUsing = (count: string) => indicatorIds.filter((id) => (indicatorCounts[id] as readonly string[]).includes(count));

describe('disclosure control through the gateway over the shared dataset (threshold 10)', () => {
  let test: TestSystem;
  let listing: Map<string, Area>;
  let truth: Map<string, AreaTruth>;
  beforeAll(async () => {
    test = await startTestSystem({ disclosureMinimum: minimum });
    truth = disclosureTruth(await countsAsOf(test.databases, period.day), await provincesOfCommunes(test.databases), minimum);
    listing = await listEveryArea(test);
  });
  afterAll(() => test?.stop());

  it('never shows a count below the threshold, and hides all of a suppressed value', () => {
    for (const area of listing.values()) {
      for (const id of indicatorIds) {
        const value = area[id];
        if (value.suppressed) {
          expect(value, `${area.unitCode} ${id}`).toMatchObject({ numerator: null, denominator: null, value: null });
        } else {
          expect(value.numerator!, `${area.unitCode} ${id}`).toBeGreaterThanOrEqual(minimum);
          expect(value.denominator!, `${area.unitCode} ${id}`).toBeGreaterThanOrEqual(minimum);
        }
      }
    }
  });

  it('hides exactly the counts below the threshold and their complements, count by count, at every level', () => {
    const problems = disagreements(listing.values(), truth);
    expect(problems.slice(0, 10), `${problems.length} figures disagree with the raw counts`).toEqual([]);
  });
});

/** The rows a commune holds in each agency; every person is an adult with everything (e-ID, a record in use, trained, matched) unless a count says fewer. */
interface CommuneRows {
  readonly citizens: number;
  readonly eid: number;
  readonly households: number;
  readonly records: number;
  readonly active: number;
  readonly servants: number;
  readonly trained: number;
  readonly matched: number;
  readonly farms: number;
  readonly farmsMatched: number;
  /** Of the farms, those with a crop plot recorded (at most all of them). */
  readonly farmsWithCrops: number;
}
const everything = (n: number): CommuneRows => ({
  citizens: n,
  eid: n,
  households: n,
  records: n,
  active: n,
  servants: n,
  trained: n,
  matched: n,
  farms: n,
  farmsMatched: n,
  farmsWithCrops: n,
});

/**
 * A dataset made for complementary suppression at threshold 10. In the
 * province with fewest communes, for each agency one commune is below 10 and
 * another is the smallest of the rest; which commune is the smallest differs
 * from count to count (a count's decision must not borrow another's), and
 * households have two communes below 10 (so no complement). Across provinces
 * (each other province holds people in its first commune only) one province
 * is below 10 and the smallest others again differ by count.
 */
function craftedPlan(provinceOf: ReadonlyMap<string, string>): Map<string, CommuneRows> {
  const communesOf = new Map<string, string[]>();
  for (const [commune, province] of [...provinceOf].sort(([a], [b]) => a.localeCompare(b)))
    communesOf.set(province, [...(communesOf.get(province) ?? []), commune]);
  const [small] = [...communesOf].sort(([a, x], [b, y]) => x.length - y.length || a.localeCompare(b));
  const [province, communes] = small!;
  const firstCommunes = [...communesOf]
    .filter(([code]) => code !== province)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, codes]) => codes[0]!);
  const plan = new Map<string, CommuneRows>();
  const commune = (index: number, rows: Partial<CommuneRows>) => plan.set(communes[index]!, { ...everything(20), ...rows });
  communes.forEach((_code, index) => commune(index, {}));
  commune(0, { citizens: 3, eid: 3, households: 3 });
  commune(1, { citizens: 12, eid: 12, households: 12 });
  commune(2, { eid: 11 });
  commune(3, { households: 2 });
  commune(4, { records: 5, active: 5 });
  commune(5, { records: 13, active: 13 });
  commune(6, { active: 12 });
  commune(7, { servants: 2, trained: 2, matched: 2 });
  commune(8, { servants: 14, trained: 14, matched: 14 });
  commune(9, { trained: 13 });
  commune(10, { matched: 11 });
  commune(11, { farms: 1, farmsMatched: 1 });
  commune(12, { farms: 16, farmsMatched: 16 });
  commune(13, { farmsMatched: 10 });
  commune(14, { farmsWithCrops: 15 });
  const elsewhere = (index: number, rows: Partial<CommuneRows>) => plan.set(firstCommunes[index]!, { ...everything(14), ...rows });
  firstCommunes.forEach((_code, index) => elsewhere(index, {}));
  elsewhere(0, everything(4));
  elsewhere(1, { citizens: 11, eid: 11, households: 11 });
  elsewhere(2, { eid: 10 });
  elsewhere(3, { records: 12, active: 12 });
  elsewhere(4, { active: 11 });
  elsewhere(5, { servants: 12, trained: 12, matched: 12 });
  elsewhere(6, { trained: 10 });
  elsewhere(7, { matched: 11 });
  elsewhere(8, { farms: 12, farmsMatched: 12 });
  elsewhere(9, { farmsMatched: 11 });
  elsewhere(10, { farmsWithCrops: 11 });
  return plan;
}

/** Loads the plan into empty agency databases with plain INSERTs, then builds each agency's counts as a load does. */
async function loadPlan(
  databases: AgencyDatabases,
  plan: ReadonlyMap<string, CommuneRows>,
  provinceOf: ReadonlyMap<string, string>,
): Promise<void> {
  for (const agency of databases.agencies) await migrate(databases.get(agency), agencyMigrations[agency]);
  const rows = {
    households: [] as string[],
    citizens: [] as Array<[string, number, boolean]>,
    records: [] as Array<[string, boolean]>,
    servants: [] as Array<[string, boolean, boolean]>,
    farms: [] as Array<[string, boolean, boolean]>,
  };
  for (const [commune, planned] of plan) {
    const firstHousehold = rows.households.length + 1;
    for (let index = 0; index < planned.households; index++) rows.households.push(commune);
    for (let index = 0; index < planned.citizens; index++)
      rows.citizens.push([commune, firstHousehold + (index % planned.households), index < planned.eid]);
    for (let index = 0; index < planned.records; index++) rows.records.push([commune, index < planned.active]);
    for (let index = 0; index < planned.servants; index++) rows.servants.push([commune, index < planned.trained, index < planned.matched]);
    for (let index = 0; index < planned.farms; index++)
      rows.farms.push([commune, index < planned.farmsMatched, index < planned.farmsWithCrops]);
  }
  const column = <Row extends unknown[], Index extends number>(list: Row[], index: Index) => list.map((row) => row[index]);
  const pin = `'001080' || lpad(id::text, 6, '0')`;
  const checked = `CASE WHEN matched THEN 'MATCHED' ELSE 'UNMATCHED' END, TIMESTAMPTZ '2024-01-01 12:00:00+00'`;
  const population = databases.get('population');
  await population.query(
    `INSERT INTO population.household (id, commune_code, registered_on) SELECT id, commune, DATE '2020-01-01' FROM unnest($1::text[]) WITH ORDINALITY AS h (commune, id)`,
    [rows.households],
  );
  await population.query(
    `INSERT INTO population.citizen (pin, full_name, birth_date, sex, residence_commune_code, household_id, is_household_head, registered_on, vneid_level, vneid_activated_on)
     SELECT ${pin}, 'Nguyễn Văn An', DATE '1980-01-01', 'MALE', commune, household, false, DATE '2020-01-01', CASE WHEN eid THEN 2 END, CASE WHEN eid THEN DATE '2022-01-01' END
       FROM unnest($1::text[], $2::bigint[], $3::boolean[]) WITH ORDINALITY AS c (commune, household, eid, id)`,
    [column(rows.citizens, 0), column(rows.citizens, 1), column(rows.citizens, 2)],
  );
  const [first] = [...plan.keys()];
  const health = databases.get('health');
  await health.query(
    `INSERT INTO health.facility (id, code, name, level, province_code, commune_code) VALUES (1, 'F1', 'Trạm y tế', 'COMMUNE', $1, $2)`,
    [provinceOf.get(first!), first],
  );
  await health.query(
    `INSERT INTO health.health_record (id, pin, commune_code, created_on, facility_id) SELECT id, ${pin}, commune, DATE '2022-01-01', 1 FROM unnest($1::text[]) WITH ORDINALITY AS r (commune, id)`,
    [column(rows.records, 0)],
  );
  // A record is in use with an encounter within the 12 months before the period's end.
  await health.query(
    `INSERT INTO health.encounter (id, health_record_id, occurred_on, facility_id, icd10_code)
     SELECT id, id, DATE '2025-11-15', 1, 'J06' FROM unnest($1::boolean[]) WITH ORDINALITY AS r (active, id) WHERE active`,
    [column(rows.records, 1)],
  );
  const civilService = databases.get('civil-service');
  await civilService.query(`INSERT INTO civil_service.agency (id, code, name, level) VALUES (1, 'A1', 'Bộ Nội vụ', 'CENTRAL')`);
  await civilService.query(`INSERT INTO civil_service.rank (code, name, grade) VALUES ('01.003', 'Chuyên viên', 3)`);
  await civilService.query(
    `INSERT INTO civil_service.civil_servant (id, pin, full_name, birth_date, sex, agency_id, rank_code, workplace_commune_code, hired_on, digital_skills_trained_on, pin_check_status, pin_checked_at)
     SELECT id, ${pin}, 'Nguyễn Văn An', DATE '1980-01-01', 'MALE', 1, '01.003', commune, DATE '2020-01-01', CASE WHEN trained THEN DATE '2023-01-01' END, ${checked}
       FROM unnest($1::text[], $2::boolean[], $3::boolean[]) WITH ORDINALITY AS s (commune, trained, matched, id)`,
    [column(rows.servants, 0), column(rows.servants, 1), column(rows.servants, 2)],
  );
  await databases.get('agriculture').query(
    `INSERT INTO agriculture.farm_household (id, head_pin, commune_code, registered_on, area_hectares, pin_check_status, pin_checked_at)
     SELECT id, ${pin}, commune, DATE '2020-01-01', 1.5, ${checked} FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS f (commune, matched, id)`,
    [column(rows.farms, 0), column(rows.farms, 1)],
  );
  await databases.get('agriculture').query(
    `INSERT INTO agriculture.crop_plot (id, farm_household_id, crop, area_hectares, season, year)
     SELECT id, id, 'RICE', 1.5, 'MAIN', 2023 FROM unnest($1::boolean[]) WITH ORDINALITY AS f (crops, id) WHERE crops`,
    [column(rows.farms, 2)],
  );
  for (const agency of databases.agencies)
    await databases.get(agency).transaction((session) => refreshMonthlyCounts(session, agencyCounts[agency]));
}

describe('complementary suppression through the gateway over a dataset made to need it (threshold 10)', () => {
  let test: TestSystem;
  let provinceOf: Map<string, string>;
  let listing: Map<string, Area>;
  let truth: Map<string, AreaTruth>;
  let cases: ComplementCase[];
  beforeAll(async () => {
    const databases = await openTestDatabases('postgres');
    try {
      await migrate(databases.get('population'), agencyMigrations.population);
      provinceOf = await provincesOfCommunes(databases);
      await loadPlan(databases, craftedPlan(provinceOf), provinceOf);
    } catch (error) {
      await databases.close();
      throw error;
    }
    test = await startTestSystem({ databases, disclosureMinimum: minimum });
    truth = disclosureTruth(await countsAsOf(databases, period.day), provinceOf, minimum);
    cases = complementCases(truth, provinceOf);
    listing = await listEveryArea(test);
  });
  afterAll(() => test?.stop());

  it('holds, in its raw counts, parents with exactly one child below the threshold, for every count', () => {
    const countsWithCase = (level: 'province' | 'commune') =>
      [...new Set(cases.filter((found) => (found.parent === 'VN') === (level === 'province')).map((found) => found.count))].sort();
    expect(countsWithCase('province')).toEqual([...countNames].sort());
    // Households have two communes below 10, so no complement there.
    expect(countsWithCase('commune')).toEqual(countNames.filter((count) => count !== 'households').sort());
    for (const found of cases) {
      expect(found.complementCount, `${found.parent} ${found.count}`).toBeGreaterThanOrEqual(minimum);
      // A unique smallest other child, so no tie-break decides which one is hidden.
      expect(found.tied, `${found.parent} ${found.count}`).toBe(false);
    }
    // The smallest others differ from count to count (but for activated e-IDs, all level 2 here): ten communes and ten provinces for thirteen counts.
    const complements = new Set(cases.map((found) => found.complement));
    expect([
      [...complements].filter((unit) => unit.length === 5).length,
      [...complements].filter((unit) => unit.length === 2).length,
    ]).toEqual([10, 10]);
  });

  it('hides the smallest other child of such a parent, for each indicator built on that count', () => {
    for (const found of cases) {
      for (const id of indicatorsUsing(found.count)) {
        expect(
          listing.get(found.complement)![id],
          `${found.complement} (${found.count} ${found.complementCount} among the children of ${found.parent}) ${id}`,
        ).toEqual({
          numerator: null,
          denominator: null,
          value: null,
          suppressed: true,
        });
      }
    }
  });

  it('hides exactly the counts below the threshold and their complements, count by count, at every level', () => {
    const problems = disagreements(listing.values(), truth);
    expect(problems.slice(0, 10), `${problems.length} figures disagree with the raw counts`).toEqual([]);
  });

  it('decides the same for a commune or province hidden as a complement when asked alone as among its siblings', async () => {
    // Communes first, then provinces.
    const complements = [...new Set(cases.map((found) => found.complement))].sort((a, b) => b.length - a.length || a.localeCompare(b));
    // Every indicator has some commune the raw counts hide only as a complement: both its counts at or above the threshold.
    const onlyAsComplement = (unit: string) =>
      indicatorIds.filter(
        (id) =>
          indicatorHidden(truth.get(unit)!, id) &&
          (indicatorCounts[id] as readonly string[]).every((count) => truth.get(unit)!.counts[count]! >= minimum),
      );
    expect([...new Set(complements.filter((unit) => unit.length === 5).flatMap(onlyAsComplement))].sort()).toEqual(
      [...indicatorIds].sort(),
    );
    for (const unit of complements) {
      const answer = await test.query<{ areaSeries: Area[] }>(
        `query ($unit: ID!, $period: String!) { areaSeries(unitCode: $unit, from: $period, to: $period) { unitCode ${selection} } }`,
        {
          unit,
          period: period.text,
        },
      );
      expect(answer.errors).toBeUndefined();
      const [alone] = answer.data!.areaSeries;
      for (const id of onlyAsComplement(unit)) expect(alone![id].suppressed, `${unit} ${id} asked alone`).toBe(true);
      expect(alone, `${unit} asked alone`).toEqual(listing.get(unit));
    }
  });

  it('decides the same for the communes of one province asked by parent', async () => {
    const province = cases.find((found) => found.parent !== 'VN')!.parent;
    const answer = await test.query<{ areaStats: Area[] }>(
      `query ($province: ID!, $period: String!) { areaStats(level: COMMUNE, period: $period, parentCode: $province) { unitCode ${selection} } }`,
      {
        province,
        period: period.text,
      },
    );
    expect(answer.errors).toBeUndefined();
    const communes = [...provinceOf].filter(([, parent]) => parent === province).map(([commune]) => commune);
    const byCode = (a: Area, b: Area) => a.unitCode.localeCompare(b.unitCode);
    expect([...answer.data!.areaStats].sort(byCode)).toEqual(communes.map((commune) => listing.get(commune)!).sort(byCode));
  });
});

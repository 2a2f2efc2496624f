import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countBound,
  countsAsOf,
  disclosureTruth,
  indicatorCounts,
  indicatorHidden,
  indicatorIds,
  provincesOfCommunes,
  type AreaTruth,
} from '../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const minimum = 10;
const period = { text: '2025-Q4', day: '2025-12-31' };
const selection = indicatorIds.map((id) => `${id} { numerator denominator value suppressed }`).join(' ');
type Value = { numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean };
type Area = { unitCode: string } & Record<(typeof indicatorIds)[number], Value>;

/** Every area of every level in the period, by unit code, as one analyst request lists them. */
async function listEveryArea(test: TestSystem, periodText: string): Promise<Map<string, Area>> {
  const answer = await test.query<Record<'nation' | 'provinces' | 'communes', Area[]>>(
    `query ($period: String!) {
       nation: areaStats(level: NATION, period: $period) { unitCode ${selection} }
       provinces: areaStats(level: PROVINCE, period: $period) { unitCode ${selection} }
       communes: areaStats(level: COMMUNE, period: $period) { unitCode ${selection} } }`,
    { period: periodText },
  );
  expect(answer.errors).toBeUndefined();
  const { nation, provinces, communes } = answer.data!;
  expect([nation.length, provinces.length, communes.length]).toEqual([1, 34, 3321]);
  return new Map([...nation, ...provinces, ...communes].map((area) => [area.unitCode, area]));
}

/** Where the gateway's figures differ from the counts disclosure control must publish from the raw ones. */
function disagreements(areas: Iterable<Area>, truth: ReadonlyMap<string, AreaTruth>): string[] {
  const problems: string[] = [];
  for (const area of areas) {
    const expected = truth.get(area.unitCode)!;
    for (const id of indicatorIds) {
      const [numerator, denominator] = indicatorCounts[id];
      const got = area[id];
      const agrees = indicatorHidden(expected, id)
        ? got.suppressed && got.numerator === null && got.denominator === null && got.value === null
        : !got.suppressed && got.numerator === expected.published[numerator] && got.denominator === expected.published[denominator];
      if (!agrees)
        problems.push(`${area.unitCode} ${id}: shown ${JSON.stringify(got)}, must publish ${JSON.stringify(expected.published)}`);
    }
  }
  return problems;
}

describe('disclosure control through the gateway over the shared dataset (threshold 10)', () => {
  let test: TestSystem;
  let listing: Map<string, Area>;
  let truth: Map<string, AreaTruth>;
  let provinceOf: Map<string, string>;
  beforeAll(async () => {
    test = await startTestSystem({ disclosureMinimum: minimum });
    provinceOf = await provincesOfCommunes(test.databases);
    truth = disclosureTruth(await countsAsOf(test.databases, period.day), provinceOf, minimum);
    listing = await listEveryArea(test, period.text);
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

  it('publishes exactly the perturbed counts of the method, hidden where they are below the threshold, at every level', () => {
    const problems = disagreements(listing.values(), truth);
    expect(problems.slice(0, 10), `${problems.length} figures disagree with the method`).toEqual([]);
  });

  it('perturbs: shown counts differ from the raw ones, never by more than the bound, and a part never reads above its whole', () => {
    let differ = 0;
    let compared = 0;
    for (const area of listing.values()) {
      const raw = truth.get(area.unitCode)!.counts;
      for (const id of indicatorIds) {
        const value = area[id];
        if (value.suppressed) continue;
        indicatorCounts[id].forEach((count, index) => {
          const shown = [value.numerator!, value.denominator!][index]!;
          expect(Math.abs(shown - raw[count]!), `${area.unitCode} ${id} ${count}`).toBeLessThanOrEqual(countBound(count));
          compared++;
          if (shown !== raw[count]) differ++;
        });
        if (!['ehrCoverage', 'ehrUsedInCare', 'civilServantsPer1000Residents', 'farmHouseholdsPer100Households'].includes(id))
          expect(value.numerator!, `${area.unitCode} ${id}`).toBeLessThanOrEqual(value.denominator!);
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(differ / compared).toBeGreaterThan(0.3);
  });

  it('gives a cell the same figures however and however often it is asked: alone, by parent, as a month, quarter or year, again, and in an export', async () => {
    // Communes and provinces the listing shows and hides, spread over the country.
    const shown = [...listing.values()].filter((area) => area.unitCode.length === 5 && !area.eIdAdoption.suppressed);
    const hidden = [...listing.values()].filter((area) => area.unitCode.length === 5 && area.eIdAdoption.suppressed);
    const units = [
      'VN',
      '01',
      '79',
      ...shown.filter((_, index) => index % 97 === 0),
      ...hidden.filter((_, index) => index % 211 === 0),
    ].map((area) => (typeof area === 'string' ? area : area.unitCode));
    expect(units.length).toBeGreaterThan(12);
    for (const unit of units) {
      for (const asked of ['2025-Q4', '2025', '2025-12']) {
        for (let time = 0; time < 2; time++) {
          const answer = await test.query<{ areaSeries: Area[] }>(
            `query ($unit: ID!, $period: String!) { areaSeries(unitCode: $unit, from: $period, to: $period) { unitCode ${selection} } }`,
            { unit, period: asked },
          );
          expect(answer.errors).toBeUndefined();
          expect(answer.data!.areaSeries[0], `${unit} asked alone as ${asked}`).toEqual(listing.get(unit));
        }
      }
    }
    const province = provinceOf.get(shown[0]!.unitCode)!;
    const byParent = await test.query<{ areaStats: Area[] }>(
      `query ($province: ID!) { areaStats(level: COMMUNE, period: "2025-12", parentCode: $province) { unitCode ${selection} } }`,
      { province },
    );
    expect(byParent.errors).toBeUndefined();
    for (const area of byParent.data!.areaStats) expect(area, `${area.unitCode} among its siblings`).toEqual(listing.get(area.unitCode));
    // The months of a year ending in December: the December one is the year's and the quarter's figure.
    const series = await test.query<{ areaSeries: Array<Area & { period: string }> }>(
      `{ areaSeries(unitCode: "${shown[0]!.unitCode}", from: "2025-10", to: "2025-12") { unitCode period ${selection} } }`,
    );
    const { period: _december, ...december } = series.data!.areaSeries.at(-1)!;
    expect(december).toEqual(listing.get(shown[0]!.unitCode));
    const csv = await fetch(new URL(`/export/area-stats.csv?level=COMMUNE&period=2025&parentCode=${province}`, test.system.gateway.url), {
      headers: test.analyst,
    });
    expect(csv.status).toBe(200);
    const [header, ...rows] = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const unit = row[header!.indexOf('unit_code')]!;
      for (const id of indicatorIds) {
        const value = listing.get(unit)![id].value;
        expect(row[header!.indexOf(id)], `${unit} ${id} in the export`).toBe(value === null ? '' : String(value));
      }
    }
  });
});

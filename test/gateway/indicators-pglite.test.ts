import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../scripts/seed/load.js';
import { openTestDatabases } from '../support/databases.js';
import {
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

const period = { text: '2025-Q4', day: '2025-12-31' };
const selection = indicatorIds.map((id) => `${id} { numerator denominator suppressed }`).join(' ');
type Area = { unitCode: string } & Record<IndicatorId, { numerator: number | null; denominator: number | null; suppressed: boolean }>;

// The default deployment keeps every agency in one embedded PGlite database: its aggregate SQL must give the same figures.
describe('indicators on the embedded database (PGlite), checked against the raw rows', () => {
  let test: TestSystem;
  let provinceOf: Map<string, string>;
  let truth: Map<string, AreaTruth>;
  beforeAll(async () => {
    const databases = await openTestDatabases('pglite');
    try {
      await seed(databases, { citizens: 1_500, seed: 13, asOf: '2025-12-31' });
    } catch (error) {
      await databases.close();
      throw error;
    }
    // A threshold of 1 hides only counts published as 0, so most figures are compared.
    test = await startTestSystem({ databases, disclosureMinimum: 1 });
    provinceOf = await provincesOfCommunes(databases);
    truth = disclosureTruth(await countsAsOf(databases, period.day), provinceOf, 1);
  });
  afterAll(() => test?.stop());

  it('serves every agency from the one embedded database', () => {
    expect(test.databases.agencies.map((agency) => test.databases.get(agency).driver)).toEqual(['pglite', 'pglite', 'pglite', 'pglite']);
    // One PGlite instance: each agency's source is a read-only handle on its source schema, the store a writable one.
    expect(test.databases.pglite).toBeDefined();
    expect(test.databases.store.driver).toBe('pglite');
    expect(test.databases.agencies.every((agency) => test.databases.sharesStore(agency))).toBe(true);
  });

  it.each(['PROVINCE', 'COMMUNE'] as const)('agrees for every %s', async (level) => {
    const answer = await test.query<{ areaStats: Area[] }>(
      `query ($period: String!) { areaStats(level: ${level}, period: $period) { unitCode ${selection} } }`,
      { period: period.text },
    );
    expect(answer.errors).toBeUndefined();
    const areas = answer.data!.areaStats;
    const units = level === 'PROVINCE' ? [...new Set(provinceOf.values())] : [...provinceOf.keys()];
    expect(areas.map((area) => area.unitCode).sort()).toEqual(units.sort());
    const problems: string[] = [];
    let shown = 0;
    for (const area of areas) {
      const expected = truth.get(area.unitCode)!;
      for (const id of indicatorIds) {
        const [numerator, denominator] = indicatorCounts[id];
        const wanted = indicatorHidden(expected, id)
          ? { numerator: null, denominator: null, suppressed: true }
          : { numerator: expected.published[numerator], denominator: expected.published[denominator], suppressed: false };
        const got = area[id];
        if (got.numerator !== wanted.numerator || got.denominator !== wanted.denominator || got.suppressed !== wanted.suppressed) {
          problems.push(`${area.unitCode} ${id}: got ${JSON.stringify(got)}, want ${JSON.stringify(wanted)}`);
        }
        if (!got.suppressed) shown++;
      }
    }
    expect(problems.slice(0, 10), `${problems.length} figures disagree with the raw counts`).toEqual([]);
    // Not vacuous: the unreconciled match indicators are hidden, but many other figures are shown.
    expect(shown).toBeGreaterThan(level === 'PROVINCE' ? 34 * 6 * 0.5 : 500);
  });
});

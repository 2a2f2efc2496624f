import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorById, targetIn } from '../../platform/indicators/catalog.js';
import { gatewayPinLookup, reconcile } from '../../scripts/reconcile/reconcile.js';
import { seed } from '../../scripts/seed/load.js';
import { openTestDatabases } from '../support/databases.js';
import {
  countBound,
  countsAsOf,
  disclosureTruth,
  indicatorCounts,
  indicatorHidden,
  indicatorIds,
  pinChecks,
  provincesOfCommunes,
  type AreaTruth,
  type IndicatorId,
} from '../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** Each indicator's scale (per cent, per 1,000, per 100), as its name and docs/indicators.md state it; all are better higher but one that only informs. */
const scale: Record<IndicatorId, number> = {
  eIdAdoption: 100,
  eIdLevel2Share: 100,
  ehrUsedInCare: 100,
  farmHouseholdsWithCropRecords: 100,
  ehrCoverage: 100,
  ehrActiveUse: 100,
  civilServantDigitalSkills: 100,
  civilServantsPer1000Residents: 1000,
  farmHouseholdsPer100Households: 100,
  civilServantPinMatch: 100,
  farmHeadPinMatch: 100,
};
const informsOnly: ReadonlySet<IndicatorId> = new Set(['civilServantsPer1000Residents']);
const selection = indicatorIds.map((id) => `${id} { numerator denominator value target gap meetsTarget suppressed }`).join(' ');

type Value = {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  target: number | null;
  gap: number | null;
  meetsTarget: boolean | null;
  suppressed: boolean;
};
type Area = { unitCode: string } & Record<IndicatorId, Value>;

const round2 = (value: number) => Math.round(value * 100) / 100;

/** An indicator's figure as it must read, from the counts disclosure control publishes from the raw ones (independent-counts.ts), and the year's target in the catalogue. */
function expectedValue(truth: AreaTruth, id: IndicatorId, year: number): Value {
  const target = targetIn(indicatorById(id), year)?.value ?? null;
  if (indicatorHidden(truth, id))
    return { numerator: null, denominator: null, value: null, target, gap: null, meetsTarget: null, suppressed: true };
  const [numerator, denominator] = (indicatorCounts[id] as readonly string[]).map((count) => truth.published[count]!) as [number, number];
  const value = denominator === 0 ? null : round2((numerator / denominator) * scale[id]);
  const gap = value === null || target === null ? null : round2(value - target);
  return {
    numerator,
    denominator,
    value,
    target,
    gap,
    meetsTarget: gap === null || informsOnly.has(id) ? null : gap >= 0,
    suppressed: false,
  };
}

describe('indicators across agencies, checked against the raw rows', () => {
  let test: TestSystem;
  let provinceOf: Map<string, string>;
  let now: Date;
  const plans: unknown[] = [];
  beforeAll(async () => {
    const databases = await openTestDatabases('postgres');
    await seed(databases, { citizens: 6_000, seed: 21, asOf: '2025-12-31' });
    // A disclosure threshold of 1 hides only counts published as 0, so nearly every figure can be compared.
    test = await startTestSystem({ databases, disclosureMinimum: 1, onQueryPlan: (plan) => plans.push(plan) });
    for (const agency of ['civil-service', 'agriculture'] as const) {
      const report = await reconcile(databases.get(agency), agency, gatewayPinLookup(test.system.gateway.url, test.analyst));
      expect(report).toMatchObject({ finished: true });
      expect(report.matched / report.checked).toBeGreaterThan(0.97);
      expect(report.matched).toBeLessThan(report.checked);
      // The match counts below read these statuses: each must say whether a citizen really has the PIN.
      const checks = await pinChecks(databases, agency);
      expect(checks.filter((check) => check.status !== (check.citizen ? 'MATCHED' : 'UNMATCHED'))).toEqual([]);
    }
    // The month the counts were rebuilt in, in UTC as the refresh takes it.
    now = new Date();
    provinceOf = await provincesOfCommunes(databases);
  });
  afterAll(() => test?.stop());

  /** Every figure of the areas against the raw counts; returns how many the gateway showed. */
  function expectAgreement(areas: Area[], truth: ReadonlyMap<string, AreaTruth>, year: number): number {
    const problems: string[] = [];
    let shown = 0;
    for (const area of areas) {
      for (const id of indicatorIds) {
        const wanted = expectedValue(truth.get(area.unitCode)!, id, year);
        const got = area[id];
        const agrees =
          Object.keys(got).length === Object.keys(wanted).length &&
          (Object.keys(wanted) as Array<keyof Value>).every((key) => got[key] === wanted[key]);
        if (!agrees) problems.push(`${area.unitCode} ${id}: got ${JSON.stringify(area[id])}, want ${JSON.stringify(wanted)}`);
        if (!got.suppressed) shown++;
        // Shown counts are the raw ones give or take the noise the method allows, no more.
        const raw = truth.get(area.unitCode)!.counts;
        (indicatorCounts[id] as readonly string[]).forEach((count, index) => {
          const shownCount = [got.numerator, got.denominator][index];
          if (shownCount !== null && Math.abs(shownCount! - raw[count]!) > countBound(count))
            problems.push(`${area.unitCode} ${id}: ${count} shown ${shownCount}, raw ${raw[count]}, beyond ±${countBound(count)}`);
        });
      }
    }
    expect(problems.slice(0, 10), `${problems.length} figures disagree with the raw counts`).toEqual([]);
    return shown;
  }

  /** How many figures of the areas the raw counts say must be shown. */
  const expectedShown = (units: Iterable<string>, truth: ReadonlyMap<string, AreaTruth>) =>
    [...units].reduce((total, unit) => total + indicatorIds.filter((id) => !indicatorHidden(truth.get(unit)!, id)).length, 0);

  // PINs are checked today, so match figures exist only from the current period on: a past period shows them as 0 (hidden).
  const periods = [
    { name: '2024', text: () => '2024', matched: false },
    { name: '2025-Q2', text: () => '2025-Q2', matched: false },
    { name: 'the current month', text: () => now.toISOString().slice(0, 7), matched: true },
  ];
  for (const period of periods) {
    describe(`period ${period.name}`, () => {
      let truth: Map<string, AreaTruth>;
      let text: string;
      let year: number;
      beforeAll(async () => {
        text = period.text();
        year = Number(text.slice(0, 4));
        const lastMonth = text.length === 4 ? 12 : text.includes('Q') ? Number(text.slice(-1)) * 3 : Number(text.slice(5, 7));
        const day = new Date(Date.UTC(year, lastMonth, 0)).toISOString().slice(0, 10);
        truth = disclosureTruth(await countsAsOf(test.databases, day), provinceOf, 1);
      });

      const areasOf = async (level: 'NATION' | 'PROVINCE' | 'COMMUNE') => {
        const answer = await test.query<{ areaStats: Area[] }>(
          `query ($period: String!) { areaStats(level: ${level}, period: $period) { unitCode ${selection} } }`,
          { period: text },
        );
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        return answer.data!.areaStats;
      };

      it('agrees at the nation level', async () => {
        const areas = await areasOf('NATION');
        expect(areas.map((area) => area.unitCode)).toEqual(['VN']);
        // Before reconciliation ran, the two PIN-match indicators count nothing: a threshold of 1 hides them unless the noise
        // of the matched part (its whole's less their difference's) lifts it to 1 or more, as the independent method says.
        const shown = expectAgreement(areas, truth, year);
        expect(shown).toBe(expectedShown(['VN'], truth));
        expect(shown).toBeGreaterThanOrEqual(indicatorIds.length - 2);
      });

      it('agrees for every province, each the sum of the communes the population database places in it', async () => {
        const areas = await areasOf('PROVINCE');
        expect(areas.map((area) => area.unitCode).sort()).toEqual([...new Set(provinceOf.values())].sort());
        const shown = expectAgreement(areas, truth, year);
        expect(shown).toBe(
          expectedShown(
            areas.map((area) => area.unitCode),
            truth,
          ),
        );
        expect(shown).toBeGreaterThan(34 * (period.matched ? 8 : 6) * 0.8);
      });

      it('agrees for every commune', async () => {
        const areas = await areasOf('COMMUNE');
        expect(areas.map((area) => area.unitCode).sort()).toEqual([...provinceOf.keys()].sort());
        const shown = expectAgreement(areas, truth, year);
        expect(shown).toBe(expectedShown(provinceOf.keys(), truth));
        expect(shown).toBeGreaterThan(1_000);
      });
    });
  }

  it('answers 34 provinces with indicators of three agencies in one population fetch, then one parallel fetch per agency, one SQL statement each', async () => {
    // Counts are read from the store, one schema per agency (store_<agency>); the agencies' sources are not read at all.
    const statements = new Map<string, number>();
    const count = (name: string) => statements.set(name, (statements.get(name) ?? 0) + 1);
    const stops = [
      test.subgraphDatabases.store.onStatement((text) => count(/\bstore_([a-z_]+)\./.exec(text)?.[1]?.replaceAll('_', '-') ?? 'store')),
      ...test.subgraphDatabases.agencies.map((agency) =>
        test.subgraphDatabases.get(agency).onStatement(() => count(`source of ${agency}`)),
      ),
    ];
    plans.length = 0;
    const answer = await test.query(
      `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode eIdAdoption { value } ehrCoverage { value } civilServantsPer1000Residents { value } farmHouseholdsPer100Households { value } } }`,
    );
    stops.forEach((stop) => stop());
    expect(answer.errors).toBeUndefined();
    expect(plans).toHaveLength(1);
    const plan = plans[0] as {
      node: {
        kind: string;
        nodes: Array<{ kind: string; serviceName?: string; nodes?: Array<{ kind: string; node: { kind: string; serviceName: string } }> }>;
      };
    };
    expect(plan.node.kind).toBe('Sequence');
    const [first, second] = plan.node.nodes;
    expect(plan.node.nodes).toHaveLength(2);
    expect(first).toMatchObject({ kind: 'Fetch', serviceName: 'population' });
    expect(second!.kind).toBe('Parallel');
    expect(second!.nodes!.map((node) => `${node.kind}:${node.node.kind}:${node.node.serviceName}`).sort()).toEqual([
      'Flatten:Fetch:agriculture',
      'Flatten:Fetch:civil-service',
      'Flatten:Fetch:health',
    ]);
    expect(Object.fromEntries(statements)).toEqual({ population: 1, health: 1, 'civil-service': 1, agriculture: 1 });
  });

  it('gives a series of periods for one area, rising e-ID adoption over the years', async () => {
    const answer = await test.query<{ areaSeries: Array<{ period: string; eIdAdoption: Value }> }>(
      `{ areaSeries(unitCode: "VN", from: "2022", to: "2025") { period asOf eIdAdoption { numerator value } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const series = answer.data!.areaSeries;
    expect(series.map((entry) => entry.period)).toEqual(['2022', '2023', '2024', '2025']);
    const values = series.map((entry) => entry.eIdAdoption.value!);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(values[3]).toBeGreaterThan(values[0]!);
  });

  it('links each value to its definition and task in the indicators subgraph', async () => {
    const answer = await test.query<{
      areaStats: Array<{ ehrCoverage: { target: number; indicator: { task: { number: number }; unit: string } } }>;
    }>(`{ areaStats(level: NATION, period: "2022") { ehrCoverage { target indicator { id unit task { number nameVi } } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.areaStats[0]!.ehrCoverage).toMatchObject({ target: 90, indicator: { unit: 'PERCENT', task: { number: 4 } } });
  });

  it.each([
    ['a malformed period', `{ areaStats(level: PROVINCE, period: "2025-Q7") { unitCode } }`, /period must be a year/],
    ['a future period', `{ areaStats(level: PROVINCE, period: "${new Date().getUTCFullYear() + 1}") { unitCode } }`, /has not begun/],
    ['an unknown unit', `{ areaSeries(unitCode: "98", from: "2024", to: "2025") { period } }`, /no administrative unit has code "98"/],
    ['a series of mixed kinds', `{ areaSeries(unitCode: "VN", from: "2024", to: "2025-Q1") { period } }`, /one kind/],
  ])('refuses %s with BAD_USER_INPUT', async (_case, query, message) => {
    const answer = await test.query(query);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(message) });
  });

  it('never lets a client select the raw denominators', async () => {
    const answer = await test.query(`{ areaStats(level: NATION, period: "2025") { residentCount householdCount } }`);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});

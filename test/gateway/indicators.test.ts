import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCommuneCodes, provinceOfCommune } from '../../subgraphs/runtime/administrative-codes.js';
import { gatewayPinLookup, reconcile } from '../../scripts/reconcile/reconcile.js';
import { seed } from '../../scripts/seed/load.js';
import { openTestDatabases } from '../support/databases.js';
import { countsAsOf, sumOver, type CommuneCounts } from '../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** Each indicator with the counts it divides, as the catalogue defines it. */
const indicators = {
  eIdAdoption: ['eid_level2', 'residents_14_plus'],
  ehrCoverage: ['records', 'residents'],
  ehrActiveUse: ['active_records_12m', 'records'],
  civilServantDigitalSkills: ['in_service_trained', 'in_service'],
  civilServantsPer1000Residents: ['in_service', 'residents'],
  farmHouseholdsPer100Households: ['farm_households', 'households'],
  civilServantPinMatch: ['in_service_pin_matched', 'in_service'],
  farmHeadPinMatch: ['pin_matched', 'farm_households'],
} as const;
const selection = Object.keys(indicators)
  .map((id) => `${id} { numerator denominator value suppressed }`)
  .join(' ');

type Value = { numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean };
type Area = { unitCode: string } & Record<string, Value>;

describe('indicators across agencies, checked against the raw rows', () => {
  let test: TestSystem;
  const plans: unknown[] = [];
  beforeAll(async () => {
    const databases = await openTestDatabases('postgres');
    await seed(databases, { citizens: 6_000, seed: 21, asOf: '2025-12-31' });
    // A disclosure threshold of 1 hides only zero counts, so nearly every figure can be compared.
    test = await startTestSystem({ databases, disclosureMinimum: 1, onQueryPlan: (plan) => plans.push(plan) });
    for (const agency of ['civil-service', 'agriculture'] as const) {
      const report = await reconcile(databases.get(agency), agency, gatewayPinLookup(test.system.gateway.url, test.analyst));
      expect(report).toMatchObject({ finished: true });
      expect(report.matched / report.checked).toBeGreaterThan(0.97);
      expect(report.matched).toBeLessThan(report.checked);
    }
  });
  afterAll(() => test?.stop());

  const communesOf = (province: string) => officialCommuneCodes.filter((code) => provinceOfCommune.get(code) === province);

  function expectAgreement(area: Area, expected: Record<string, number>): number {
    let compared = 0;
    for (const [id, [numerator, denominator]] of Object.entries(indicators)) {
      const value = area[id]!;
      const wanted = { numerator: expected[numerator] ?? 0, denominator: expected[denominator] ?? 0 };
      if (value.suppressed) {
        expect(value, `${area.unitCode} ${id}`).toMatchObject({ numerator: null, denominator: null, value: null });
        continue;
      }
      expect({ numerator: value.numerator, denominator: value.denominator }, `${area.unitCode} ${id}`).toEqual(wanted);
      expect(wanted.numerator).toBeGreaterThanOrEqual(1);
      compared++;
    }
    return compared;
  }

  // PINs are checked today, so match figures exist only from the current period on: a past period shows them as 0 (hidden).
  const now = new Date();
  const currentMonth = { text: now.toISOString().slice(0, 7), day: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10), matched: true };
  for (const period of [{ text: '2024', day: '2024-12-31', matched: false }, { text: '2025-Q2', day: '2025-06-30', matched: false }, currentMonth]) {
    describe(`period ${period.text}`, () => {
      let counts: CommuneCounts;
      beforeAll(async () => {
        counts = await countsAsOf(test.databases, period.day);
      });

      it('agrees at the nation level', async () => {
        const answer = await test.query<{ areaStats: Area[] }>(`query ($period: String!) { areaStats(level: NATION, period: $period) { unitCode ${selection} } }`, { period: period.text });
        expect(answer.errors).toBeUndefined();
        expect(expectAgreement(answer.data!.areaStats[0]!, sumOver(counts, officialCommuneCodes))).toBe(period.matched ? 8 : 6);
      });

      it('agrees for every province', async () => {
        const answer = await test.query<{ areaStats: Area[] }>(`query ($period: String!) { areaStats(level: PROVINCE, period: $period) { unitCode ${selection} } }`, { period: period.text });
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.areaStats).toHaveLength(34);
        let compared = 0;
        for (const area of answer.data!.areaStats) compared += expectAgreement(area, sumOver(counts, communesOf(area.unitCode)));
        expect(compared).toBeGreaterThan(34 * (period.matched ? 8 : 6) * 0.8);
      });

      it('agrees for every commune', async () => {
        const answer = await test.query<{ areaStats: Area[] }>(`query ($period: String!) { areaStats(level: COMMUNE, period: $period) { unitCode ${selection} } }`, { period: period.text });
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.areaStats).toHaveLength(3321);
        let compared = 0;
        for (const area of answer.data!.areaStats) compared += expectAgreement(area, sumOver(counts, [area.unitCode]));
        expect(compared).toBeGreaterThan(1_000);
      });
    });
  }

  it('answers 34 provinces with indicators of three agencies in one population fetch, then one parallel fetch per agency, one SQL statement each', async () => {
    const statements = new Map<string, number>();
    const stops = test.databases.agencies.map((agency) => test.databases.get(agency).onStatement(() => statements.set(agency, (statements.get(agency) ?? 0) + 1)));
    plans.length = 0;
    const answer = await test.query(
      `{ areaStats(level: PROVINCE, period: "2025-Q4") { unitCode eIdAdoption { value } ehrCoverage { value } civilServantsPer1000Residents { value } farmHouseholdsPer100Households { value } } }`,
    );
    stops.forEach((stop) => stop());
    expect(answer.errors).toBeUndefined();
    expect(plans).toHaveLength(1);
    const plan = plans[0] as { node: { kind: string; nodes: Array<{ kind: string; serviceName?: string; nodes?: Array<{ kind: string; node: { kind: string; serviceName: string } }> }> } };
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
    const answer = await test.query<{ areaStats: Array<{ ehrCoverage: { target: number; indicator: { task: { number: number }; unit: string } } }> }>(
      `{ areaStats(level: NATION, period: "2022") { ehrCoverage { target indicator { id unit task { number nameVi } } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.areaStats[0]!.ehrCoverage).toMatchObject({ target: 90, indicator: { unit: 'PERCENT', task: { number: 4 } } });
  });

  it.each([
    ['a malformed period', `{ areaStats(level: PROVINCE, period: "2025-Q7") { unitCode } }`, /period must be a year/],
    ['a future period', `{ areaStats(level: PROVINCE, period: "2031") { unitCode } }`, /has not begun/],
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayPinLookup, reconcile } from '../../scripts/reconcile/reconcile.js';
import { seed } from '../../scripts/seed/load.js';
import { attack, type AttackResult, type Publication, type ShownArea } from '../support/disclosure-attacks.js';
import { cellKeyMethod, suppressionMethod, suppressionPublication } from '../support/disclosure-methods.js';
import { NonRecoveryProver } from '../support/disclosure-witness.js';
import { openTestDatabases } from '../support/databases.js';
import { describeUtility, mean, measureUtility } from '../support/disclosure-utility.js';
import { countsAsOf, disclosureTruth, indicatorIds, provincesOfCommunes, type AreaTruth } from '../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The differencing attacks of issue 17 on generated data through the real
 * gateway and subgraphs (docs/disclosure.md): the figures of every area for
 * six adjacent months and the current one, attacked by every route at once.
 * The same attacks on what the method before published from the same raw
 * counts recover many small counts: the suite can fail.
 */
const minimum = 10;
const selection = indicatorIds.map((id) => `${id} { numerator denominator value suppressed }`).join(' ');
type Area = { unitCode: string } & Record<
  string,
  { numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean }
>;
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

describe('differencing attacks on the published figures (threshold 10)', () => {
  let test: TestSystem;
  let provinceOf: Map<string, string>;
  const months = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', new Date().toISOString().slice(0, 7)];
  const truths = new Map<string, Map<string, AreaTruth>>();
  const published: Publication = new Map();
  const listings = new Map<string, Map<string, Area>>();

  const listEveryArea = async (period: string) => {
    const answer = await test.query<Record<'nation' | 'provinces' | 'communes', Area[]>>(
      `query ($period: String!) {
         nation: areaStats(level: NATION, period: $period) { unitCode ${selection} }
         provinces: areaStats(level: PROVINCE, period: $period) { unitCode ${selection} }
         communes: areaStats(level: COMMUNE, period: $period) { unitCode ${selection} } }`,
      { period },
    );
    expect(answer.errors).toBeUndefined();
    const { nation, provinces, communes } = answer.data!;
    return new Map([...nation, ...provinces, ...communes].map((area) => [area.unitCode, area]));
  };

  beforeAll(async () => {
    const databases = await openTestDatabases('postgres');
    try {
      await seed(databases, { citizens: 60_000, seed: 17, asOf: '2025-12-31' });
    } catch (error) {
      await databases.close();
      throw error;
    }
    test = await startTestSystem({ databases, disclosureMinimum: minimum });
    // PINs are checked now: the current month's match counts are the civil-servant route of the issue (matched against in service).
    for (const agency of ['civil-service', 'agriculture'] as const)
      await reconcile(databases.get(agency), agency, gatewayPinLookup(test.system.gateway.url, test.analyst));
    provinceOf = await provincesOfCommunes(databases);
    for (const month of months) {
      truths.set(month, disclosureTruth(await countsAsOf(databases, lastDay(month)), provinceOf, minimum));
      const listing = await listEveryArea(month);
      listings.set(month, listing);
      published.set(month, new Map([...listing].map(([unit, { unitCode: _code, ...area }]) => [unit, area as ShownArea])));
    }
  }, 600_000);
  afterAll(() => test?.stop());

  const report = (name: string, result: AttackResult) =>
    console.info(
      `${name}: ${result.small} small counts (${result.zeros} zeros) attacked; ${result.recovered} recovered with certainty` +
        ` [${result.recoveredExamples.join('; ')}]; best guess exact for ${result.bestGuessHits} (${((100 * result.bestGuessHits) / result.small).toFixed(1)}%),` +
        ` naive guess for ${result.naiveHits} (${((100 * result.naiveHits) / result.small).toFixed(1)}%);` +
        ` of the ${result.small - result.zeros} above 0: best ${result.bestGuessHitsAboveZero}, naive ${result.naiveHitsAboveZero}`,
    );

  it('asks overlapping periods and single areas for the same cells: a quarter or year reads as its last month, an area alone as in a listing', async () => {
    for (const [period, month] of [
      ['2025-Q3', '2025-09'],
      ['2025-Q4', '2025-12'],
      ['2025', '2025-12'],
    ] as const) {
      expect(await listEveryArea(period), `${period} against ${month}`).toEqual(listings.get(month));
    }
    const units = ['VN', '01', ...[...provinceOf.keys()].filter((_, index) => index % 331 === 0)];
    for (const unit of units) {
      const answer = await test.query<{ areaSeries: Area[] }>(
        `query ($unit: ID!) { areaSeries(unitCode: $unit, from: "2025-07", to: "2025-12") { unitCode ${selection} } }`,
        { unit },
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.areaSeries, unit).toEqual(months.slice(0, 6).map((month) => listings.get(month)!.get(unit)));
    }
  });

  it('recovers no small count with certainty by any route, alone or combined', () => {
    const result = attack(cellKeyMethod(minimum), published, truths, provinceOf);
    report('cell-key method', result);
    expect(result.conflicts).toEqual([]);
    expect(result.small).toBeGreaterThan(10_000);
    expect(result.recovered, result.recoveredExamples.join('; ')).toBe(0);
    // Proved not recovered: another world publishing the same figures gives the count another value.
    const proof = new NonRecoveryProver(cellKeyMethod(minimum), published, truths, provinceOf).count();
    console.info(`cell-key method: ${proof.proved} of ${proof.small} small counts proved not recovered [${proof.unproved.join('; ')}]`);
    expect(proof.small).toBe(result.small);
    // The search for another world is local (one cell and the sums above it, within a few moves): it proves almost all, and
    // what it leaves is not shown recovered either (the figures are in docs/disclosure.md).
    expect(proof.proved / proof.small).toBeGreaterThan(0.95);
    // The best guess, every route combined, is right less often than against the method before.
    const before = attack(suppressionMethod(minimum), beforePublication(), truths, provinceOf);
    expect(result.bestGuessHits / result.small).toBeLessThan(before.bestGuessHits / before.small);
  });

  const beforePublication = (): Publication =>
    new Map(months.map((month) => [month, suppressionPublication(truths.get(month)!, provinceOf, minimum)]));

  it('is able to fail: the same attacks on the figures the method before published recover many small counts', () => {
    const result = attack(suppressionMethod(minimum), beforePublication(), truths, provinceOf);
    report('method before (suppression with one complement)', result);
    expect(result.conflicts).toEqual([]);
    expect(result.recovered).toBeGreaterThan(100);
    // The proof of non-recovery never proves a count this attack recovers: it too can tell.
    const proof = new NonRecoveryProver(suppressionMethod(minimum), beforePublication(), truths, provinceOf).count();
    console.info(`method before: ${proof.proved} of ${proof.small} small counts proved not recovered`);
    expect(proof.proved).toBeLessThanOrEqual(result.small - result.recovered);
  });

  // The aim is under 0.5% at province level. Provinces here hold about 1,750 people and 30 civil servants, a
  // fifth of those of disclosure-utility.test.ts (which asserts the aim), and the error of a figure falls as its counts
  // grow: 1.3% is what this dataset gives.
  it('keeps every shown figure within its documented bound of the raw one, and province figures within 2% on average at this scale', () => {
    const report = measureUtility(listings, truths, new Set(provinceOf.values()));
    expect(report.problems.slice(0, 10), `${report.problems.length} figures beyond their bound`).toEqual([]);
    console.info(`utility: ${describeUtility(report)}`);
    expect(report.errors.length).toBeGreaterThan(34 * 9 * months.length * 0.9);
    expect(mean(report.errors)).toBeLessThan(0.02);
    expect(mean(report.large)).toBeLessThan(0.01);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayPinLookup, reconcile } from '../../scripts/reconcile/reconcile.js';
import { seed } from '../../scripts/seed/load.js';
import { openTestDatabases } from '../support/databases.js';
import { describeUtility, mean, measureUtility, type ShownFigure, type UtilityReport } from '../support/disclosure-utility.js';
import {
  countNames,
  countsAsOf,
  disclosureTruth,
  indicatorCounts,
  indicatorHidden,
  indicatorIds,
  provincesOfCommunes,
  type AreaTruth,
} from '../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The utility aim of issue 17 (docs/disclosure.md, "How it was tested"): at
 * province level the mean absolute relative error of published values against
 * the raw ones under 0.5%, and every figure within its documented bound. The
 * noise is at most ±2 per cell whatever the count, so the error of a figure
 * falls as its counts grow; the 60,000 citizens of disclosure-attacks.test.ts
 * give provinces about 1,750 residents, this dataset five times that (real
 * ones hold some 3 million).
 */
// 250,000 gave 0.44% (the civil-servant indicators 2.0% and 1.3%), 200,000 0.46%: 300,000 (0.31%) is the smallest
// size tried clearly under the aim, and about 2 minutes on a loaded two-core machine.
const citizens = 300_000;
const minimum = 10;
const selection = indicatorIds.map((id) => `${id} { numerator denominator value suppressed }`).join(' ');
type Area = { unitCode: string } & Record<string, ShownFigure>;
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

describe(`utility of the published figures over ${citizens.toLocaleString('en')} citizens (threshold ${minimum})`, () => {
  let test: TestSystem;
  let provinceOf: Map<string, string>;
  // Two past months, and the current one: PINs are checked now, so only it has match figures.
  const months = ['2025-06', '2025-12', new Date().toISOString().slice(0, 7)];
  const truths = new Map<string, Map<string, AreaTruth>>();
  const listings = new Map<string, Map<string, Area>>();
  let report: UtilityReport;

  beforeAll(async () => {
    const started = performance.now();
    const lap = (what: string) => console.info(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const databases = await openTestDatabases('postgres');
    try {
      await seed(
        databases,
        { citizens, seed: 17, asOf: '2025-12-31' },
        { onProgress: (done) => done === citizens && lap('generated and loaded') },
      );
    } catch (error) {
      await databases.close();
      throw error;
    }
    lap('seeded');
    test = await startTestSystem({ databases, disclosureMinimum: minimum });
    for (const agency of ['civil-service', 'agriculture'] as const)
      await reconcile(databases.get(agency), agency, gatewayPinLookup(test.system.gateway.url, test.analyst));
    lap('PINs checked');
    provinceOf = await provincesOfCommunes(databases);
    for (const month of months) {
      truths.set(month, disclosureTruth(await countsAsOf(databases, lastDay(month)), provinceOf, minimum));
      const answer = await test.query<Record<'nation' | 'provinces', Area[]>>(
        `query ($period: String!) {
           nation: areaStats(level: NATION, period: $period) { unitCode ${selection} }
           provinces: areaStats(level: PROVINCE, period: $period) { unitCode ${selection} } }`,
        { period: month },
      );
      expect(answer.errors).toBeUndefined();
      listings.set(month, new Map([...answer.data!.nation, ...answer.data!.provinces].map((area) => [area.unitCode, area])));
    }
    lap('recounted and listed');
    report = measureUtility(listings, truths, new Set(provinceOf.values()));
  }, 240_000);
  afterAll(() => test?.stop());

  it('publishes the nation and province figures disclosure control computes from the raw rows, each within its documented bound', () => {
    const problems: string[] = [];
    for (const [month, listing] of listings) {
      expect(listing.size, month).toBe(35);
      for (const [unit, area] of listing) {
        const truth = truths.get(month)!.get(unit)!;
        for (const id of indicatorIds) {
          const { numerator, denominator, suppressed } = area[id]!;
          const wanted = indicatorHidden(truth, id) ? [null, null] : indicatorCounts[id].map((count) => truth.published[count]);
          if (suppressed !== indicatorHidden(truth, id) || numerator !== wanted[0] || denominator !== wanted[1])
            problems.push(`${month} ${unit} ${id}: ${JSON.stringify(area[id])}, want ${JSON.stringify(wanted)}`);
        }
      }
    }
    expect(problems.slice(0, 10), `${problems.length} figures differ`).toEqual([]);
    expect(report.problems.slice(0, 10), `${report.problems.length} figures beyond their bound`).toEqual([]);
    console.info(`${report.checked} nation and province figures shown, every one within its bound`);
    expect(report.errors.length).toBeGreaterThan(34 * 9 * months.length * 0.95);
    // Every indicator of every area in each month, but the match ones before PINs were checked and the two of records in
    // use in the current month (no encounter is generated after the dataset's day, so none is in use now).
    expect(report.checked).toBeGreaterThan(35 * 9 * months.length * 0.95);
  });

  it('keeps the mean absolute relative error of province values under 0.5%', () => {
    console.info(`utility over ${citizens.toLocaleString('en')} citizens: ${describeUtility(report)}`);
    // What a province holds here, for the record (docs/disclosure.md): the error of a value falls as its counts grow.
    const december = [...new Set(provinceOf.values())].map((unit) => truths.get('2025-12')!.get(unit)!);
    console.info(
      `a province on 2025-12-31, on average (smallest, median): ` +
        countNames
          .map((count) => {
            const values = december.map((truth) => truth.counts[count]!).sort((a, b) => a - b);
            return `${count} ${Math.round(mean(values))} (${values[0]}, ${values[values.length >> 1]})`;
          })
          .join(', '),
    );
    expect([...report.byIndicator.keys()].sort()).toEqual([...indicatorIds].sort());
    expect(mean(report.errors)).toBeLessThan(0.005);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provinceOfCommune } from '../../subgraphs/runtime/administrative-codes.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const indicatorIds = [
  'eIdAdoption',
  'ehrCoverage',
  'ehrActiveUse',
  'civilServantDigitalSkills',
  'civilServantsPer1000Residents',
  'farmHouseholdsPer100Households',
  'civilServantPinMatch',
  'farmHeadPinMatch',
];
type Value = { numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean };
type Area = { unitCode: string } & Record<string, Value>;

describe('disclosure control through the gateway (threshold 10)', () => {
  let test: TestSystem;
  let provinces: Area[];
  let communes: Area[];
  beforeAll(async () => {
    test = await startTestSystem({ disclosureMinimum: 10 });
    const selection = indicatorIds.map((id) => `${id} { numerator denominator value suppressed }`).join(' ');
    const answer = await test.query<{ provinces: Area[]; communes: Area[] }>(
      `{ provinces: areaStats(level: PROVINCE, period: "2025-Q4") { unitCode ${selection} } communes: areaStats(level: COMMUNE, period: "2025-Q4") { unitCode ${selection} } }`,
    );
    expect(answer.errors).toBeUndefined();
    provinces = answer.data!.provinces;
    communes = answer.data!.communes;
  });
  afterAll(() => test?.stop());

  it('never shows a count below the threshold, and hides all of a suppressed value', () => {
    let hidden = 0;
    for (const area of [...provinces, ...communes]) {
      for (const id of indicatorIds) {
        const value = area[id]!;
        if (value.suppressed) {
          hidden++;
          expect(value).toMatchObject({ numerator: null, denominator: null, value: null });
        } else {
          expect(value.numerator!, `${area.unitCode} ${id}`).toBeGreaterThanOrEqual(10);
          expect(value.denominator!, `${area.unitCode} ${id}`).toBeGreaterThanOrEqual(10);
        }
      }
    }
    // The shared dataset is small: most communes hold fewer than 10 people of anything.
    expect(hidden).toBeGreaterThan(3321 * 4);
  });

  it('never hides exactly one child of a parent, so no hidden count falls out of a subtraction', () => {
    const groups = new Map<string, Area[]>([['VN', provinces]]);
    for (const commune of communes) {
      const province = provinceOfCommune.get(commune.unitCode)!;
      groups.set(province, [...(groups.get(province) ?? []), commune]);
    }
    let checked = 0;
    for (const [parent, children] of groups) {
      for (const id of indicatorIds) {
        const suppressed = children.filter((child) => child[id]!.suppressed).length;
        expect(suppressed, `${id} among the children of ${parent}`).not.toBe(1);
        checked++;
      }
    }
    expect(checked).toBe(35 * indicatorIds.length);
    // The rule is exercised only where some provinces are hidden and others shown.
    const mixed = indicatorIds.filter((id) => {
      const visible = provinces.filter((province) => !province[id]!.suppressed).length;
      return visible > 0 && visible < 34;
    });
    expect(mixed.length).toBeGreaterThan(0);
  });

  it('decides the same for one commune asked alone as among its siblings', async () => {
    const sample = communes.find((commune) => !commune.eIdAdoption!.suppressed) ?? communes[0]!;
    const answer = await test.query<{ areaSeries: Area[] }>(`query ($unit: ID!) { areaSeries(unitCode: $unit, from: "2025-Q4", to: "2025-Q4") { unitCode eIdAdoption { numerator denominator value suppressed } } }`, {
      unit: sample.unitCode,
    });
    expect(answer.data!.areaSeries[0]!.eIdAdoption).toEqual(sample.eIdAdoption);
  });
});

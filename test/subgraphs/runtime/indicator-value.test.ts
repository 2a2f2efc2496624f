import { describe, expect, it } from 'vitest';
import { indicatorById } from '../../../platform/indicators/catalog.js';
import { parsePeriod } from '../../../platform/period.js';
import { indicatorFor, requiredCount } from '../../../subgraphs/runtime/indicator-value.js';

describe('indicator values', () => {
  it('computes the value, the target of the year, the gap and whether it is met', () => {
    expect(
      indicatorFor(
        indicatorById('eIdAdoption'),
        parsePeriod('2025-Q4'),
        { count: 450, suppressed: false },
        { count: 1000, suppressed: false },
      ),
    ).toEqual({
      indicator: { id: 'eIdAdoption' },
      numerator: 450,
      denominator: 1000,
      value: 45,
      target: 30,
      gap: 15,
      meetsTarget: true,
      suppressed: false,
    });
  });

  it('applies the 2022 target until a later one exists, and none before 2022', () => {
    expect(
      indicatorFor(indicatorById('ehrCoverage'), parsePeriod('2022'), { count: 85, suppressed: false }, { count: 100, suppressed: false }),
    ).toMatchObject({
      target: 90,
      gap: -5,
      meetsTarget: false,
    });
    expect(
      indicatorFor(indicatorById('ehrCoverage'), parsePeriod('2025'), { count: 85, suppressed: false }, { count: 100, suppressed: false }),
    ).toMatchObject({
      target: 80,
      meetsTarget: true,
    });
    expect(
      indicatorFor(indicatorById('ehrCoverage'), parsePeriod('2021'), { count: 85, suppressed: false }, { count: 100, suppressed: false }),
    ).toMatchObject({
      target: null,
      gap: null,
      meetsTarget: null,
    });
  });

  it('scales rates per 1,000 and per 100, with no verdict where the direction is none', () => {
    expect(
      indicatorFor(
        indicatorById('civilServantsPer1000Residents'),
        parsePeriod('2025'),
        { count: 30, suppressed: false },
        { count: 2000, suppressed: false },
      ),
    ).toMatchObject({ value: 15, meetsTarget: null });
    expect(
      indicatorFor(
        indicatorById('farmHouseholdsPer100Households'),
        parsePeriod('2025'),
        { count: 30, suppressed: false },
        { count: 200, suppressed: false },
      ),
    ).toMatchObject({ value: 15 });
  });

  it('hides numerator, denominator and value when either count is suppressed', () => {
    for (const [numeratorHidden, denominatorHidden] of [
      [true, false],
      [false, true],
    ]) {
      expect(
        indicatorFor(
          indicatorById('eIdAdoption'),
          parsePeriod('2025'),
          { count: 5, suppressed: numeratorHidden! },
          { count: 50, suppressed: denominatorHidden! },
        ),
      ).toMatchObject({
        numerator: null,
        denominator: null,
        value: null,
        gap: null,
        meetsTarget: null,
        suppressed: true,
      });
    }
  });

  it('gives no value for an empty denominator', () => {
    expect(
      indicatorFor(indicatorById('ehrActiveUse'), parsePeriod('2025'), { count: 0, suppressed: false }, { count: 0, suppressed: false }),
    ).toMatchObject({
      value: null,
      suppressed: false,
    });
  });

  it('refuses a figure computed without the count the gateway supplies', () => {
    expect(() => requiredCount(undefined, undefined, 'residentCount', 'population')).toThrow(
      /residentCount is supplied by the population subgraph/,
    );
  });
});

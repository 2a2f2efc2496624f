import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lastTwelveMonths, parsePeriod, partsOf, trendRange } from '../../../clients/dashboard/src/periods.js';
import { sha256Hex } from '../../../clients/dashboard/src/sha256.js';
import { tileColumns, tileRows, tiles } from '../../../clients/dashboard/src/tiles.js';
import { officialProvinceCodes } from '../../../platform/administrative-codes.js';

/** The dashboard's pieces that need no browser. */
describe('the dashboard pieces', () => {
  it('places every official province on the tile map exactly once, each on a square of its own', () => {
    expect(tiles.map((tile) => tile.code).sort()).toEqual([...officialProvinceCodes].sort());
    const squares = tiles.map((tile) => `${tile.row},${tile.column}`);
    expect(new Set(squares).size).toBe(tiles.length);
    for (const tile of tiles) {
      expect(tile.row).toBeGreaterThanOrEqual(0);
      expect(tile.row).toBeLessThan(tileRows);
      expect(tile.column).toBeGreaterThanOrEqual(0);
      expect(tile.column).toBeLessThan(tileColumns);
    }
  });

  it('hashes queries as the gateway checks them (SHA-256 of the UTF-8 text), whatever their length', () => {
    for (const text of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'query { tasks { nameVi } } # Nhiệm vụ '.repeat(50)])
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('reads periods as the API names them, and only those', () => {
    expect(parsePeriod('2025')).toEqual({ text: '2025', kind: 'YEAR', year: 2025 });
    expect(parsePeriod('2025-Q4')).toEqual({ text: '2025-Q4', kind: 'QUARTER', year: 2025, part: 4 });
    expect(parsePeriod('2025-03')).toEqual({ text: '2025-03', kind: 'MONTH', year: 2025, part: 3 });
    for (const text of ['2025-13', '2025-Q5', '25', '2025-3', '', null]) expect(parsePeriod(text)).toBeUndefined();
  });

  it('asks for the last 12 months to the period end, never before 2021 nor after this month', () => {
    const today = new Date('2026-11-30T12:00:00Z');
    expect(lastTwelveMonths(parsePeriod('2025')!, today)).toEqual({ from: '2025-01', to: '2025-12' });
    expect(lastTwelveMonths(parsePeriod('2025-Q1')!, today)).toEqual({ from: '2024-04', to: '2025-03' });
    expect(lastTwelveMonths(parsePeriod('2026')!, today)).toEqual({ from: '2025-12', to: '2026-11' });
    expect(lastTwelveMonths(parsePeriod('2021-03')!, today)).toEqual({ from: '2021-01', to: '2021-03' });
    expect(partsOf('QUARTER', 2026, today)).toEqual([1, 2, 3, 4]);
    expect(partsOf('MONTH', 2026, new Date('2026-05-02T00:00:00Z'))).toEqual([1, 2, 3, 4, 5]);
  });

  it('draws trends over every year, the last 12 quarters or the last 24 months, from 2021 on', () => {
    expect(trendRange(parsePeriod('2025')!)).toEqual({ from: '2021', to: '2025' });
    expect(trendRange(parsePeriod('2025-Q4')!)).toEqual({ from: '2023-Q1', to: '2025-Q4' });
    expect(trendRange(parsePeriod('2022-Q2')!)).toEqual({ from: '2021-Q1', to: '2022-Q2' });
    expect(trendRange(parsePeriod('2025-12')!)).toEqual({ from: '2024-01', to: '2025-12' });
    expect(trendRange(parsePeriod('2021-06')!)).toEqual({ from: '2021-01', to: '2021-06' });
  });
});

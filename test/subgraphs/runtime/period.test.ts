import { describe, expect, it } from 'vitest';
import { isOpen, parsePeriod, periodsBetween } from '../../../subgraphs/runtime/period.js';

const today = new Date('2026-11-29T12:00:00Z');

describe('periods', () => {
  it.each([
    ['2025', 'YEAR', '2025-12-01', '2025-12-31'],
    ['2025-Q1', 'QUARTER', '2025-03-01', '2025-03-31'],
    ['2024-Q1', 'QUARTER', '2024-03-01', '2024-03-31'],
    ['2025-Q4', 'QUARTER', '2025-12-01', '2025-12-31'],
    ['2024-02', 'MONTH', '2024-02-01', '2024-02-29'],
    ['2026-11', 'MONTH', '2026-11-01', '2026-11-30'],
  ])('%s is a %s counted as of %s', (text, kind, lastMonth, lastDay) => {
    expect(parsePeriod(text, today)).toMatchObject({ text, kind, lastMonth, lastDay });
  });

  it.each([
    ['2025-Q5', /a year \(2025\), a quarter/],
    ['2025-13', /a year \(2025\), a quarter/],
    ['2025-1', /a year \(2025\), a quarter/],
    ['25', /a year \(2025\), a quarter/],
    ['2025-12-31', /a year \(2025\), a quarter/],
    ['2027', /has not begun yet/],
    ['2026-12', /has not begun yet/],
    ['2020', /before 2021/],
  ])('refuses %s', (text, message) => {
    expect(() => parsePeriod(text, today)).toThrow(message);
    expect(() => parsePeriod(text, today)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('knows the open period from closed ones', () => {
    expect(isOpen(parsePeriod('2026-Q4', today), today)).toBe(true);
    expect(isOpen(parsePeriod('2026-Q3', today), today)).toBe(false);
  });

  it('lists consecutive periods of one kind', () => {
    expect(periodsBetween('2024-Q3', '2025-Q2', today).map((period) => period.text)).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(periodsBetween('2022', '2025', today).map((period) => period.text)).toEqual(['2022', '2023', '2024', '2025']);
    expect(periodsBetween('2025-11', '2026-02', today).map((period) => period.text)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(() => periodsBetween('2024', '2025-Q1', today)).toThrow(/one kind/);
    expect(() => periodsBetween('2025', '2024', today)).toThrow(/after/);
  });
});

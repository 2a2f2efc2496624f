import { describe, expect, it } from 'vitest';
import { isOpen, maximumSeriesLength, parsePeriod, periodsBetween } from '../../platform/period.js';

const today = new Date('2026-11-29T12:00:00Z');
const shapeMessage = (text: string) =>
  `period must be a year (2025), a quarter (2025-Q4) or a month (2025-12), got ${JSON.stringify(text)}`;

/** The error `work` throws, as code and message, so a test can compare the whole of it. */
function refusal(work: () => unknown): { code: unknown; message: unknown } {
  try {
    work();
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code, message };
  }
  throw new Error('expected a refusal, but the call returned');
}

describe('periods', () => {
  it.each([
    ['2025', 'YEAR', 2025, '2025-12-01', '2025-12-31'],
    ['2021', 'YEAR', 2021, '2021-12-01', '2021-12-31'],
    ['2025-Q1', 'QUARTER', 2025, '2025-03-01', '2025-03-31'],
    ['2024-Q1', 'QUARTER', 2024, '2024-03-01', '2024-03-31'],
    ['2025-Q2', 'QUARTER', 2025, '2025-06-01', '2025-06-30'],
    ['2025-Q4', 'QUARTER', 2025, '2025-12-01', '2025-12-31'],
    ['2024-02', 'MONTH', 2024, '2024-02-01', '2024-02-29'],
    ['2025-02', 'MONTH', 2025, '2025-02-01', '2025-02-28'],
    ['2021-01', 'MONTH', 2021, '2021-01-01', '2021-01-31'],
    ['2026-11', 'MONTH', 2026, '2026-11-01', '2026-11-30'],
  ])('%s is a %s of %i counted as of %s', (text, kind, year, lastMonth, lastDay) => {
    expect(parsePeriod(text, today)).toEqual({ text, kind, year, lastMonth, lastDay });
  });

  it.each([
    ['2025-Q5', shapeMessage('2025-Q5')],
    ['2025-Q0', shapeMessage('2025-Q0')],
    ['2025-13', shapeMessage('2025-13')],
    // Month 00 would otherwise read as the year 2025 (a month of 0 is falsy).
    ['2025-00', shapeMessage('2025-00')],
    ['2025-1', shapeMessage('2025-1')],
    ['25', shapeMessage('25')],
    ['', shapeMessage('')],
    // Both ends are anchored: a valid period inside longer text is still refused.
    ['12025', shapeMessage('12025')],
    ['FY2025', shapeMessage('FY2025')],
    ['2025-12-31', shapeMessage('2025-12-31')],
    ['2025-Q4x', shapeMessage('2025-Q4x')],
    ['2027', 'period 2027 has not begun yet'],
    ['2026-12', 'period 2026-12 has not begun yet'],
    ['2020', "period 2020 is before 2021, when the national databases' figures begin"],
    ['2020-12', "period 2020-12 is before 2021, when the national databases' figures begin"],
  ])('refuses %j as bad user input', (text, message) => {
    expect(refusal(() => parsePeriod(text, today))).toEqual({ code: 'BAD_USER_INPUT', message });
  });

  it('takes a period from the first instant of its first day, and not a millisecond before', () => {
    const novemberBegins = new Date('2026-11-01T00:00:00.000Z');
    expect(parsePeriod('2026-11', novemberBegins)).toEqual({
      text: '2026-11',
      kind: 'MONTH',
      year: 2026,
      lastMonth: '2026-11-01',
      lastDay: '2026-11-30',
    });
    expect(parsePeriod('2026-Q4', new Date('2026-10-01T00:00:00.000Z')).lastDay).toBe('2026-12-31');
    expect(refusal(() => parsePeriod('2026-11', new Date(novemberBegins.getTime() - 1)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'period 2026-11 has not begun yet',
    });
  });

  it('knows the open period from closed ones, up to the last millisecond of its last day', () => {
    expect(isOpen(parsePeriod('2026-Q4', today), today)).toBe(true);
    expect(isOpen(parsePeriod('2026-Q3', today), today)).toBe(false);
    const q3 = parsePeriod('2026-Q3', today);
    expect(isOpen(q3, new Date('2026-09-30T23:59:59.999Z'))).toBe(true);
    expect(isOpen(q3, new Date('2026-10-01T00:00:00.000Z'))).toBe(false);
  });

  it('lists consecutive periods of one kind', () => {
    expect(periodsBetween('2024-Q3', '2025-Q2', today).map((period) => period.text)).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(periodsBetween('2022', '2025', today).map((period) => period.text)).toEqual(['2022', '2023', '2024', '2025']);
    expect(periodsBetween('2025-11', '2026-02', today).map((period) => period.text)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodsBetween('2025-Q4', '2026-Q1', today)).toEqual([parsePeriod('2025-Q4', today), parsePeriod('2026-Q1', today)]);
  });

  it('lists one period when from and to are the same', () => {
    expect(periodsBetween('2025', '2025', today)).toEqual([parsePeriod('2025', today)]);
    expect(periodsBetween('2026-11', '2026-11', today)).toEqual([parsePeriod('2026-11', today)]);
  });

  it('lists a series that ends with the period now running (the one after it has not begun)', () => {
    expect(periodsBetween('2026-09', '2026-11', today).map((period) => period.text)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(periodsBetween('2026-Q3', '2026-Q4', today).map((period) => period.text)).toEqual(['2026-Q3', '2026-Q4']);
    expect(periodsBetween('2024', '2026', today).map((period) => period.text)).toEqual(['2024', '2025', '2026']);
  });

  it('refuses from and to of different kinds, or in the wrong order', () => {
    expect(refusal(() => periodsBetween('2024', '2025-Q1', today))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'from and to must be periods of one kind, got 2024 and 2025-Q1',
    });
    expect(refusal(() => periodsBetween('2025', '2024', today))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'from (2025) is after to (2024)',
    });
    expect(refusal(() => periodsBetween('2025-03', '2025-02', today))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'from (2025-03) is after to (2025-02)',
    });
  });

  it(`lists at most ${maximumSeriesLength} periods in one series`, () => {
    // Ten whole years of months exist only once the eleventh year has begun.
    const later = new Date('2031-06-15T00:00:00Z');
    const months = periodsBetween('2021-01', '2030-12', later);
    expect(months).toHaveLength(120);
    expect([months[0]!.text, months[119]!.text]).toEqual(['2021-01', '2030-12']);
    expect(refusal(() => periodsBetween('2021-01', '2031-01', later))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'a series has at most 120 periods',
    });
  });
});

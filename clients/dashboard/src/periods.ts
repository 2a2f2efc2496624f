/**
 * Periods as the API names them: a year (2025), a quarter (2025-Q4) or a
 * month (2025-12), from 2021 on (when the national databases' figures begin)
 * and already begun. Months are counted as year * 12 + month - 1.
 */
export type PeriodKind = 'YEAR' | 'QUARTER' | 'MONTH';
export const firstYear = 2021;

export interface Period {
  readonly text: string;
  readonly kind: PeriodKind;
  readonly year: number;
  /** 1-4 for a quarter, 1-12 for a month. */
  readonly part?: number;
}

const pattern = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

export function parsePeriod(text: string | null | undefined): Period | undefined {
  const match = pattern.exec(text ?? '');
  if (!match) return undefined;
  const year = Number(match[1]);
  if (match[2]) return { text: text!, kind: 'QUARTER', year, part: Number(match[2]) };
  if (match[3]) return { text: text!, kind: 'MONTH', year, part: Number(match[3]) };
  return { text: text!, kind: 'YEAR', year };
}

export const periodText = (kind: PeriodKind, year: number, part?: number): string =>
  kind === 'YEAR' ? `${year}` : kind === 'QUARTER' ? `${year}-Q${part}` : `${year}-${String(part).padStart(2, '0')}`;

const monthIndex = (year: number, month: number) => year * 12 + month - 1;
const monthText = (index: number) => periodText('MONTH', Math.floor(index / 12), (index % 12) + 1);

/** The month a period starts and the month it ends, as month indexes. */
function monthsOf(period: Period): [number, number] {
  if (period.kind === 'YEAR') return [monthIndex(period.year, 1), monthIndex(period.year, 12)];
  if (period.kind === 'QUARTER') return [monthIndex(period.year, period.part! * 3 - 2), monthIndex(period.year, period.part! * 3)];
  return [monthIndex(period.year, period.part!), monthIndex(period.year, period.part!)];
}

const currentMonth = (today: Date) => monthIndex(today.getUTCFullYear(), today.getUTCMonth() + 1);

/** Whether the API answers the period: from 2021 on, and begun. */
export const isAnswerable = (period: Period, today = new Date()) => period.year >= firstYear && monthsOf(period)[0] <= currentMonth(today);

/** The period a first visit shows: the year so far. */
export const defaultPeriod = (today = new Date()): Period => ({
  text: `${today.getUTCFullYear()}`,
  kind: 'YEAR',
  year: today.getUTCFullYear(),
});

/** The years, quarters or months of one year that have begun. */
export function partsOf(kind: PeriodKind, year: number, today = new Date()): number[] {
  if (kind === 'YEAR') return [];
  const count = kind === 'QUARTER' ? 4 : 12;
  return Array.from({ length: count }, (_, index) => index + 1).filter((part) => isAnswerable({ text: '', kind, year, part }, today));
}

export const years = (today = new Date()) =>
  Array.from({ length: today.getUTCFullYear() - firstYear + 1 }, (_, index) => today.getUTCFullYear() - index);

/** The last 12 months up to the period's end (or up to this month, for a running period), from 2021-01 on. */
export function lastTwelveMonths(period: Period, today = new Date()): { from: string; to: string } {
  const end = Math.min(monthsOf(period)[1], currentMonth(today));
  return { from: monthText(Math.max(end - 11, monthIndex(firstYear, 1))), to: monthText(end) };
}

/**
 * The periods a trend shows, of the chosen period's kind and ending with it:
 * every year since 2021, the last 12 quarters or the last 24 months.
 */
export function trendRange(period: Period): { from: string; to: string } {
  if (period.kind === 'YEAR') return { from: `${firstYear}`, to: period.text };
  if (period.kind === 'QUARTER') {
    const index = Math.max(period.year * 4 + period.part! - 1 - 11, firstYear * 4);
    return { from: periodText('QUARTER', Math.floor(index / 4), (index % 4) + 1), to: period.text };
  }
  const end = monthIndex(period.year, period.part!);
  return { from: monthText(Math.max(end - 23, monthIndex(firstYear, 1))), to: period.text };
}

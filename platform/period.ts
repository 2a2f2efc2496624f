import { badUserInput } from './errors.js';

/**
 * A reporting period: a year (`2025`), a quarter (`2025-Q4`) or a month
 * (`2025-12`). Counts are taken as of the period's last day, which is always
 * the last day of a month, so monthly aggregates answer every period.
 */
export type PeriodKind = 'YEAR' | 'QUARTER' | 'MONTH';

export interface Period {
  readonly text: string;
  readonly kind: PeriodKind;
  readonly year: number;
  /** First day of the period's last month, YYYY-MM-01: the aggregate row that answers it. */
  readonly lastMonth: string;
  /** The day the counts are taken, YYYY-MM-DD. */
  readonly lastDay: string;
}

/** The aggregates start here: the national population database went live in 2021. */
export const firstPeriodYear = 2021;
const pattern = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/;

/**
 * Parsed periods of the current UTC day, by text: an indicator answer for
 * 3,321 communes names the same period 3,321 times. Whether a period has begun
 * changes only at midnight, so a new day starts a new memo.
 */
let memo: { day: number; periods: Map<string, Period> } = { day: -1, periods: new Map() };
const memoLimit = 10_000;
const dayMs = 86_400_000;

export function parsePeriod(text: string, today?: Date): Period {
  if (today) return parse(text, today);
  const day = Math.floor(Date.now() / dayMs);
  if (memo.day !== day || memo.periods.size >= memoLimit) memo = { day, periods: new Map() };
  let period = memo.periods.get(text);
  if (!period) memo.periods.set(text, (period = parse(text, new Date())));
  return period;
}

function parse(text: string, today: Date): Period {
  const match = pattern.exec(text);
  const month = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (month !== undefined && (month < 1 || month > 12))) {
    throw badUserInput(`period must be a year (2025), a quarter (2025-Q4) or a month (2025-12), got ${JSON.stringify(text)}`);
  }
  const year = Number(match[1]);
  const kind: PeriodKind = match[2] ? 'QUARTER' : month ? 'MONTH' : 'YEAR';
  const firstMonth = kind === 'YEAR' ? 1 : kind === 'QUARTER' ? (Number(match[2]) - 1) * 3 + 1 : month!;
  const lastMonth = kind === 'YEAR' ? 12 : kind === 'QUARTER' ? firstMonth + 2 : month!;
  if (year < firstPeriodYear) throw badUserInput(`period ${text} is before ${firstPeriodYear}, when the national databases' figures begin`);
  if (Date.UTC(year, firstMonth - 1, 1) > today.getTime()) throw badUserInput(`period ${text} has not begun yet`);
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).toISOString().slice(0, 10);
  return { text, kind, year, lastMonth: `${lastDay.slice(0, 7)}-01`, lastDay };
}

/** Whether the period is still running: its figures can change, so they cache briefly. */
export function isOpen(period: Period, today: Date = new Date()): boolean {
  return Date.parse(`${period.lastDay}T23:59:59.999Z`) >= today.getTime();
}

export const maximumSeriesLength = 120;

/** The periods from `from` to `to` inclusive, both of one kind. */
export function periodsBetween(from: string, to: string, today?: Date): Period[] {
  const first = parsePeriod(from, today);
  const last = parsePeriod(to, today);
  if (first.kind !== last.kind) throw badUserInput(`from and to must be periods of one kind, got ${from} and ${to}`);
  if (first.lastDay > last.lastDay) throw badUserInput(`from (${from}) is after to (${to})`);
  const periods: Period[] = [];
  const step = first.kind === 'YEAR' ? 12 : first.kind === 'QUARTER' ? 3 : 1;
  const [year, month] = first.lastMonth.split('-').map(Number) as [number, number];
  for (let index = 0; ; index++) {
    const monthIndex = year * 12 + (month - 1) + index * step;
    const y = Math.floor(monthIndex / 12);
    const m = (monthIndex % 12) + 1;
    const text = first.kind === 'YEAR' ? `${y}` : first.kind === 'QUARTER' ? `${y}-Q${m / 3}` : `${y}-${String(m).padStart(2, '0')}`;
    const period = parsePeriod(text, today);
    if (periods.length === maximumSeriesLength) throw badUserInput(`a series has at most ${maximumSeriesLength} periods`);
    periods.push(period);
    // Stop at `to` itself: the period after it may not have begun, and parsing it would refuse the series.
    if (period.lastDay >= last.lastDay) break;
  }
  return periods;
}

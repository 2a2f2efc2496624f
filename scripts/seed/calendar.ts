/**
 * Dates as day numbers (days since 1970-01-01, UTC): the generator does date
 * arithmetic millions of times, and formats through a table instead of Date.
 */
const msPerDay = 86_400_000;
const firstDay = dayOf('1900-01-01');
const lastDay = dayOf('2100-12-31');
const formatted: string[] = [];

export function dayOf(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / msPerDay : NaN;
  if (!Number.isInteger(day) || new Date(day * msPerDay).toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  }
  return day;
}

export function isoDate(day: number): string {
  if (day < firstDay || day > lastDay) return new Date(day * msPerDay).toISOString().slice(0, 10);
  return (formatted[day - firstDay] ??= new Date(day * msPerDay).toISOString().slice(0, 10));
}

export function yearOf(day: number): number {
  return new Date(day * msPerDay).getUTCFullYear();
}

/** The same month and day `years` later (29 February falls to 1 March). */
export function addYears(day: number, years: number): number {
  const date = new Date(day * msPerDay);
  return Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate()) / msPerDay;
}

/** Whole years between a birth day and a later day. */
export function ageOn(birthDay: number, day: number): number {
  const birth = new Date(birthDay * msPerDay);
  const then = new Date(day * msPerDay);
  let age = then.getUTCFullYear() - birth.getUTCFullYear();
  if (then.getUTCMonth() < birth.getUTCMonth() || (then.getUTCMonth() === birth.getUTCMonth() && then.getUTCDate() < birth.getUTCDate()))
    age--;
  return age;
}

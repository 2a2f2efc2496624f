import { countBound, indicatorCounts, indicatorIds, type AreaTruth, type IndicatorId } from './independent-counts.js';

/**
 * The utility of published figures (docs/disclosure.md, "How it was tested"):
 * every shown figure against its documented bound of the raw-row recount
 * (independent-counts.ts), and the relative error of province values.
 */

/** One indicator of one area as the API shows it. */
export interface ShownFigure {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly suppressed: boolean;
}
/** One area as the API shows it: its indicators by id (and its unit code, if selected). */
export type ShownFigures = Readonly<Record<string, ShownFigure | string>>;

/** An indicator's scale: per 1,000 for civil servants per resident, per cent for every other (docs/indicators.md). */
export const scaleOf = (id: IndicatorId): number => (id === 'civilServantsPer1000Residents' ? 1000 : 100);

export const mean = (list: readonly number[]): number => list.reduce((sum, error) => sum + error, 0) / list.length;

export interface UtilityReport {
  /** Shown figures beyond their documented bound of the raw counts (must be none). */
  readonly problems: readonly string[];
  /** Shown figures checked, at every level listed. */
  readonly checked: number;
  /** Absolute relative errors of province values whose raw value is above 0. */
  readonly errors: readonly number[];
  /** The same, of the province values whose raw denominator is 1,000 or more. */
  readonly large: readonly number[];
  /** Absolute relative errors of the province numerators and denominators shown (raw count above 0). */
  readonly countErrors: readonly number[];
  /** The province errors by indicator. */
  readonly byIndicator: ReadonlyMap<IndicatorId, readonly number[]>;
}

/**
 * Every shown figure of the listings (any level) against the raw counts of
 * `truths` (per month, per unit): numerator and denominator within their
 * bound, the value within the ratio of any counts in those bounds, rounded to
 * 2 decimals; and the errors of the values of `provinces`.
 */
export function measureUtility<Area extends ShownFigures>(
  listings: ReadonlyMap<string, ReadonlyMap<string, Area>>,
  truths: ReadonlyMap<string, ReadonlyMap<string, AreaTruth>>,
  provinces: ReadonlySet<string>,
): UtilityReport {
  const problems: string[] = [];
  const errors: number[] = [];
  const large: number[] = [];
  const countErrors: number[] = [];
  const byIndicator = new Map<IndicatorId, number[]>();
  let checked = 0;
  for (const [month, listing] of listings) {
    for (const [unit, area] of listing) {
      const raw = truths.get(month)!.get(unit)!.counts;
      for (const id of indicatorIds) {
        const shown = area[id] as ShownFigure;
        if (shown.suppressed) continue;
        checked++;
        const [numerator, denominator] = indicatorCounts[id].map((count) => raw[count]!) as [number, number];
        const [numeratorBound, denominatorBound] = indicatorCounts[id].map(countBound) as [number, number];
        if (Math.abs(shown.numerator! - numerator) > numeratorBound || Math.abs(shown.denominator! - denominator) > denominatorBound)
          problems.push(`${month} ${unit} ${id}: ${JSON.stringify(shown)} against raw ${numerator}/${denominator}`);
        const value = (numerator / denominator) * scaleOf(id);
        // The documented bound of a value: the ratio of any counts within their bounds, rounded to 2 decimals.
        const extremes = [-1, 1].flatMap((a) =>
          [-1, 1].map((b) => ((numerator + a * numeratorBound) / Math.max(1, denominator + b * denominatorBound)) * scaleOf(id)),
        );
        if (shown.value! < Math.min(...extremes) - 0.005 || shown.value! > Math.max(...extremes) + 0.005)
          problems.push(`${month} ${unit} ${id}: value ${shown.value} outside [${Math.min(...extremes)}, ${Math.max(...extremes)}]`);
        if (provinces.has(unit) && value > 0) {
          const error = Math.abs(shown.value! - value) / value;
          errors.push(error);
          byIndicator.set(id, [...(byIndicator.get(id) ?? []), error]);
          if (denominator >= 1_000) large.push(error);
          for (const [index, count] of indicatorCounts[id].entries())
            if (raw[count]! > 0) countErrors.push(Math.abs([shown.numerator!, shown.denominator!][index]! - raw[count]!) / raw[count]!);
        }
      }
    }
  }
  return { problems, checked, errors, large, countErrors, byIndicator };
}

/** The report in one line: province figures, their mean absolute relative error overall, with large denominators, of counts, by indicator. */
export function describeUtility(report: UtilityReport): string {
  const percent = (list: readonly number[], digits: number) => `${(100 * mean(list)).toFixed(digits)}%`;
  return (
    `${report.errors.length} province figures, mean absolute relative error ${percent(report.errors, 3)};` +
    ` ${report.large.length} with a denominator of 1,000 or more: ${percent(report.large, 3)};` +
    ` their counts: ${percent(report.countErrors, 3)}; by indicator: ` +
    [...report.byIndicator].map(([id, list]) => `${id} ${percent(list, 2)}`).join(', ')
  );
}

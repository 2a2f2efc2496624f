import DataLoader from 'dataloader';
import { isOfficialUnitCode, provinceOfCommune } from '../../platform/administrative-codes.js';
import type { Database } from '../../platform/database/database.js';
import { suppressedUnits } from './disclosure.js';
import { groupBy } from './loaders.js';
import { badUserInput } from '../../platform/errors.js';
import type { Period } from '../../platform/period.js';

/** The whole country as an area: the sum of every commune. */
export const nationCode = 'VN';
export type AreaLevel = 'NATION' | 'PROVINCE' | 'COMMUNE';

export function levelOfUnit(unitCode: string): AreaLevel {
  if (unitCode === nationCode) return 'NATION';
  if (!isOfficialUnitCode(unitCode))
    throw badUserInput(`unitCode: no administrative unit has code ${JSON.stringify(unitCode)} (use ${nationCode} for the whole country)`);
  return unitCode.length === 2 ? 'PROVINCE' : 'COMMUNE';
}

export interface AreaCounts<Count extends string> {
  readonly counts: Readonly<Record<Count, number>>;
  /** Per count, whether disclosure control hides it in this area. */
  readonly suppressed: Readonly<Record<Count, boolean>>;
}

interface Row {
  readonly month: string;
  readonly parent: string;
  readonly unit: string;
  readonly [count: string]: string | number;
}

/** An area in a period, as the counts loader is asked for it. */
export interface AreaInPeriod {
  readonly unitCode: string;
  readonly period: Period;
}

/**
 * Loads an agency's counts for areas in periods from its commune-by-month
 * table: one statement per level asked for (communes read their own rows,
 * provinces and the nation sums of them), each returning every sibling of the
 * areas asked for, since disclosure control decides over all siblings.
 * A period later than the last refreshed month reads that month.
 */
export function areaCountsLoader<Count extends string>(
  database: Database,
  spec: { readonly table: string; readonly counts: readonly Count[] },
  disclosureMinimum: number,
): DataLoader<AreaInPeriod, AreaCounts<Count>, string> {
  const sums = spec.counts.map((count) => `sum(t.${count})::bigint AS ${count}`).join(', ');
  const join = `FROM unnest($1::date[]) AS r (requested) JOIN ${spec.table} t ON t.month = least(r.requested, (SELECT max(month) FROM ${spec.table}))`;
  const statements: Record<AreaLevel, string> = {
    COMMUNE: `SELECT r.requested AS month, t.province_code AS parent, t.commune_code AS unit, ${spec.counts.map((count) => `t.${count}`).join(', ')} ${join} WHERE t.province_code = ANY($2)`,
    PROVINCE: `SELECT r.requested AS month, '${nationCode}' AS parent, t.province_code AS unit, ${sums} ${join} GROUP BY r.requested, t.province_code`,
    NATION: `SELECT r.requested AS month, '' AS parent, '${nationCode}' AS unit, ${sums} ${join} GROUP BY r.requested`,
  };

  const load = async (keys: readonly AreaInPeriod[]) => {
    const asked = keys.map(({ unitCode, period }) => {
      try {
        return { unitCode, period, level: levelOfUnit(unitCode) };
      } catch (error) {
        return error as Error;
      }
    });
    const found = new Map<string, AreaCounts<Count>>();
    for (const level of ['NATION', 'PROVINCE', 'COMMUNE'] as const) {
      const ofLevel = asked.filter(
        (area): area is { unitCode: string; period: Period; level: AreaLevel } => !(area instanceof Error) && area.level === level,
      );
      if (ofLevel.length === 0) continue;
      const months = [...new Set(ofLevel.map((area) => area.period.lastMonth))];
      const provinces = [...new Set(ofLevel.map((area) => provinceOfCommune.get(area.unitCode)!))];
      const rows = await database.query<Row>(statements[level], level === 'COMMUNE' ? [months, provinces] : [months]);
      for (const [group, siblings] of groupBy(rows, (row) => `${row.month}|${row.parent}`)) {
        const month = group.split('|')[0]!;
        // Plain loops: this runs for every commune of every province asked, the hottest code of a commune-level answer.
        const values = spec.counts.map((count) => siblings.map((row) => Number(row[count])));
        const hidden = values.map((ofCount) =>
          suppressedUnits(new Map(siblings.map((row, index) => [row.unit, ofCount[index]!])), disclosureMinimum),
        );
        siblings.forEach((row, index) => {
          const counts = {} as Record<Count, number>;
          const suppressed = {} as Record<Count, boolean>;
          spec.counts.forEach((count, position) => {
            counts[count] = values[position]![index]!;
            suppressed[count] = hidden[position]!.has(row.unit);
          });
          found.set(`${row.unit}|${month}`, { counts, suppressed });
        });
      }
    }
    const nothing: AreaCounts<Count> = {
      counts: Object.fromEntries(spec.counts.map((count) => [count, 0])) as Record<Count, number>,
      suppressed: Object.fromEntries(spec.counts.map((count) => [count, true])) as Record<Count, boolean>,
    };
    // No row: no aggregates yet (nothing loaded), which shows as zero counts, all hidden.
    return asked.map((area) => (area instanceof Error ? area : (found.get(`${area.unitCode}|${area.period.lastMonth}`) ?? nothing)));
  };
  // Periods that end in one month (2025, 2025-Q4, 2025-12) read one row: one key.
  return new DataLoader(load, { cacheKeyFn: ({ unitCode, period }) => `${unitCode}|${period.lastMonth}` });
}

/** One count of an area with its disclosure decision, as indicatorFor takes it. */
export function disclosed<Count extends string>(area: AreaCounts<Count>, count: Count): { count: number; suppressed: boolean } {
  return { count: area.counts[count], suppressed: area.suppressed[count] };
}

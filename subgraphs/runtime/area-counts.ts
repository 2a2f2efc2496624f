import DataLoader from 'dataloader';
import { isOfficialUnitCode, provinceOfCommune } from '../../platform/administrative-codes.js';
import type { Database } from '../../platform/database/database.js';
import type { SubgraphSettings } from '../../platform/config.js';
import { countNesting } from './count-nesting.js';
import { publishCounts } from './disclosure.js';
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

/** An area's counts as disclosure control publishes them (perturbed; the true counts never leave the loader). */
export interface AreaCounts<Count extends string> {
  readonly counts: Readonly<Record<Count, number>>;
  /** Per count, whether disclosure control hides it in this area (its published count is below the minimum). */
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
 * What disclosure control published for an area's row of true counts, kept
 * across requests: publishing is a pure function of the secret, the minimum,
 * the area and its true counts, and takes a few dozen map look-ups and
 * arithmetic per count, which for 3,321 communes was the largest item of a
 * commune-level answer. An entry is reused only when the row's true counts
 * are the same as when it was made, so a refresh that changes them publishes
 * anew; bounded, and emptied when full.
 */
class PublishedCountsMemo {
  readonly #entries = new Map<string, { readonly trueCounts: readonly number[]; readonly published: AreaCounts<string> }>();
  // About 40 MB at most: every commune in 30 months; dashboards ask a few periods.
  static readonly limit = 100_000;

  publish(key: string, trueCounts: readonly number[], make: () => AreaCounts<string>): AreaCounts<string> {
    const entry = this.#entries.get(key);
    if (entry && sameCounts(entry.trueCounts, trueCounts)) return entry.published;
    const published = make();
    if (this.#entries.size >= PublishedCountsMemo.limit) this.#entries.clear();
    this.#entries.set(key, { trueCounts, published });
    return published;
  }
}

function sameCounts(a: readonly number[], b: readonly number[]): boolean {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return a.length === b.length;
}

// One memo per agency table and disclosure settings (tests run several secrets in one process).
const memos = new Map<string, PublishedCountsMemo>();

/**
 * Loads an agency's counts for areas in periods from its commune-by-month
 * table: one statement per level asked for (communes read the rows of the
 * provinces asked for, provinces and the nation sums of communes), and
 * publishes each area's counts through disclosure control, which reads only
 * the area's own counts (docs/disclosure.md). A period later than the last
 * refreshed month reads that month.
 */
export function areaCountsLoader<Count extends string>(
  database: Database,
  spec: { readonly table: string; readonly counts: readonly Count[] },
  settings: Pick<SubgraphSettings, 'disclosureMinimum' | 'disclosureSecret'>,
): DataLoader<AreaInPeriod, AreaCounts<Count>, string> {
  const sums = spec.counts.map((count) => `sum(t.${count})::bigint AS ${count}`).join(', ');
  const join = `FROM unnest($1::date[]) AS r (requested) JOIN ${spec.table} t ON t.month = least(r.requested, (SELECT max(month) FROM ${spec.table}))`;
  const statements: Record<AreaLevel, string> = {
    COMMUNE: `SELECT r.requested AS month, t.province_code AS parent, t.commune_code AS unit, ${spec.counts.map((count) => `t.${count}`).join(', ')} ${join} WHERE t.province_code = ANY($2)`,
    PROVINCE: `SELECT r.requested AS month, '${nationCode}' AS parent, t.province_code AS unit, ${sums} ${join} GROUP BY r.requested, t.province_code`,
    NATION: `SELECT r.requested AS month, '' AS parent, '${nationCode}' AS unit, ${sums} ${join} GROUP BY r.requested`,
  };

  const memoKey = `${spec.table}\u0000${settings.disclosureSecret}\u0000${settings.disclosureMinimum}`;
  let memo = memos.get(memoKey);
  if (!memo) memos.set(memoKey, (memo = new PublishedCountsMemo()));
  const published = memo;

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
      for (const row of rows) {
        const key = `${row.unit}|${row.month}`;
        const values = spec.counts.map((count) => Number(row[count]));
        const counts = published.publish(key, values, () =>
          publishCounts(
            settings.disclosureSecret,
            settings.disclosureMinimum,
            countNesting,
            row.unit,
            Object.fromEntries(spec.counts.map((count, index) => [count, values[index]!])),
          ),
        );
        found.set(key, counts as AreaCounts<Count>);
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

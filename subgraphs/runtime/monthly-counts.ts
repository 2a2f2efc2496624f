import type { Database, DatabaseSession } from '../../platform/database/database.js';
import { officialCommuneCodes, provinceOfCommune } from '../../platform/administrative-codes.js';

/** The first month the aggregates hold; earlier periods are refused. */
export const firstAggregateMonth = '2021-01-01';

export interface MonthlyCounts {
  /** Schema-qualified aggregate table with month, commune_code, province_code and one column per count. */
  readonly table: string;
  readonly counts: readonly string[];
  /**
   * SQL yielding change events: commune_code, day, then one column per count
   * holding +1, -1 or 0. A count as of a month's end is the sum of its events
   * up to then, so each event lands in the month of its day (events before
   * 2021 in the first month; events after the current month not at all).
   */
  readonly eventsSql: string;
}

/**
 * Rebuilds an agency's commune-by-month counts from its own rows: one dense
 * row per official commune and month from 2021-01 to the current month, each
 * the running total of the events before its end. Runs in the caller's
 * transaction, after data are loaded or corrected.
 */
export async function refreshMonthlyCounts(session: DatabaseSession, spec: MonthlyCounts, today: Date = new Date()): Promise<void> {
  const lastMonth = `${today.toISOString().slice(0, 7)}-01`;
  const columns = spec.counts.join(', ');
  await session.query(`DELETE FROM ${spec.table}`);
  await session.query(
    `INSERT INTO ${spec.table} (month, commune_code, province_code, ${columns})
     WITH units AS (SELECT * FROM unnest($1::text[], $2::text[]) AS unit (commune_code, province_code)),
          months AS (SELECT generate_series($3::date, $4::date, interval '1 month')::date AS month),
          events AS (${spec.eventsSql}),
          monthly AS (
            SELECT commune_code, least(greatest(date_trunc('month', day)::date, $3::date), $4::date) AS month,
                   ${spec.counts.map((count) => `sum(${count}) AS ${count}`).join(', ')}
              FROM events WHERE day < $4::date + interval '1 month' GROUP BY 1, 2)
     SELECT months.month, units.commune_code, units.province_code,
            ${spec.counts.map((count) => `coalesce(sum(monthly.${count}) OVER running, 0)`).join(', ')}
       FROM units CROSS JOIN months
       LEFT JOIN monthly ON monthly.commune_code = units.commune_code AND monthly.month = months.month
     WINDOW running AS (PARTITION BY units.commune_code ORDER BY months.month)`,
    [officialCommuneCodes, officialCommuneCodes.map((code) => provinceOfCommune.get(code)), firstAggregateMonth, lastMonth],
  );
}

/** Builds the counts where none exist yet (data loaded before the counts table, or never refreshed). */
export async function refreshMonthlyCountsIfEmpty(database: Database, spec: MonthlyCounts): Promise<boolean> {
  const [row] = await database.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${spec.table}) AS empty`);
  if (!row?.empty) return false;
  await database.transaction((session) => refreshMonthlyCounts(session, spec));
  return true;
}

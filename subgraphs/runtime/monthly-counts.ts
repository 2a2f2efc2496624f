import type { DatabaseSession } from '../../platform/database/database.js';
import { officialCommuneCodes, provinceOfCommune } from '../../platform/administrative-codes.js';
import { defaultSourceSchema } from '../../platform/source/contract.js';

/** The first month the aggregates hold; earlier periods are refused. */
export const firstAggregateMonth = '2021-01-01';

/**
 * A relation whose rows the counts are made of: read from the agency's source
 * (or, for PIN checks, from the store), and kept in the store as
 * `<schema>.seen_<relation>` with only the counted columns.
 */
export interface CountedRelation {
  readonly relation: string;
  readonly origin: 'source' | 'store';
  /** Its key column (the first of `columns`). */
  readonly key: string;
  /** The counted columns, as `seen_<relation>` has them. */
  readonly columns: readonly string[];
  /** The group of entities whose events a row feeds, and the column naming its entity. */
  readonly group: string;
  readonly entity: string;
}

export interface MonthlyCounts {
  /** The agency's store schema. */
  readonly schema: string;
  /** Schema-qualified aggregate table with month, commune_code, province_code and one column per count. */
  readonly table: string;
  readonly counts: readonly string[];
  /** Each entity group with the SQL type of its key: a changed row's events are recomputed for its whole entity. */
  readonly entities: Readonly<Record<string, 'text' | 'bigint'>>;
  readonly relations: readonly CountedRelation[];
  /**
   * SQL yielding change events over the relations `table(name)` names:
   * commune_code, day, then one column per count holding +1, -1 or 0. A count
   * as of a month's end is the sum of its events up to then, so each event
   * lands in the month of its day (events before 2021 in the first month;
   * events after the current month not at all). Every event of an entity comes
   * from that entity's rows alone, so that the events of a few entities can be
   * recomputed apart from the rest.
   */
  readonly eventsSql: (table: (relation: string) => string) => string;
}

/** Where the counts keep a relation's rows as they last saw them. */
export const seenTable = (spec: MonthlyCounts, relation: string) => `${spec.schema}.seen_${relation}`;

/** The first and the last month the counts hold, for a refresh made `today`. */
export function monthRange(today: Date): { readonly first: string; readonly last: string } {
  return { first: firstAggregateMonth, last: `${today.toISOString().slice(0, 7)}-01` };
}

/**
 * SQL summing the events of `eventsSql` over the relations `table` names per
 * commune and month, each event clamped into the months held ($1 the first, $2
 * the last), multiplied by `sign`.
 */
export function monthlySql(spec: MonthlyCounts, table: (relation: string) => string, sign: 1 | -1 = 1): string {
  return `SELECT commune_code, least(greatest(date_trunc('month', day)::date, $1::date), $2::date) AS month,
                 ${spec.counts.map((count) => `${sign} * sum(${count}) AS ${count}`).join(', ')}
            FROM (${spec.eventsSql(table)}) AS events WHERE day < $2::date + interval '1 month' GROUP BY 1, 2`;
}

/**
 * Rebuilds an agency's commune-by-month counts from the rows the store has
 * seen: one dense row per official commune and month from 2021-01 to the
 * current month, each the running total of the events before its end. Runs in
 * the caller's store transaction.
 */
export async function rebuildFromSeen(session: DatabaseSession, spec: MonthlyCounts, today: Date = new Date()): Promise<void> {
  const { first, last } = monthRange(today);
  await session.query(`DELETE FROM ${spec.table}`);
  await session.query(
    `INSERT INTO ${spec.table} (month, commune_code, province_code, ${spec.counts.join(', ')})
     WITH units AS (SELECT * FROM unnest($3::text[], $4::text[]) AS unit (commune_code, province_code)),
          months AS (SELECT generate_series($1::date, $2::date, interval '1 month')::date AS month),
          monthly AS (${monthlySql(spec, (relation) => seenTable(spec, relation))})
     SELECT months.month, units.commune_code, units.province_code,
            ${spec.counts.map((count) => `coalesce(sum(monthly.${count}) OVER running, 0)`).join(', ')}
       FROM units CROSS JOIN months
       LEFT JOIN monthly ON monthly.commune_code = units.commune_code AND monthly.month = months.month
     WINDOW running AS (PARTITION BY units.commune_code ORDER BY months.month)`,
    [first, last, officialCommuneCodes, officialCommuneCodes.map((code) => provinceOfCommune.get(code))],
  );
}

/**
 * Adds the per-commune-month changes in `pg_temp.count_delta` (commune_code,
 * month, one column per count) to the dense counts, whose last month is
 * `last`: each month's change carries into every later month. Reads no cell
 * but those it changes: a commune's changes, summed in month order, make runs
 * of months with the same carried change, each run ending where the next
 * change begins (or at `last`), and only the runs carrying a non-zero change
 * touch the counts. Returns how many commune-months changed.
 */
export async function applyDelta(session: DatabaseSession, spec: MonthlyCounts, last: string): Promise<number> {
  // The cells to change, in a table of their own: analysed, the update joins them to the counts by key instead of scanning all of them.
  await session.query(
    `CREATE TEMP TABLE count_cells ON COMMIT DROP AS
     WITH net AS (SELECT commune_code, month, ${spec.counts.map((count) => `sum(${count}) AS ${count}`).join(', ')}
                    FROM pg_temp.count_delta GROUP BY 1, 2
                  HAVING ${spec.counts.map((count) => `sum(${count}) <> 0`).join(' OR ')}),
          runs AS (
            SELECT commune_code, month, lead(month) OVER running AS next,
                   ${spec.counts.map((count) => `sum(${count}) OVER running AS ${count}`).join(', ')}
              FROM net WINDOW running AS (PARTITION BY commune_code ORDER BY month))
     SELECT r.commune_code, m.month::date AS month, ${spec.counts.map((count) => `r.${count}`).join(', ')}
       FROM runs r CROSS JOIN LATERAL generate_series(r.month::timestamp, coalesce(r.next::timestamp - interval '1 month', $1::timestamp),
                                                      interval '1 month') AS m (month)
      WHERE ${spec.counts.map((count) => `r.${count} <> 0`).join(' OR ')}`,
    [last],
  );
  await session.query('ANALYZE pg_temp.count_cells');
  const rows = await session.query<{ changed: number }>(
    `WITH updated AS (
       UPDATE ${spec.table} t SET ${spec.counts.map((count) => `${count} = t.${count} + c.${count}`).join(', ')}
         FROM pg_temp.count_cells c
        WHERE t.month = c.month AND t.commune_code = c.commune_code
       RETURNING 1)
     SELECT count(*) AS changed FROM updated`,
  );
  return rows[0]!.changed;
}

/**
 * Statistics for the seen tables just filled (autovacuum may take its time):
 * without them an incremental refresh plans its lookups by the changed keys
 * against a table it believes empty.
 */
export async function analyzeSeen(session: DatabaseSession, spec: MonthlyCounts): Promise<void> {
  await session.query(`ANALYZE ${spec.relations.map((relation) => seenTable(spec, relation.relation)).join(', ')}`);
}

/** The source relation logging the agency's deletions of counted rows (docs/source-contract.md), e.g. civil_service_deletion. */
export const deletionLog = (spec: MonthlyCounts) => `${spec.schema.replace(/^store_/, '')}_deletion`;

/**
 * Rebuilds an agency's counts in one session that sees both the source schema
 * and the store (the embedded default, or a source and store on one server):
 * every counted row copied into the store's seen tables, the counts made from
 * them, the watermarks set to what was read. Runs in the caller's transaction
 * (the seed's, after a load).
 */
export async function refreshMonthlyCounts(
  session: DatabaseSession,
  spec: MonthlyCounts,
  options: { readonly sourceSchema?: string; readonly today?: Date } = {},
): Promise<void> {
  const sourceSchema = options.sourceSchema ?? defaultSourceSchema;
  const log = deletionLog(spec);
  const marks: Array<[string, string]> = [[log, `${sourceSchema}.${log}`]];
  for (const relation of spec.relations) {
    const from = `${relation.origin === 'store' ? spec.schema : sourceSchema}.${relation.relation}`;
    const columns = relation.columns.join(', ');
    marks.push([relation.relation, from]);
    await session.query(`TRUNCATE ${seenTable(spec, relation.relation)}`);
    await session.query(`INSERT INTO ${seenTable(spec, relation.relation)} (${columns}) SELECT ${columns} FROM ${from}`);
  }
  await rebuildFromSeen(session, spec, options.today);
  await session.query(`DELETE FROM ${spec.schema}.refresh_watermark`);
  for (const [relation, from] of marks)
    await session.query(
      `INSERT INTO ${spec.schema}.refresh_watermark (relation, change_seq) SELECT $1, coalesce(max(change_seq), 0) FROM ${from}`,
      [relation],
    );
  await analyzeSeen(session, spec);
}

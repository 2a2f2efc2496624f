import type { Agency } from '../../platform/agencies.js';
import type { Database, DatabaseSession } from '../../platform/database/database.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import {
  analyzeSeen,
  deletionLog,
  rebuildFromSeen,
  refreshMonthlyCounts,
  seenTable,
  type CountedRelation,
  type MonthlyCounts,
} from './monthly-counts.js';

/**
 * Refreshing an agency's commune-by-month counts from its source into the
 * store. The store keeps the counted columns of every source row as it last
 * saw them (`seen_<relation>`), so a refresh need read only the rows changed
 * since its watermark (`change_seq`, and the agency's deletion log): for every
 * entity such a row belongs to, the events of its old rows are subtracted and
 * those of its new rows added, per commune and month. A full refresh reads
 * every row again. docs/data-model.md explains the design.
 */
export interface CountsDatabases {
  /** The agency's source, read-only. */
  readonly source: Database;
  readonly store: Database;
  /** The schema of the contract relations (SOURCE_SCHEMA). */
  readonly sourceSchema: string;
  /** Source and store are one instance (the embedded default): the store's transaction reads the source itself. */
  readonly sameInstance: boolean;
}

export interface RefreshOptions {
  readonly today?: Date;
  /**
   * How long a transaction may take to commit after taking its change_seq
   * (s, at most a day): an incremental refresh reads again from the watermark
   * observed at least this long before the last refresh, so a row written by
   * a late commit is still read. Default 60 s; 0 on the embedded database.
   */
  readonly graceSeconds?: number;
}

export interface RefreshReport {
  readonly mode: 'full' | 'incremental';
  /** Source rows (and PIN checks) read as changed or deleted; every row for a full refresh. */
  readonly rowsRead: number;
  /** Commune-months whose counts changed; for a full refresh or a new month, every one. */
  readonly cellsChanged: number;
}

export type Row = Record<string, unknown>;
export type Read = <R extends object = Row>(text: string, values?: readonly unknown[]) => Promise<R[]>;

export const pageSize = 50_000;
export const defaultGraceSeconds = 60;
export const sourceRelations = (spec: MonthlyCounts) => spec.relations.filter((relation) => relation.origin === 'source');

// One refresh of an agency's counts at a time in this process; other processes queue on an advisory lock.
const running = new Map<string, Promise<unknown>>();
export function oneAtATime<T>(spec: MonthlyCounts, work: () => Promise<T>): Promise<T> {
  const previous = running.get(spec.table) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  running.set(spec.table, next);
  return next;
}

/** Runs `work` with a reader of the source: the store's own session when they share an instance, else one snapshot of the source. */
export function withSource<T>(databases: CountsDatabases, session: DatabaseSession, work: (read: Read) => Promise<T>): Promise<T> {
  if (databases.sameInstance) return work(session.query);
  return databases.source.transaction(async (reader) => {
    await reader.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return work(reader.query);
  });
}

/** The highest change_seq of each source relation and of the deletion log, read before the rows. */
export async function currentMarks(read: Read, databases: CountsDatabases, spec: MonthlyCounts): Promise<Map<string, number>> {
  const marks = new Map<string, number>();
  for (const relation of [...sourceRelations(spec).map((r) => r.relation), deletionLog(spec)]) {
    const [row] = await read<{ seq: number }>(`SELECT coalesce(max(change_seq), 0) AS seq FROM ${databases.sourceSchema}.${relation}`);
    marks.set(relation, row!.seq);
  }
  return marks;
}

export async function storeMarks(session: DatabaseSession, spec: MonthlyCounts): Promise<Map<string, number>> {
  const marks = new Map<string, number>();
  for (const relation of spec.relations.filter((r) => r.origin === 'store')) {
    const [row] = await session.query<{ seq: number }>(
      `SELECT coalesce(max(change_seq), 0) AS seq FROM ${spec.schema}.${relation.relation}`,
    );
    marks.set(relation.relation, row!.seq);
  }
  return marks;
}

export async function recordMarks(session: DatabaseSession, spec: MonthlyCounts, marks: ReadonlyMap<string, number>): Promise<void> {
  for (const [relation, seq] of marks)
    await session.query(`INSERT INTO ${spec.schema}.refresh_watermark (relation, change_seq) VALUES ($1, $2)`, [relation, seq]);
  // Marks older than the newest one a day before the latest go: a grace period (at most a day) always finds its mark.
  await session.query(
    `DELETE FROM ${spec.schema}.refresh_watermark w
      WHERE observed_at < (SELECT max(observed_at) FROM ${spec.schema}.refresh_watermark v
                            WHERE v.relation = w.relation
                              AND v.observed_at <= (SELECT max(observed_at) FROM ${spec.schema}.refresh_watermark u
                                                     WHERE u.relation = w.relation) - interval '1 day')`,
  );
}

/** Inserts rows (as read by pg) into a table of the same columns. */
export async function insertRows(session: DatabaseSession, table: string, rows: readonly Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += pageSize)
    await session.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [
      JSON.stringify(rows.slice(start, start + pageSize)),
    ]);
}

/** Reads every row again and rebuilds the counts. */
export function refreshFull(databases: CountsDatabases, spec: MonthlyCounts, options: RefreshOptions = {}): Promise<RefreshReport> {
  return oneAtATime(spec, () =>
    databases.store.transaction(async (session) => {
      await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [spec.table]);
      let rowsRead = 0;
      if (databases.sameInstance) {
        await refreshMonthlyCounts(session, spec, {
          sourceSchema: databases.sourceSchema,
          ...(options.today ? { today: options.today } : {}),
        });
      } else {
        const marks = new Map(await storeMarks(session, spec));
        await withSource(databases, session, async (read) => {
          for (const [relation, seq] of await currentMarks(read, databases, spec)) marks.set(relation, seq);
          for (const relation of spec.relations) {
            const seen = seenTable(spec, relation.relation);
            await session.query(`TRUNCATE ${seen}`);
            if (relation.origin === 'store') {
              const columns = relation.columns.join(', ');
              await session.query(`INSERT INTO ${seen} (${columns}) SELECT ${columns} FROM ${spec.schema}.${relation.relation}`);
            } else rowsRead += await copyPages(read, session, databases.sourceSchema, relation, seen);
          }
        });
        await rebuildFromSeen(session, spec, options.today);
        await session.query(`DELETE FROM ${spec.schema}.refresh_watermark`);
        await recordMarks(session, spec, marks);
        await analyzeSeen(session, spec);
      }
      const [cells] = await session.query<{ n: number }>(`SELECT count(*) AS n FROM ${spec.table}`);
      return { mode: 'full', rowsRead, cellsChanged: cells!.n } as const;
    }),
  );
}

/** Copies a source relation into its seen table a page at a time, in key order. */
async function copyPages(
  read: Read,
  session: DatabaseSession,
  sourceSchema: string,
  relation: CountedRelation,
  seen: string,
): Promise<number> {
  let after: unknown;
  let copied = 0;
  for (;;) {
    const rows = await read(
      `SELECT ${relation.columns.join(', ')} FROM ${sourceSchema}.${relation.relation}
        ${after === undefined ? '' : `WHERE ${relation.key} > $2`} ORDER BY ${relation.key} LIMIT $1`,
      after === undefined ? [pageSize] : [pageSize, after],
    );
    await insertRows(session, seen, rows);
    copied += rows.length;
    if (rows.length < pageSize) return copied;
    after = rows[rows.length - 1]![relation.key];
  }
}

/** The databases an agency's counts are refreshed between. */
export function countsDatabasesOf(databases: AgencyDatabases, agency: Agency): CountsDatabases {
  return {
    source: databases.get(agency),
    store: databases.store,
    sourceSchema: databases.sourceSchema,
    sameInstance: databases.sharesStore(agency),
  };
}

/** Builds the counts where none exist yet (a new store, or counts never refreshed); whether it did. */
export async function refreshIfNeverBuilt(databases: CountsDatabases, spec: MonthlyCounts): Promise<boolean> {
  const [row] = await databases.store.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${spec.table}) AS empty`);
  if (!row?.empty) return false;
  await refreshFull(databases, spec);
  return true;
}

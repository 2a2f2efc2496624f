import type { DatabaseSession } from '../../platform/database/database.js';
import { applyDelta, monthlySql, monthRange, rebuildFromSeen, seenTable, type MonthlyCounts } from './monthly-counts.js';
import {
  currentMarks,
  defaultGraceSeconds,
  deletionLog,
  insertRows,
  oneAtATime,
  recordMarks,
  refreshFull,
  sourceRelations,
  storeMarks,
  withSource,
  type CountsDatabases,
  type RefreshOptions,
  type RefreshReport,
  type Row,
} from './refresh-counts.js';

interface Changes {
  /** Changed rows (their counted columns) per relation. */
  readonly changed: Map<string, Row[]>;
  /** Keys of deleted rows per relation. */
  readonly deleted: Map<string, unknown[]>;
  readonly marks: Map<string, number>;
}

/**
 * The watermark to read a relation from: the highest change_seq observed at
 * least `graceSeconds` ago (a transaction still open then may have committed
 * rows below the newer ones since), or null when there is none that old.
 */
async function readFrom(session: DatabaseSession, spec: MonthlyCounts, relation: string, graceSeconds: number): Promise<number | null> {
  const [row] = await session.query<{ seq: number }>(
    `SELECT change_seq AS seq FROM ${spec.schema}.refresh_watermark
      WHERE relation = $1 AND observed_at <= clock_timestamp() - make_interval(secs => $2)
      ORDER BY observed_at DESC LIMIT 1`,
    [relation, graceSeconds],
  );
  return row ? row.seq : null;
}

/**
 * Reads only the rows changed since the watermarks and updates the counts by
 * the difference they make; a refresh with no watermark old enough, or counts
 * never built, is a full one. A month begun since the last refresh rebuilds
 * the counts from the rows the store has seen (events dated in the new month
 * count from now on), without reading the source again.
 */
export function refreshIncremental(databases: CountsDatabases, spec: MonthlyCounts, options: RefreshOptions = {}): Promise<RefreshReport> {
  const graceSeconds = options.graceSeconds ?? defaultGraceSeconds;
  const attempt = () =>
    databases.store.transaction(async (session): Promise<RefreshReport | undefined> => {
      await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [spec.table]);
      const since = new Map<string, number>();
      for (const relation of [...spec.relations.map((r) => r.relation), deletionLog(spec)]) {
        const from = await readFrom(session, spec, relation, graceSeconds);
        if (from === null) return undefined;
        since.set(relation, from);
      }
      const changes = await readChanges(databases, session, spec, since);
      const rowsRead = [...changes.changed.values(), ...changes.deleted.values()].reduce((sum, rows) => sum + rows.length, 0);
      await stageChanges(session, spec, changes);
      const { first, last } = monthRange(options.today ?? new Date());
      // Old contributions out, the seen rows replaced, new contributions in, each from a copy of the affected entities' rows.
      await copyAffectedRows(session, spec);
      await session.query(`CREATE TEMP TABLE count_delta ON COMMIT DROP AS ${monthlySql(spec, affectedRows, -1)}`, [first, last]);
      await applyToSeen(session, spec);
      await copyAffectedRows(session, spec);
      await session.query(`INSERT INTO pg_temp.count_delta ${monthlySql(spec, affectedRows, 1)}`, [first, last]);
      const [held] = await session.query<{ last: string | null }>(`SELECT max(month)::text AS last FROM ${spec.table}`);
      let cellsChanged: number;
      if (held?.last === last) {
        cellsChanged = await applyDelta(session, spec);
      } else {
        await rebuildFromSeen(session, spec, options.today);
        cellsChanged = (await session.query<{ n: number }>(`SELECT count(*) AS n FROM ${spec.table}`))[0]!.n;
      }
      await recordMarks(session, spec, changes.marks);
      return { mode: 'incremental', rowsRead, cellsChanged };
    });
  return oneAtATime(spec, attempt).then((report) => report ?? refreshFull(databases, spec, options));
}

async function readChanges(
  databases: CountsDatabases,
  session: DatabaseSession,
  spec: MonthlyCounts,
  since: ReadonlyMap<string, number>,
): Promise<Changes> {
  const changed = new Map<string, Row[]>();
  const deleted = new Map<string, unknown[]>();
  const marks = await storeMarks(session, spec);
  for (const relation of spec.relations.filter((r) => r.origin === 'store'))
    changed.set(
      relation.relation,
      await session.query(`SELECT ${relation.columns.join(', ')} FROM ${spec.schema}.${relation.relation} WHERE change_seq > $1`, [
        since.get(relation.relation),
      ]),
    );
  await withSource(databases, session, async (read) => {
    for (const [relation, seq] of await currentMarks(read, databases, spec)) marks.set(relation, seq);
    for (const relation of sourceRelations(spec))
      changed.set(
        relation.relation,
        await read(`SELECT ${relation.columns.join(', ')} FROM ${databases.sourceSchema}.${relation.relation} WHERE change_seq > $1`, [
          since.get(relation.relation),
        ]),
      );
    const log = deletionLog(spec);
    const rows = await read<{ relation: string; key: string }>(
      `SELECT relation, key FROM ${databases.sourceSchema}.${log} WHERE change_seq > $1 AND relation = ANY($2)`,
      [since.get(log), sourceRelations(spec).map((relation) => relation.relation)],
    );
    for (const row of rows) deleted.set(row.relation, [...(deleted.get(row.relation) ?? []), row.key]);
  });
  return { changed, deleted, marks };
}

const temp = (kind: 'changed' | 'deleted' | 'affected' | 'rows', name: string) => `pg_temp.${kind}_${name}`;

/**
 * Loads the changes into temporary tables and finds the entities they touch:
 * those a changed row belongs to now, and those a changed or deleted row
 * belonged to when the store last saw it.
 */
async function stageChanges(session: DatabaseSession, spec: MonthlyCounts, changes: Changes): Promise<void> {
  for (const [group, type] of Object.entries(spec.entities))
    await session.query(`CREATE TEMP TABLE ${temp('affected', group).slice(8)} (key ${type} PRIMARY KEY) ON COMMIT DROP`);
  for (const relation of spec.relations) {
    const seen = seenTable(spec, relation.relation);
    await session.query(`CREATE TEMP TABLE changed_${relation.relation} ON COMMIT DROP AS SELECT * FROM ${seen} WHERE false`);
    await session.query(`CREATE TEMP TABLE deleted_${relation.relation} ON COMMIT DROP AS SELECT ${relation.key} FROM ${seen} WHERE false`);
    await insertRows(session, temp('changed', relation.relation), changes.changed.get(relation.relation) ?? []);
    await insertRows(
      session,
      temp('deleted', relation.relation),
      (changes.deleted.get(relation.relation) ?? []).map((key) => ({ [relation.key]: key })),
    );
    const affected = temp('affected', relation.group);
    // Temporary tables have no statistics until analysed: without them a join may scan all the seen rows.
    await session.query(`ANALYZE ${temp('changed', relation.relation)}, ${temp('deleted', relation.relation)}`);
    await session.query(
      `INSERT INTO ${affected} SELECT DISTINCT ${relation.entity} FROM ${temp('changed', relation.relation)}
        WHERE ${relation.entity} IS NOT NULL ON CONFLICT DO NOTHING`,
    );
    await session.query(
      `INSERT INTO ${affected} SELECT DISTINCT s.${relation.entity} FROM ${seen} s
        WHERE s.${relation.key} IN (SELECT ${relation.key} FROM ${temp('changed', relation.relation)}
                                    UNION ALL SELECT ${relation.key} FROM ${temp('deleted', relation.relation)})
          AND s.${relation.entity} IS NOT NULL ON CONFLICT DO NOTHING`,
    );
  }
  for (const group of Object.keys(spec.entities)) await session.query(`ANALYZE ${temp('affected', group)}`);
}

/** The copy of a relation's seen rows that belong to the affected entities (copyAffectedRows). */
const affectedRows = (relation: string) => temp('rows', relation);

/**
 * Copies the seen rows of the affected entities into temporary tables, which
 * eventsSql then scans many times: a copy of a few thousand rows, not a join
 * of the whole seen table at each scan. Made again after the seen rows change.
 */
async function copyAffectedRows(session: DatabaseSession, spec: MonthlyCounts): Promise<void> {
  for (const relation of spec.relations) {
    await session.query(`DROP TABLE IF EXISTS ${affectedRows(relation.relation)}`);
    await session.query(
      `CREATE TEMP TABLE rows_${relation.relation} ON COMMIT DROP AS
         SELECT s.* FROM ${temp('affected', relation.group)} a JOIN ${seenTable(spec, relation.relation)} s ON s.${relation.entity} = a.key`,
    );
    await session.query(`ANALYZE ${affectedRows(relation.relation)}`);
  }
}

/** Replaces the store's seen rows by the changed ones and drops the deleted ones. */
async function applyToSeen(session: DatabaseSession, spec: MonthlyCounts): Promise<void> {
  for (const relation of spec.relations) {
    const seen = seenTable(spec, relation.relation);
    await session.query(
      `DELETE FROM ${seen} WHERE ${relation.key} IN (SELECT ${relation.key} FROM ${temp('changed', relation.relation)}
                                                   UNION ALL SELECT ${relation.key} FROM ${temp('deleted', relation.relation)})`,
    );
    await session.query(`INSERT INTO ${seen} SELECT * FROM ${temp('changed', relation.relation)}`);
  }
}

import type { DatabaseSession } from '../../platform/database/database.js';
import { applyDelta, deletionLog, monthlySql, monthRange, rebuildFromSeen, seenTable, type MonthlyCounts } from './monthly-counts.js';
import {
  currentMarks,
  defaultGraceSeconds,
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
 * least `graceSeconds` before the last refresh read it, or null when there is
 * none that old. A transaction open when the last refresh read may have taken
 * its change_seq below the newest one then seen and committed since: rows
 * read again from the older mark include it (reading a row twice is harmless:
 * its old contribution is taken out before its new one goes in).
 */
async function readFrom(session: DatabaseSession, spec: MonthlyCounts, relation: string, graceSeconds: number): Promise<number | null> {
  const [row] = await session.query<{ seq: number }>(
    `SELECT change_seq AS seq FROM ${spec.schema}.refresh_watermark
      WHERE relation = $1
        AND observed_at <= (SELECT max(observed_at) FROM ${spec.schema}.refresh_watermark WHERE relation = $1) - make_interval(secs => $2)
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
  // The embedded database runs one transaction at a time: no commit can be under way while a refresh reads.
  const graceSeconds = options.graceSeconds ?? (databases.sameInstance ? 0 : defaultGraceSeconds);
  const attempt = () =>
    databases.store.transaction(async (session): Promise<RefreshReport | undefined> => {
      await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [spec.table]);
      // Every statement here works on the changed rows, yet some estimates are far above them (a generate_series counts as
      // 1,000 rows), past jit_above_cost: compiling took 0.9 s of the 1.5 s the counts update took at 1M citizens, 1% changed.
      await session.query('SET LOCAL jit = off');
      // The seen rows are read by the changed keys, a few thousand index lookups that the default cost of a random read (4, a
      // spinning disk) prices above scanning every seen row: at 10M citizens two such scans took 8 s of the 28 s of health's refresh.
      await session.query('SET LOCAL random_page_cost = 1.1');
      // The events of the affected entities are sorted and grouped in memory, not in temporary files.
      await session.query(`SET LOCAL work_mem = '64MB'`);
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
      await replaceRows(session, spec);
      await session.query(`INSERT INTO pg_temp.count_delta ${monthlySql(spec, affectedRows, 1)}`, [first, last]);
      const [held] = await session.query<{ last: string | null }>(`SELECT max(month)::text AS last FROM ${spec.table}`);
      let cellsChanged: number;
      if (held?.last === last) {
        cellsChanged = await applyDelta(session, spec, last);
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
    // As in the store's transaction: the reads of the changed rows are not worth compiling.
    if (!databases.sameInstance) await read('SET LOCAL jit = off');
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

const temp = (kind: 'changed' | 'deleted' | 'removed' | 'affected' | 'rows', name: string) => `pg_temp.${kind}_${name}`;

/**
 * Loads the changes into temporary tables, takes the seen rows of the changed
 * and deleted keys out of the store (into `removed_<relation>`: the rows as
 * the store last saw them), and finds the entities the changes touch: those a
 * changed row belongs to now, and those a removed row belonged to. Every step
 * reads the seen tables by the changed keys only.
 */
async function stageChanges(session: DatabaseSession, spec: MonthlyCounts, changes: Changes): Promise<void> {
  for (const [group, type] of Object.entries(spec.entities))
    await session.query(`CREATE TEMP TABLE ${temp('affected', group)} (key ${type} PRIMARY KEY) ON COMMIT DROP`);
  for (const relation of spec.relations) {
    const seen = seenTable(spec, relation.relation);
    const [changed, deleted, removed] = [
      temp('changed', relation.relation),
      temp('deleted', relation.relation),
      temp('removed', relation.relation),
    ];
    await session.query(`CREATE TEMP TABLE ${changed} ON COMMIT DROP AS SELECT * FROM ${seen} WHERE false`);
    await session.query(`CREATE TEMP TABLE ${deleted} ON COMMIT DROP AS SELECT ${relation.key} FROM ${seen} WHERE false`);
    await session.query(`CREATE TEMP TABLE ${removed} ON COMMIT DROP AS SELECT * FROM ${seen} WHERE false`);
    await insertRows(session, changed, changes.changed.get(relation.relation) ?? []);
    await insertRows(
      session,
      deleted,
      (changes.deleted.get(relation.relation) ?? []).map((key) => ({ [relation.key]: key })),
    );
    // Temporary tables have no statistics until analysed: without them a join may scan all the seen rows.
    await session.query(`ANALYZE ${changed}, ${deleted}`);
    await session.query(
      `WITH gone AS (DELETE FROM ${seen} WHERE ${relation.key} IN (SELECT ${relation.key} FROM ${changed} UNION ALL SELECT ${relation.key} FROM ${deleted})
                     RETURNING *)
       INSERT INTO ${removed} SELECT * FROM gone`,
    );
    await session.query(`ANALYZE ${removed}`);
    await session.query(
      `INSERT INTO ${temp('affected', relation.group)}
         SELECT ${relation.entity} FROM ${changed} WHERE ${relation.entity} IS NOT NULL
         UNION SELECT ${relation.entity} FROM ${removed} WHERE ${relation.entity} IS NOT NULL
       ON CONFLICT DO NOTHING`,
    );
  }
  for (const group of Object.keys(spec.entities)) await session.query(`ANALYZE ${temp('affected', group)}`);
}

/** The copy of a relation's seen rows that belong to the affected entities (copyAffectedRows). */
const affectedRows = (relation: string) => temp('rows', relation);

/**
 * Copies the rows of the affected entities as the store last saw them into
 * temporary tables, which eventsSql then scans many times: a copy of a few
 * thousand rows, not a join of the whole seen table at each scan. They are
 * the seen rows still in place for those entities and the removed ones. A
 * relation alone in its group and keyed by its entity has no row in place
 * for them (its affected entities are the keys just removed): no read of its
 * seen table at all.
 */
async function copyAffectedRows(session: DatabaseSession, spec: MonthlyCounts): Promise<void> {
  for (const relation of spec.relations) {
    const alone = relation.entity === relation.key && spec.relations.every((other) => other === relation || other.group !== relation.group);
    const affected = temp('affected', relation.group);
    await session.query(
      `CREATE TEMP TABLE ${affectedRows(relation.relation)} ON COMMIT DROP AS
         SELECT * FROM ${temp('removed', relation.relation)} WHERE ${relation.entity} IS NOT NULL
         ${alone ? '' : `UNION ALL SELECT s.* FROM ${affected} a JOIN ${seenTable(spec, relation.relation)} s ON s.${relation.entity} = a.key`}`,
    );
    await session.query(`ANALYZE ${affectedRows(relation.relation)}`);
  }
}

/**
 * Replaces the removed rows by the changed ones, in the copies of the affected
 * entities' rows (every changed row's entity is affected) and in the store's
 * seen rows.
 */
async function replaceRows(session: DatabaseSession, spec: MonthlyCounts): Promise<void> {
  for (const relation of spec.relations) {
    const [rows, changed] = [affectedRows(relation.relation), temp('changed', relation.relation)];
    await session.query(`DELETE FROM ${rows} WHERE ${relation.key} IN (SELECT ${relation.key} FROM ${temp('removed', relation.relation)})`);
    await session.query(`INSERT INTO ${rows} SELECT * FROM ${changed} WHERE ${relation.entity} IS NOT NULL`);
    await session.query(`ANALYZE ${rows}`);
    await session.query(`INSERT INTO ${seenTable(spec, relation.relation)} SELECT * FROM ${changed}`);
  }
}

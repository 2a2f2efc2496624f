import { agencyCounts, agencyMigrations, migrateStore } from '../../subgraphs/agencies.js';
import { refreshMonthlyCounts } from '../../subgraphs/runtime/monthly-counts.js';
import { countsDatabasesOf, refreshFull } from '../../subgraphs/runtime/refresh-counts.js';
import type { Agency } from '../../platform/config.js';
import type { Database, DatabaseSession } from '../../platform/database/database.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import { generateDataset, type DatasetOptions } from './generator.js';
import { createIndexes, dropSecondaryIndexes } from './indexes.js';
import { createSourceRelations, deletionRelation } from './source-schema.js';
import { generatedTables, tableKeys, type TableKey } from './tables.js';

export interface SeedReport {
  readonly rowCounts: Readonly<Record<TableKey, number>>;
  readonly milliseconds: number;
}

export interface SeedHooks {
  readonly signal?: AbortSignal;
  /** Citizens generated and loaded per step (default 20,000). */
  readonly chunkSize?: number;
  readonly onProgress?: (citizens: number, total: number) => void;
}

/**
 * Replaces the generated data of every agency's source with a new dataset,
 * then the store's records of them (PIN checks, counts). Each database is
 * filled inside one transaction that is committed only after every database
 * has received all its rows, so a failure or an interruption leaves the
 * previous data in place everywhere. (A crash between two commits could still
 * leave one agency new and another old; a re-run mends it.)
 */
export async function seed(databases: AgencyDatabases, options: DatasetOptions, hooks: SeedHooks = {}): Promise<SeedReport> {
  const started = performance.now();
  const s = databases.sourceSchema;
  await migrateStore(databases.store, databases.agencies);

  // Agencies that share the embedded database share its one transaction, with the store.
  const byDatabase = new Map<Database, Agency[]>();
  for (const agency of databases.agencies) {
    const writer = await databases.writer(agency);
    byDatabase.set(writer, [...(byDatabase.get(writer) ?? []), agency]);
  }
  const rowCounts = Object.fromEntries(tableKeys.map((key) => [key, 0])) as Record<TableKey, number>;
  const tablesOf = (agency: Agency) => tableKeys.filter((key) => generatedTables[key].agency === agency);

  // Checked before anything is created anywhere; then the relations are created (empty), each in a transaction of its own,
  // since agencies in one schema share its sequence and functions; the load below checks again before it empties any.
  for (const [writer, agencies] of byDatabase)
    await writer.transaction(async (session) => {
      for (const agency of agencies) await refuseDataNotGenerated(session, s, agency);
    });
  for (const [writer, agencies] of byDatabase)
    for (const agency of agencies) await writer.transaction((session) => createSourceRelations(session, s, agency));

  await inTransactions([...byDatabase.keys()], async (sessions) => {
    const sessionOf = new Map<Agency, DatabaseSession>();
    [...byDatabase.values()].forEach((agencies, index) => agencies.forEach((agency) => sessionOf.set(agency, sessions[index]!)));
    // Every database is checked before anything is created or emptied in any.
    for (const [agency, session] of sessionOf) await refuseDataNotGenerated(session, s, agency);
    const droppedIndexes = new Map<Agency, string[]>();
    for (const [agency, session] of sessionOf) {
      const tables = tablesOf(agency).map((key) => `${s}.${generatedTables[key].name}`);
      await session.query(`TRUNCATE ${tables.join(', ')}, ${s}.${deletionRelation(agency)}`);
      droppedIndexes.set(agency, await dropSecondaryIndexes(session, tables));
    }

    let loading: Promise<void> = Promise.resolve();
    for await (const chunk of generateDataset(options, hooks.chunkSize)) {
      // Generate the next chunk while the databases take this one.
      await loading;
      hooks.signal?.throwIfAborted();
      loading = Promise.all(
        [...byDatabase.values()].map(async (agencies) => {
          for (const { table, csv } of chunk.rows) {
            const { agency, name, columns } = generatedTables[table];
            if (!agencies.includes(agency)) continue;
            await sessionOf
              .get(agency)!
              .copyCsv(`${s}.${name}`, columns, csv)
              .catch((error: Error) => {
                throw new AppError(ErrorCode.SEED_FAILED, `Loading ${s}.${name} failed: ${error.message}`, { cause: error });
              });
          }
        }),
      ).then(() => {
        for (const { table, count } of chunk.rows) rowCounts[table] += count;
        hooks.onProgress?.(chunk.citizens, options.citizens);
      });
      // An early failure must not wait for the whole dataset to be generated.
      loading.catch(() => undefined);
    }
    await loading;
    hooks.signal?.throwIfAborted();

    for (const [agency, session] of sessionOf) {
      const rows = JSON.stringify(Object.fromEntries(tablesOf(agency).map((key) => [key, rowCounts[key]])));
      await createIndexes(session, droppedIndexes.get(agency)!);
      await session.query(`INSERT INTO ${s}.generator_load (agency, parameters, row_counts) VALUES ($1, $2, $3)`, [
        agency,
        JSON.stringify(options),
        rows,
      ]);
      for (const key of tablesOf(agency)) await session.query(`ANALYZE ${s}.${generatedTables[key].name}`);
      // The embedded store is in this transaction: its records of the old data go with them.
      if (databases.sharesStore(agency)) {
        await recordLoad(session, agency, options, rows);
        await refreshMonthlyCounts(session, agencyCounts[agency], { sourceSchema: s });
      }
    }
  });
  for (const agency of databases.agencies.filter((agency) => !databases.sharesStore(agency))) {
    const rows = JSON.stringify(Object.fromEntries(tablesOf(agency).map((key) => [key, rowCounts[key]])));
    await databases.store.transaction((session) => recordLoad(session, agency, options, rows));
    await refreshFull(countsDatabasesOf(databases, agency), agencyCounts[agency]);
  }
  return { rowCounts, milliseconds: performance.now() - started };
}

/** The store's provenance record of a load; the PIN checks of the data replaced are dropped with it. */
async function recordLoad(session: DatabaseSession, agency: Agency, options: DatasetOptions, rows: string): Promise<void> {
  const schema = agencyMigrations[agency].schema;
  await session.query(`INSERT INTO ${schema}.data_load (source, parameters, row_counts) VALUES ('generator', $1, $2)`, [
    JSON.stringify(options),
    rows,
  ]);
  const [pinChecks] = await session.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [`${schema}.pin_check`]);
  if (pinChecks!.present) await session.query(`TRUNCATE ${schema}.pin_check, ${schema}.pin_check_run`);
}

/**
 * A demo dataset replaces only what the generator wrote: an agency's source
 * relations that are absent or empty tables, or that the generator marked as
 * its own (`generator_load`). Rows that came another way are an agency's data,
 * and are never truncated; a view is an agency's, whatever it shows.
 */
async function refuseDataNotGenerated(session: DatabaseSession, s: string, agency: Agency): Promise<void> {
  const relations = [...tableKeys.filter((key) => generatedTables[key].agency === agency).map((key) => generatedTables[key].name)];
  const found = await session.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2)`,
    [s, relations],
  );
  if (found.length === 0) return;
  const why = (detail: string) =>
    new AppError(
      ErrorCode.SEED_REFUSED,
      `The ${agency} source (schema ${s}) ${detail}: a demo dataset is written only into an empty database or over one the generator wrote, and an agency's data is never truncated; nothing was changed`,
    );
  const views = found.filter((relation) => relation.kind !== 'r').map((relation) => relation.name);
  if (views.length > 0) throw why(`gives ${views.join(', ')} as views, not the generator's tables`);
  const holding: string[] = [];
  for (const { name } of found) {
    const [row] = await session.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${s}.${name}) AS held`);
    if (row!.held) holding.push(`${s}.${name}`);
  }
  if (holding.length === 0) return;
  const [marker] = await session.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [`${s}.generator_load`]);
  const generated =
    marker!.present &&
    (await session.query<{ loads: number }>(`SELECT count(*) AS loads FROM ${s}.generator_load WHERE agency = $1`, [agency]))[0]!.loads > 0;
  if (!generated)
    throw why(`holds rows the generator did not write (in ${holding.join(', ')}; no load of the generator is recorded for it)`);
}

/** Opens one transaction per database, runs `work` with their sessions, commits all only if it succeeds. */
function inTransactions<T>(
  databases: readonly Database[],
  work: (sessions: DatabaseSession[]) => Promise<T>,
  open: DatabaseSession[] = [],
): Promise<T> {
  const [next, ...rest] = databases;
  if (!next) return work(open);
  return next.transaction((session) => inTransactions(rest, work, [...open, session]));
}

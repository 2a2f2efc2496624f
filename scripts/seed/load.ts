import { agencyCounts, agencyMigrations } from '../../subgraphs/agencies.js';
import { refreshMonthlyCounts } from '../../subgraphs/runtime/monthly-counts.js';
import type { Agency } from '../../platform/config.js';
import type { Database, DatabaseSession } from '../../platform/database/database.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { migrate } from '../../platform/database/migrations.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import { generateDataset, type DatasetOptions } from './generator.js';
import { createIndexes, dropSecondaryIndexes } from './indexes.js';
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
 * Replaces the generated data of every agency with a new dataset. Each
 * database is filled inside one transaction that is committed only after every
 * database has received all its rows, so a failure or an interruption leaves
 * the previous data in place everywhere. (A crash between two commits could
 * still leave one agency new and another old; a re-run mends it.)
 */
export async function seed(databases: AgencyDatabases, options: DatasetOptions, hooks: SeedHooks = {}): Promise<SeedReport> {
  const started = performance.now();
  for (const agency of databases.agencies) await migrate(databases.get(agency), agencyMigrations[agency]);

  // Agencies that share the embedded database share its one transaction.
  const byDatabase = new Map<Database, Agency[]>();
  for (const agency of databases.agencies)
    byDatabase.set(databases.get(agency), [...(byDatabase.get(databases.get(agency)) ?? []), agency]);
  const rowCounts = Object.fromEntries(tableKeys.map((key) => [key, 0])) as Record<TableKey, number>;

  await inTransactions([...byDatabase.keys()], async (sessions) => {
    const sessionOf = new Map<Agency, DatabaseSession>();
    [...byDatabase.values()].forEach((agencies, index) => agencies.forEach((agency) => sessionOf.set(agency, sessions[index]!)));
    // Every database is checked before any is emptied.
    for (const [agency, session] of sessionOf) await refuseDataNotGenerated(session, agency);
    const droppedIndexes = new Map<Agency, string[]>();
    for (const [agency, session] of sessionOf) {
      const tables = tableKeys.filter((key) => generatedTables[key].agency === agency).map((key) => generatedTables[key].name);
      await session.query(`TRUNCATE ${tables.join(', ')}`);
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
              .copyCsv(name, columns, csv)
              .catch((error: Error) => {
                throw new AppError(ErrorCode.SEED_FAILED, `Loading ${name} failed: ${error.message}`, { cause: error });
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
      const tables = tableKeys.filter((key) => generatedTables[key].agency === agency);
      await createIndexes(session, droppedIndexes.get(agency)!);
      await session.query(`INSERT INTO ${agencyMigrations[agency].schema}.data_load (source, parameters, row_counts) VALUES ($1, $2, $3)`, [
        'generator',
        JSON.stringify(options),
        JSON.stringify(Object.fromEntries(tables.map((key) => [key, rowCounts[key]]))),
      ]);
      for (const key of tables) await session.query(`ANALYZE ${generatedTables[key].name}`);
      await refreshMonthlyCounts(session, agencyCounts[agency]);
    }
  });
  return { rowCounts, milliseconds: performance.now() - started };
}

/**
 * A demo dataset replaces only what the generator wrote: an agency's tables
 * that are empty, or whose every recorded load is the generator's. Rows that
 * came another way are an agency's data, and are never truncated.
 */
async function refuseDataNotGenerated(session: DatabaseSession, agency: Agency): Promise<void> {
  const tables = tableKeys.filter((key) => generatedTables[key].agency === agency).map((key) => generatedTables[key].name);
  const holding: string[] = [];
  for (const table of tables) {
    const [row] = await session.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS held`);
    if (row!.held) holding.push(table);
  }
  if (holding.length === 0) return;
  const schema = agencyMigrations[agency].schema;
  const [loads] = await session.query<{ generated: number; other: number }>(
    `SELECT count(*) FILTER (WHERE source = 'generator') AS generated, count(*) FILTER (WHERE source <> 'generator') AS other FROM ${schema}.data_load`,
  );
  if (loads!.generated > 0 && loads!.other === 0) return;
  throw new AppError(
    ErrorCode.SEED_REFUSED,
    `The ${agency} database holds rows the generator did not write (in ${holding.join(', ')}; ${schema}.data_load records ${loads!.generated} generator load(s) and ${loads!.other} other): ` +
      "a demo dataset is written only into empty databases or over one the generator wrote, and an agency's data is never truncated; nothing was changed",
  );
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

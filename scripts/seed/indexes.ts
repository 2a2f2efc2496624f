import type { DatabaseSession } from '../../platform/database/database.js';

/**
 * Bulk loads run faster into tables without their secondary indexes, built
 * once at the end instead of row by row (at 10 million citizens, row-by-row
 * index upkeep dominates the load). Indexes that back a constraint (primary
 * keys, unique columns) stay. Inside the load's transaction, so a failed load
 * gets its indexes back with its rollback.
 */
export async function dropSecondaryIndexes(session: DatabaseSession, tables: readonly string[]): Promise<string[]> {
  const indexes = await session.query<{ schema: string; name: string; definition: string }>(
    `SELECT i.schemaname AS schema, i.indexname AS name, i.indexdef AS definition
       FROM pg_indexes i
      WHERE i.schemaname || '.' || i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = i.schemaname::regnamespace)`,
    [tables],
  );
  for (const index of indexes) await session.query(`DROP INDEX ${index.schema}.${index.name}`);
  return indexes.map((index) => index.definition);
}

export async function createIndexes(session: DatabaseSession, definitions: readonly string[]): Promise<void> {
  await session.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const definition of definitions) await session.query(definition);
}

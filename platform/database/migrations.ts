import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCode } from '../errors.js';
import type { Database, DatabaseSession } from './database.js';

export interface MigrationSet {
  /** The agency's schema; every migration writes only inside it. */
  readonly schema: string;
  /** Folder of `NNN_name.sql` files, applied in order of NNN. */
  readonly directory: string | URL;
  /** Reference data loaded after the migrations, in the same transaction; must be idempotent. */
  readonly afterMigrate?: (session: DatabaseSession) => Promise<void>;
}

interface Migration {
  readonly version: number;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

const fileName = /^(\d{3})_[a-z0-9_]+\.sql$/;

export async function readMigrations(directory: string | URL): Promise<Migration[]> {
  const folder = typeof directory === 'string' ? directory : fileURLToPath(directory);
  const migrations: Migration[] = [];
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort()) {
    const match = fileName.exec(file);
    if (!match) {
      throw new AppError(
        ErrorCode.MIGRATION_FAILED,
        `Migration file ${path.join(folder, file)} must be named NNN_words.sql (e.g. 002_add_index.sql)`,
      );
    }
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) {
      throw new AppError(ErrorCode.MIGRATION_FAILED, `Two migration files in ${folder} have version ${match[1]}`);
    }
    const sql = await readFile(path.join(folder, file), 'utf8');
    migrations.push({ version, file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies the pending migrations of one schema in a single transaction, so a
 * failing migration leaves the schema as it was. A migration already applied
 * whose file has since changed is refused: applied history is never rewritten.
 * Concurrent runs (several replicas starting) queue on an advisory lock.
 */
export async function migrate(database: Database, set: MigrationSet): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(set.directory);
  const table = `${set.schema}.schema_migration`;
  return database.transaction(async (session) => {
    await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
    await session.query(`CREATE SCHEMA IF NOT EXISTS ${set.schema}`);
    await session.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
         version integer PRIMARY KEY,
         file text NOT NULL,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Map(
      (await session.query<{ version: number; file: string; checksum: string }>(`SELECT version, file, checksum FROM ${table}`)).map(
        (row) => [row.version, row],
      ),
    );
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const done = applied.get(migration.version);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new AppError(
            ErrorCode.MIGRATION_FAILED,
            `Migration ${migration.file} of schema ${set.schema} changed after it was applied (as ${done.file}); add a new migration instead of editing it`,
          );
        }
        continue;
      }
      try {
        await session.query(migration.sql);
      } catch (error) {
        throw new AppError(
          ErrorCode.MIGRATION_FAILED,
          `Migration ${migration.file} of schema ${set.schema} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      await session.query(`INSERT INTO ${table} (version, file, checksum) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.file,
        migration.checksum,
      ]);
      newlyApplied.push(migration.file);
    }
    await set.afterMigrate?.(session);
    return { applied: newlyApplied };
  });
}

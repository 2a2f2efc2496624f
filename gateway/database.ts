import path from 'node:path';
import type { Database } from '../platform/database/database.js';
import { migrate, type MigrationSet } from '../platform/database/migrations.js';
import { openServer } from '../platform/database/postgres.js';

/** The gateway's own tables: the audit trail and the API keys. */
export const gatewayMigrations: readonly MigrationSet[] = [
  { schema: 'audit', directory: new URL('./audit/migrations/', import.meta.url) },
  { schema: 'access', directory: new URL('./auth/migrations/', import.meta.url) },
];

export interface GatewayDatabaseOptions {
  /** AUDIT_DATABASE_URL; none: embedded PGlite in `<dataDir>/audit`. */
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly poolSize?: number;
}

/**
 * Opens and migrates the gateway's database. It is not an agency's: the audit
 * trail must survive, and be kept apart from, the data whose reads it records.
 */
export async function openGatewayDatabase(options: GatewayDatabaseOptions): Promise<Database> {
  const database = options.url
    ? await openServer({ url: options.url, variable: 'AUDIT_DATABASE_URL', poolSize: options.poolSize ?? 10, queryTimeoutMs: 5_000 })
    : // PGlite (~45 MiB once loaded) is loaded only when the embedded database is used.
      (
        await (
          await import('../platform/database/embedded.js')
        ).openEmbedded({ dataDir: options.dataDir.startsWith('memory://') ? options.dataDir : path.join(options.dataDir, 'audit') })
      ).database;
  try {
    for (const set of gatewayMigrations) await migrate(database, set);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

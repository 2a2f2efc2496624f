import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { agencies as allAgencies, databaseUrlVariables, type Agency, type DatabaseConfig } from '../config.js';
import type { Database } from './database.js';
import { openEmbedded } from './embedded.js';
import { openServer } from './postgres.js';

export interface AgencyDatabases {
  get(agency: Agency): Database;
  readonly agencies: readonly Agency[];
  /** The embedded instance, when some agency uses it. */
  readonly pglite: PGlite | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly agencies?: readonly Agency[];
  /** Overrides `<DATA_DIR>/pglite`, e.g. `memory://` in tests. */
  readonly embeddedDataDir?: string;
  readonly loadDataDir?: Blob;
}

/**
 * Opens the database of each agency: its server when its URL is set, otherwise the
 * one embedded database that every such agency shares (each in its own schema).
 */
export async function openAgencyDatabases(config: DatabaseConfig, options: OpenOptions = {}): Promise<AgencyDatabases> {
  const wanted = options.agencies ?? allAgencies;
  const opened = new Map<Agency, Database>();
  let embedded: { database: Database; pglite: PGlite } | undefined;
  const closeAll = async () => {
    await Promise.allSettled([...new Set(opened.values())].map((database) => database.close()));
    if (embedded) await embedded.database.close();
  };
  try {
    // Servers first: a bad URL should fail before the slower embedded start.
    for (const agency of [...wanted].sort((a, b) => Number(!config.urls[a]) - Number(!config.urls[b]))) {
      const url = config.urls[agency];
      if (url) {
        opened.set(
          agency,
          await openServer({
            url,
            variable: databaseUrlVariables[agency],
            poolSize: config.poolSize,
            connectTimeoutMs: config.connectTimeoutMs,
            statementTimeoutMs: config.statementTimeoutMs,
          }),
        );
      } else {
        embedded ??= await openEmbedded({
          dataDir: options.embeddedDataDir ?? path.join(config.dataDir, 'pglite'),
          ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
        });
        opened.set(agency, embedded.database);
      }
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    agencies: wanted,
    pglite: embedded?.pglite,
    get(agency) {
      const database = opened.get(agency);
      if (!database) throw new Error(`The database of ${agency} was not opened`);
      return database;
    },
    close: closeAll,
  };
}

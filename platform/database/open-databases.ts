import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { agencies as allAgencies, databaseUrlVariables, type Agency, type DatabaseConfig } from '../config.js';
import type { Database } from './database.js';
import { openEmbedded } from './embedded.js';
import { openServer } from './postgres.js';
import { scopedDatabase } from './scoped.js';

/**
 * The databases a process works with: each agency's source, which the project
 * only reads (docs/source-contract.md), and the project's own store, where
 * everything it derives or records is written (docs/data-model.md).
 */
export interface AgencyDatabases {
  /** The agency's source: statements see the source schema first (search_path) and cannot write, unless opened for the generator. */
  get(agency: Agency): Database;
  /** The store: one schema per agency (`store_<agency>`), always written schema-qualified. */
  readonly store: Database;
  /** The schema of the contract relations (SOURCE_SCHEMA). */
  readonly sourceSchema: string;
  /** Whether an agency's source is in the store's own instance (the embedded default): one transaction may read both. */
  sharesStore(agency: Agency): boolean;
  /**
   * A handle that may write the agency's source, for the demo generator only:
   * the embedded instance itself, or a pool of its own on the agency's server
   * (opened on first use, closed with the rest). Its SQL names the source schema.
   */
  writer(agency: Agency): Promise<Database>;
  readonly agencies: readonly Agency[];
  /** The embedded instance, when something uses it. */
  readonly pglite: PGlite | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly agencies?: readonly Agency[];
  /** Overrides `<DATA_DIR>/pglite`, e.g. `memory://` in tests. */
  readonly embeddedDataDir?: string;
  readonly loadDataDir?: Blob;
  /**
   * `generator`: sources may be written, for the demo generator (scripts/seed)
   * and tests that make data; anything else only ever reads them.
   */
  readonly sourceAccess?: 'read' | 'generator';
}

/**
 * Opens each agency's source (its server when its URL is set, otherwise the
 * source schema of the one embedded database) and the store (STORE_DATABASE_URL,
 * otherwise the embedded database too).
 */
export async function openAgencyDatabases(config: DatabaseConfig, options: OpenOptions = {}): Promise<AgencyDatabases> {
  const wanted = options.agencies ?? allAgencies;
  const readOnly = options.sourceAccess !== 'generator';
  const servers: Database[] = [];
  const sources = new Map<Agency, Database>();
  let embedded: { database: Database; pglite: PGlite } | undefined;
  const openEmbeddedOnce = async () =>
    (embedded ??= await openEmbedded({
      dataDir: options.embeddedDataDir ?? path.join(config.dataDir, 'pglite'),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    })).database;
  const server = async (url: string, variable: string, settings?: Record<string, string>) => {
    const database = await openServer({
      url,
      variable,
      poolSize: config.poolSize,
      connectTimeoutMs: config.connectTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      ...(settings ? { settings } : {}),
    });
    servers.push(database);
    return database;
  };
  const closeAll = async () => {
    await Promise.allSettled(servers.map((database) => database.close()));
    if (embedded) await embedded.database.close();
  };
  // A process with no agency here (a gateway whose subgraphs all run elsewhere) opens no store either.
  let store: Database | undefined;
  try {
    // Servers first: a bad URL should fail before the slower embedded start.
    for (const agency of [...wanted].sort((a, b) => Number(!config.urls[a]) - Number(!config.urls[b]))) {
      const url = config.urls[agency];
      sources.set(
        agency,
        url
          ? await server(url, databaseUrlVariables[agency], {
              search_path: config.sourceSchema,
              ...(readOnly ? { default_transaction_read_only: 'on' } : {}),
            })
          : scopedDatabase(await openEmbeddedOnce(), { searchPath: config.sourceSchema, readOnly }),
      );
    }
    if (wanted.length > 0) store = config.storeUrl ? await server(config.storeUrl, 'STORE_DATABASE_URL') : await openEmbeddedOnce();
  } catch (error) {
    await closeAll();
    throw error;
  }
  // By URL: agencies whose sources share a server database share one writer, hence one transaction.
  const writers = new Map<string, Promise<Database>>();
  const opened: AgencyDatabases = {
    agencies: wanted,
    writer(agency) {
      const url = config.urls[agency];
      let writer = writers.get(url ?? '');
      if (!writer) {
        writer = url ? server(url, databaseUrlVariables[agency]) : openEmbeddedOnce();
        writers.set(url ?? '', writer);
        // A failed open is not kept: the next call tries again.
        writer.catch(() => writers.delete(url ?? ''));
      }
      return writer;
    },
    get store() {
      if (!store) throw new Error('No agency was opened here, so neither was the store');
      return store;
    },
    sourceSchema: config.sourceSchema,
    sharesStore: (agency) => !config.urls[agency] && !config.storeUrl,
    get pglite() {
      return embedded?.pglite;
    },
    get(agency) {
      const database = sources.get(agency);
      if (!database) throw new Error(`The source of ${agency} was not opened`);
      return database;
    },
    close: closeAll,
  };
  for (const source of sources.values()) owners.set(source, opened);
  return opened;
}

const owners = new WeakMap<Database, AgencyDatabases>();

/** The databases an agency's source handle was opened with (for callers given only that handle). */
export function databasesOfSource(source: Database): AgencyDatabases {
  const owner = owners.get(source);
  if (!owner) throw new Error('This database handle was not opened by openAgencyDatabases');
  return owner;
}

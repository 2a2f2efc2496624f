import pg from 'pg';
import { AppError, ErrorCode } from '../errors.js';
import { redactPassword } from '../environment.js';
import { copyThroughServer, PoolDatabase, typeParsers, type Database } from './database.js';

export interface ServerOptions {
  readonly url: string;
  /** The variable the URL came from, named in error messages. */
  readonly variable: string;
  readonly poolSize: number;
  /** A query (or a wait for a connection) longer than this fails instead of holding its request (ms). */
  readonly queryTimeoutMs?: number;
  /** Opening a new connection longer than this fails (ms); default: queryTimeoutMs, else 5 s. */
  readonly connectTimeoutMs?: number;
  /**
   * The server cancels a statement sent with `query` that runs longer (ms), and
   * the client stops waiting a little later if no answer comes at all (a cut
   * network). Transactions (migrations, seeding, refreshes) are not bounded.
   */
  readonly statementTimeoutMs?: number;
  /** Settings every connection starts with, e.g. a source's search_path and read-only default. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A pool against a PostgreSQL server, checked with one round trip so a bad URL fails now, not at the first request. */
export async function openServer(options: ServerOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    types: typeParsers,
    // An unreachable server must fail start-up quickly, not hang it.
    connectionTimeoutMillis: options.connectTimeoutMs ?? options.queryTimeoutMs ?? 5_000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    // The startup packet's options: set before the first statement, so nothing runs without them.
    ...(options.settings
      ? {
          options: Object.entries(options.settings)
            .map(([name, value]) => `-c ${name}=${value}`)
            .join(' '),
        }
      : {}),
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AppError(
      ErrorCode.DATABASE_UNAVAILABLE,
      `${options.variable}: cannot use ${redactPassword(options.url)}: ${connectionProblem(error)}`,
      { cause: error },
    );
  }
  return new PoolDatabase({
    driver: 'postgres',
    pool,
    copyCsv: copyThroughServer,
    onClose: () => pool.end(),
    ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
  });
}

function connectionProblem(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running on that host and port?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === '3D000') return `the database does not exist (${message})`;
  if (code === '28P01' || code === '28000') return `authentication failed (${message})`;
  return message ?? String(error);
}

import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import { AppError, ErrorCode } from '../errors.js';

/**
 * The slice of a database that subgraphs, migrations and the generator use. Two
 * drivers stand behind it with the same SQL: `pg` against a PostgreSQL server,
 * and `pg` over an embedded PGlite instance. They differ only in how COPY
 * reaches the server, which is why COPY is a method here.
 */
export interface Database {
  readonly driver: 'postgres' | 'pglite';
  query<Row extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: DatabaseSession) => Promise<T>): Promise<T>;
  /** Called with the text of every statement sent; lets tests count statements. */
  onStatement(listener: (text: string) => void): () => void;
  close(): Promise<void>;
}

export interface DatabaseSession {
  query<Row extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Loads CSV text (no header) into `table` (schema-qualified) with COPY. */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
}

/** How COPY ... FROM reaches the server for one driver. */
type CopyCsv = (client: pg.PoolClient, statement: string, csv: string) => Promise<void>;

// Result types the same on both drivers: dates stay 'YYYY-MM-DD' strings (a JS Date
// would shift them by the time zone), counts (int8) and numerics become numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === INT8_OID) return parseSafeInteger;
    if (oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseSafeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`int8 value ${value} is beyond the safe integer range`);
  return number;
}

export const copyThroughServer: CopyCsv = async (client, statement, csv) => {
  await pipeline(Readable.from([csv]), client.query(copyFromStdin(statement)));
};

/**
 * PGlite cannot take COPY FROM STDIN (through `pg` it aborts the WASM instance),
 * but reads COPY FROM '/dev/blob'. The pool has a single connection to the same
 * PGlite session, so this runs inside the caller's open transaction.
 */
export function copyThroughBlob(pglite: PGlite): CopyCsv {
  return async (_client, statement, csv) => {
    await pglite.query(statement.replace(/FROM STDIN/, `FROM '/dev/blob'`), [], { blob: new Blob([csv]) });
  };
}

/** How much longer than the server's statement_timeout the client waits for its answer (ms). */
const unansweredMarginMs = 2_000;

/** What pg says when a statement outlives the pool's query_timeout. */
const queryTimeoutMessage = 'Query read timeout';

// How pg reports a database it cannot reach or that stopped answering: socket
// errors, its own connect and query timeouts, a connection cut mid-way.
const unreachableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const unreachableMessage =
  /^(timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|Client was closed)/;
// SQLSTATEs of a server that cannot serve now: connection exceptions (class 08),
// too many connections, a statement cancelled (statement_timeout), shutting down or starting up.
const unavailableSqlStates = /^(08...|53300|57014|57P0[1-3])$/;

/**
 * A driver error that says the database cannot be reached or did not answer in
 * time, as DATABASE_UNAVAILABLE (a retryable 503), not as an internal error;
 * any other error (a bad statement, a broken row) is returned as it is.
 */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const { code } = error as { code?: unknown };
  const unreachable =
    (typeof code === 'string' && (unreachableSocketCodes.has(code) || unavailableSqlStates.test(code))) ||
    unreachableMessage.test(error.message);
  if (!unreachable) return error;
  return new AppError(ErrorCode.DATABASE_UNAVAILABLE, `The database is unavailable: ${error.message}`, { cause: error });
}

export class PoolDatabase implements Database {
  readonly driver: 'postgres' | 'pglite';
  readonly #pool: pg.Pool;
  readonly #copyCsv: CopyCsv;
  readonly #onClose: () => Promise<void>;
  readonly #listeners = new Set<(text: string) => void>();
  readonly #statementTimeoutMs: number | undefined;
  #closed: Promise<void> | undefined;

  /**
   * `statementTimeoutMs`: the pool's connections carry it as their statement_timeout;
   * here a statement also stops waiting this long plus a margin for an answer that
   * never comes, and transactions lift it (see `transaction`).
   */
  constructor(options: {
    driver: 'postgres' | 'pglite';
    pool: pg.Pool;
    copyCsv: CopyCsv;
    onClose: () => Promise<void>;
    statementTimeoutMs?: number;
  }) {
    this.driver = options.driver;
    this.#pool = options.pool;
    this.#copyCsv = options.copyCsv;
    this.#onClose = options.onClose;
    this.#statementTimeoutMs = options.statementTimeoutMs;
  }

  async query<Row extends object>(text: string, values?: readonly unknown[]): Promise<Row[]> {
    this.#notify(text);
    try {
      if (this.#statementTimeoutMs) {
        // A server that is cut off never sends its cancellation: the client gives up a little after it would have.
        const query_timeout = this.#statementTimeoutMs + unansweredMarginMs;
        return (await this.#pool.query<Row>({ text, ...(values ? { values: values as unknown[] } : {}), query_timeout } as pg.QueryConfig))
          .rows;
      }
      return (await this.#pool.query<Row>(text, values as unknown[] | undefined)).rows;
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async transaction<T>(work: (session: DatabaseSession) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw asUnavailable(error);
    });
    const session: DatabaseSession = {
      query: async <Row extends object>(text: string, values?: readonly unknown[]) => {
        this.#notify(text);
        try {
          return (await client.query<Row>(text, values as unknown[] | undefined)).rows;
        } catch (error) {
          throw asUnavailable(error);
        }
      },
      copyCsv: async (table, columns, csv) => {
        const statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv)`;
        this.#notify(statement);
        await this.#copyCsv(client, statement, csv);
      },
    };
    let broken: Error | undefined;
    // pg-pool stops listening for a checked-out client's errors: a connection lost now would crash the process.
    const onLost = (error: Error) => (broken ??= error);
    client.on('error', onLost);
    try {
      await client.query('BEGIN').catch((error: unknown) => Promise.reject(asUnavailable(error)));
      // Transactions are the maintenance work (migrations, seeding, refreshing counts), which legitimately
      // runs for minutes; the statement timeout is there for the statements that answer requests.
      if (this.#statementTimeoutMs)
        await client.query('SET LOCAL statement_timeout = 0').catch((error: unknown) => Promise.reject(asUnavailable(error)));
      const result = await work(session);
      await client.query('COMMIT').catch((error: unknown) => Promise.reject(asUnavailable(error)));
      return result;
    } catch (error) {
      // A statement that timed out is still stuck on this connection: a ROLLBACK would queue behind it
      // and wait out a second timeout. Dropping the connection rolls the transaction back on the server.
      const cause = error instanceof AppError && error.cause instanceof Error ? error.cause : (error as Error);
      if (!broken && cause.message === queryTimeoutMessage) broken = cause;
      // A connection that cannot even roll back is not given back to others.
      if (!broken) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(broken);
    }
  }

  onStatement(listener: (text: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    return (this.#closed ??= this.#onClose());
  }

  #notify(text: string): void {
    for (const listener of this.#listeners) listener(text);
  }
}

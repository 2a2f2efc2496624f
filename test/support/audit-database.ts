import { afterAll, beforeAll, beforeEach } from 'vitest';
import { genesisHash } from '../../gateway/audit/chain.js';
import { openGatewayDatabase } from '../../gateway/database.js';
import type { Database } from '../../platform/database/database.js';
import { createTestDatabase } from './postgres.js';

/**
 * A gateway database of the test file's own (migrated, dropped afterwards)
 * whose audit chain is emptied before every test. `aroundTriggers` runs
 * statements as a superuser stepping around the append-only triggers would,
 * as the migration warns one can: how tests alter, remove or reorder records.
 */
export function emptyAuditChainForEachTest(name: string): {
  readonly database: () => Database;
  aroundTriggers(...statements: string[]): Promise<void>;
} {
  let database: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase(name);
    drop = created.drop;
    database = await openGatewayDatabase({ url: created.url, dataDir: '' });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });
  const aroundTriggers = (...statements: string[]) =>
    database!.transaction(async (session) => {
      await session.query('SET LOCAL session_replication_role = replica');
      for (const statement of statements) await session.query(statement);
    });
  beforeEach(() =>
    aroundTriggers(
      'DELETE FROM audit.access_record',
      'DELETE FROM audit.chain_head',
      `INSERT INTO audit.chain_head (sequence, hash) VALUES (0, '${genesisHash}')`,
    ),
  );
  return { database: () => database!, aroundTriggers };
}

/** An audit record as a test reads it. */
export interface RecordRow {
  sequence: number;
  subject: string;
  agency: string | null;
  purpose: string | null;
  operation_name: string | null;
  pins: string[];
  fields: string[];
  request_id: string;
}

/** Records read with SQL of the test's own, not through the product's readRecords. */
export const recordsOf = (database: Database, subjectLike: string) =>
  database.query<RecordRow>(
    'SELECT sequence, subject, agency, purpose, operation_name, pins, fields, request_id FROM audit.access_record WHERE subject LIKE $1 ORDER BY sequence',
    [subjectLike],
  );

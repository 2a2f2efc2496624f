import type { Database } from '../../platform/database/database.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { recordHash, type AuditEntry, type ChainedRecord } from './chain.js';

export interface AuditTrail {
  /** Resolves once the entry is committed; rejects with AUDIT_UNAVAILABLE when it cannot be. */
  record(entry: AuditEntry): Promise<void>;
}

interface Pending {
  readonly entry: AuditEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Head {
  readonly sequence: number;
  readonly hash: string;
}

/** The batch's records chained after `head`, and the head they leave. */
function chain(head: Head, batch: readonly Pending[]): { records: ChainedRecord[]; head: Head } {
  let { sequence, hash } = head;
  const records = batch.map(({ entry }) => {
    sequence += 1;
    const unhashed = { ...entry, sequence, previousHash: hash };
    hash = recordHash(unhashed);
    return { ...unhashed, hash };
  });
  return { records, head: { sequence, hash } };
}

/** The records as one JSON parameter of insertRecords ($1). */
function recordsJson(records: readonly ChainedRecord[]): string {
  return JSON.stringify(
    records.map((record) => ({
      sequence: record.sequence,
      recorded_at: record.recordedAt.toISOString(),
      subject: record.subject,
      agency: record.agency,
      purpose: record.purpose,
      operation_name: record.operationName,
      operation_hash: record.operationHash,
      pins: record.pins,
      fields: record.fields,
      request_id: record.requestId,
      previous_hash: record.previousHash,
      hash: record.hash,
    })),
  );
}

/** Inserts the records of $1 (recordsJson), arrays in the order given: the hash covers the order. */
const insertRecords = `INSERT INTO audit.access_record
     (sequence, recorded_at, subject, agency, purpose, operation_name, operation_hash, pins, fields, request_id, previous_hash, hash)
   SELECT r.sequence, r.recorded_at, r.subject, r.agency, r.purpose, r.operation_name, r.operation_hash,
          ARRAY(SELECT value FROM jsonb_array_elements_text(r.pins) WITH ORDINALITY AS e(value, position) ORDER BY position),
          ARRAY(SELECT value FROM jsonb_array_elements_text(r.fields) WITH ORDINALITY AS e(value, position) ORDER BY position),
          r.request_id, r.previous_hash, r.hash
   FROM jsonb_to_recordset($1::jsonb) AS r(sequence bigint, recorded_at timestamptz, subject text, agency text, purpose text,
        operation_name text, operation_hash text, pins jsonb, fields jsonb, request_id text, previous_hash text, hash text)`;

/**
 * Appends to the audit trail with group commit: entries that arrive while a
 * batch is being written wait and go together in the next transaction, so a
 * burst of lookups costs a few commits, not one each. A batch moves the
 * chain head it was chained after, or writes nothing, so replicas sharing
 * the database extend one chain in turn.
 */
export function createAuditTrail(database: Database, options: { readonly batchSize?: number } = {}): AuditTrail {
  const batchSize = options.batchSize ?? 500;
  let queue: Pending[] = [];
  let writing = false;

  // The chain head as this writer last left it. While no other replica has written since, a batch is one
  // statement (the head moved only if it is still there, and the records inserted only if it moved): one round
  // trip instead of a transaction of four. Unknown at first and after a failure: then the head is read and locked.
  let knownHead: Head | undefined;

  const write = async (batch: readonly Pending[]) => {
    try {
      if (knownHead) {
        const chained = chain(knownHead, batch);
        const rows = await database.query<{ written: number }>(
          `WITH head AS (
             UPDATE audit.chain_head SET sequence = $2, hash = $3 WHERE sequence = $4 AND hash = $5 RETURNING 1
           ), written AS (${insertRecords} WHERE EXISTS (SELECT 1 FROM head) RETURNING 1)
           SELECT count(*)::int AS written FROM written`,
          [recordsJson(chained.records), chained.head.sequence, chained.head.hash, knownHead.sequence, knownHead.hash],
        );
        if (rows[0]?.written === batch.length) {
          knownHead = chained.head;
          return;
        }
      }
      knownHead = await database.transaction(async (session) => {
        const [head] = await session.query<Head>('SELECT sequence, hash FROM audit.chain_head FOR UPDATE');
        if (!head) throw new Error('The audit chain head is missing');
        const chained = chain(head, batch);
        await session.query(insertRecords, [recordsJson(chained.records)]);
        await session.query('UPDATE audit.chain_head SET sequence = $1, hash = $2', [chained.head.sequence, chained.head.hash]);
        return chained.head;
      });
    } catch (error) {
      knownHead = undefined;
      throw error;
    }
  };

  const drain = async () => {
    writing = true;
    try {
      // Entries of the same burst arrive within one turn of the event loop: let them join the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = queue.slice(0, batchSize);
        queue = queue.slice(batchSize);
        try {
          await write(batch);
          for (const pending of batch) pending.resolve();
        } catch (error) {
          const failure = new AppError(
            ErrorCode.AUDIT_UNAVAILABLE,
            'The audit trail cannot be written now, so personal data are withheld; try again later',
            {
              cause: error,
            },
          );
          for (const pending of batch) pending.reject(failure);
        }
      }
    } finally {
      writing = false;
    }
  };

  return {
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

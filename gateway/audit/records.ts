import type { Database } from '../../platform/database/database.js';
import type { ChainedRecord } from './chain.js';

/** A row of audit.access_record as the driver returns it. */
export interface RecordRow {
  sequence: number;
  recorded_at: Date;
  subject: string;
  agency: string | null;
  purpose: string | null;
  operation_name: string | null;
  operation_hash: string;
  pins: string[];
  fields: string[];
  request_id: string;
  previous_hash: string;
  hash: string;
}

export interface RecordFilter {
  readonly pin?: string;
  readonly subject?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Records after this sequence number (the previous page's last). */
  readonly after?: number;
  readonly limit: number;
}

/** Audit records in sequence order, filtered; the auditors' API and the verifier read through here. */
export async function readRecords(database: Database, filter: RecordFilter): Promise<ChainedRecord[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    values.push(value);
    conditions.push(condition.replace('?', `$${values.length}`));
  };
  if (filter.after !== undefined) add('sequence > ?', filter.after);
  if (filter.pin !== undefined) add('pins @> ARRAY[?::text]', filter.pin);
  if (filter.subject !== undefined) add('subject = ?', filter.subject);
  if (filter.from !== undefined) add('recorded_at >= ?', filter.from);
  if (filter.to !== undefined) add('recorded_at < ?', filter.to);
  values.push(filter.limit);
  const rows = await database.query<RecordRow>(
    `SELECT * FROM audit.access_record ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY sequence LIMIT $${values.length}`,
    values,
  );
  return rows.map((row) => ({
    sequence: row.sequence,
    recordedAt: row.recorded_at,
    subject: row.subject,
    agency: row.agency,
    purpose: row.purpose,
    operationName: row.operation_name,
    operationHash: row.operation_hash,
    pins: row.pins,
    fields: row.fields,
    requestId: row.request_id,
    previousHash: row.previous_hash,
    hash: row.hash,
  }));
}

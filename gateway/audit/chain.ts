import { createHash } from 'node:crypto';

/** One read of personal data, as the audit trail keeps it. */
export interface AuditEntry {
  readonly recordedAt: Date;
  readonly subject: string;
  readonly agency: string | null;
  readonly purpose: string | null;
  readonly operationName: string | null;
  /** SHA-256 of the operation's text (Apollo's query hash). */
  readonly operationHash: string;
  /** The PINs whose data were returned, in the order first met. */
  readonly pins: readonly string[];
  /** Schema coordinates of the personal fields read, e.g. Citizen.fullName. */
  readonly fields: readonly string[];
  readonly requestId: string;
}

export interface ChainedRecord extends AuditEntry {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
}

/** The hash before the first record. */
export const genesisHash = '0'.repeat(64);

/**
 * A record's hash: SHA-256 over a JSON array of every column in a fixed order,
 * the previous record's hash included, so changing, removing or reordering
 * any record changes every hash after it. Written here once, used by the
 * writer and by the verifier.
 */
export function recordHash(record: Omit<ChainedRecord, 'hash'>): string {
  const canonical = JSON.stringify([
    record.sequence,
    record.recordedAt.toISOString(),
    record.subject,
    record.agency,
    record.purpose,
    record.operationName,
    record.operationHash,
    record.pins,
    record.fields,
    record.requestId,
    record.previousHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

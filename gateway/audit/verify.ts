import type { Database } from '../../platform/database/database.js';
import { genesisHash, recordHash } from './chain.js';
import { readRecords } from './records.js';

export interface ChainProblem {
  readonly sequence: number;
  readonly problem: string;
}

export interface ChainReport {
  readonly records: number;
  readonly problems: readonly ChainProblem[];
}

/**
 * Recomputes the whole chain, page by page: every record's hash from its
 * columns, every link to the previous hash, no gaps in the sequence, and the
 * head matching the last record (so records cut off the end are found too,
 * unless the head was moved back with them: the chain, unkeyed, can only be
 * checked against itself and the head beside it).
 */
export async function verifyChain(
  database: Database,
  options: { readonly pageSize?: number; readonly maximumProblems?: number } = {},
): Promise<ChainReport> {
  const pageSize = options.pageSize ?? 5_000;
  const maximumProblems = options.maximumProblems ?? 100;
  const problems: ChainProblem[] = [];
  const note = (sequence: number, problem: string) => {
    if (problems.length < maximumProblems) problems.push({ sequence, problem });
  };
  let expectedSequence = 1;
  let previousHash = genesisHash;
  let records = 0;
  for (;;) {
    const page = await readRecords(database, { after: expectedSequence - 1, limit: pageSize });
    if (page.length === 0) break;
    for (const record of page) {
      records += 1;
      if (record.sequence !== expectedSequence) note(record.sequence, `records ${expectedSequence} to ${record.sequence - 1} are missing`);
      if (record.previousHash !== previousHash) note(record.sequence, "its link to the previous record does not match that record's hash");
      if (recordHash(record) !== record.hash) note(record.sequence, 'its content does not match its hash (altered after it was written)');
      expectedSequence = record.sequence + 1;
      previousHash = record.hash;
    }
  }
  const [head] = await database.query<{ sequence: number; hash: string }>('SELECT sequence, hash FROM audit.chain_head');
  if (!head) note(0, 'the chain head is missing');
  else if (head.sequence !== expectedSequence - 1 || head.hash !== previousHash) {
    note(
      head.sequence,
      `the chain head names record ${head.sequence}, but the last record is ${expectedSequence - 1}: records were removed from the end or the head was altered`,
    );
  }
  return { records, problems };
}

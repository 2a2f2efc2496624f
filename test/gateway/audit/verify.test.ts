import { describe, expect, it } from 'vitest';
import { genesisHash, recordHash, type ChainedRecord } from '../../../gateway/audit/chain.js';
import { verifyChain } from '../../../gateway/audit/verify.js';
import { emptyAuditChainForEachTest } from '../../support/audit-database.js';

const linkBroken = "its link to the previous record does not match that record's hash";
const altered = 'its content does not match its hash (altered after it was written)';

const chain = emptyAuditChainForEachTest('audit_verify');
const { aroundTriggers } = chain;

/** Writes records 1..count as the trail would, with SQL of the test's own, and moves the head to the last. */
async function writeChain(count: number): Promise<ChainedRecord[]> {
  const records: ChainedRecord[] = [];
  let previousHash = genesisHash;
  for (let sequence = 1; sequence <= count; sequence++) {
    const unhashed = {
      sequence,
      recordedAt: new Date(Date.UTC(2026, 10, 29, 8, 0, sequence)),
      subject: `clerk-${sequence % 3}`,
      agency: sequence % 2 ? 'health' : null,
      purpose: 'health-care',
      operationName: 'Lookup',
      operationHash: 'f'.repeat(64),
      pins: [String(sequence).padStart(12, '0'), '079123456789'],
      fields: ['Citizen.fullName'],
      requestId: `request-${sequence}`,
      previousHash,
    };
    previousHash = recordHash(unhashed);
    records.push({ ...unhashed, hash: previousHash });
  }
  await chain.database().transaction(async (session) => {
    for (const record of records) {
      await session.query(
        `INSERT INTO audit.access_record (sequence, recorded_at, subject, agency, purpose, operation_name, operation_hash, pins, fields, request_id, previous_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          record.sequence,
          record.recordedAt,
          record.subject,
          record.agency,
          record.purpose,
          record.operationName,
          record.operationHash,
          record.pins,
          record.fields,
          record.requestId,
          record.previousHash,
          record.hash,
        ],
      );
    }
    await session.query('UPDATE audit.chain_head SET sequence = $1, hash = $2', [count, previousHash]);
  });
  return records;
}

describe('verifying the audit chain', () => {
  it('finds nothing wrong in an empty chain', async () => {
    expect(await verifyChain(chain.database())).toEqual({ records: 0, problems: [] });
  });

  it('finds nothing wrong in an intact chain, read in one page or in many', async () => {
    await writeChain(5);
    expect(await verifyChain(chain.database())).toEqual({ records: 5, problems: [] });
    expect(await verifyChain(chain.database(), { pageSize: 2 })).toEqual({ records: 5, problems: [] });
    expect(await verifyChain(chain.database(), { pageSize: 1 })).toEqual({ records: 5, problems: [] });
  });

  it('reads the chain a page at a time, each page after the last', async () => {
    await writeChain(5);
    const pages: string[] = [];
    const stop = chain.database().onStatement((text) => {
      if (text.includes('audit.access_record')) pages.push(text);
    });
    try {
      await verifyChain(chain.database(), { pageSize: 2 });
    } finally {
      stop();
    }
    // Pages of 2, 2 and 1 records, then an empty one that ends the reading.
    expect(pages).toHaveLength(4);
  });

  it('names a record whose content was altered', async () => {
    await writeChain(4);
    await aroundTriggers(`UPDATE audit.access_record SET purpose = 'statistics' WHERE sequence = 2`);
    expect(await verifyChain(chain.database())).toEqual({ records: 4, problems: [{ sequence: 2, problem: altered }] });
  });

  it('names a record whose PINs were reordered, since their order is part of the record', async () => {
    await writeChain(3);
    await aroundTriggers('UPDATE audit.access_record SET pins = ARRAY[pins[2], pins[1]] WHERE sequence = 3');
    expect(await verifyChain(chain.database())).toEqual({ records: 3, problems: [{ sequence: 3, problem: altered }] });
  });

  it('names a record whose hash was recomputed after its content was altered, by its broken link', async () => {
    const records = await writeChain(3);
    const forged = { ...records[1]!, purpose: 'statistics' };
    await aroundTriggers(`UPDATE audit.access_record SET purpose = 'statistics', hash = '${recordHash(forged)}' WHERE sequence = 2`);
    expect(await verifyChain(chain.database())).toEqual({ records: 3, problems: [{ sequence: 3, problem: linkBroken }] });
  });

  it('names the records missing from the middle of the chain', async () => {
    await writeChain(6);
    await aroundTriggers('DELETE FROM audit.access_record WHERE sequence IN (2, 3)');
    expect(await verifyChain(chain.database())).toEqual({
      records: 4,
      problems: [
        { sequence: 4, problem: 'records 2 to 3 are missing' },
        { sequence: 4, problem: linkBroken },
      ],
    });
  });

  it('names a missing record across a page boundary', async () => {
    await writeChain(5);
    await aroundTriggers('DELETE FROM audit.access_record WHERE sequence = 3');
    expect(await verifyChain(chain.database(), { pageSize: 2 })).toEqual({
      records: 4,
      problems: [
        { sequence: 4, problem: 'records 3 to 3 are missing' },
        { sequence: 4, problem: linkBroken },
      ],
    });
  });

  it('names the first records missing from the start of the chain', async () => {
    await writeChain(3);
    await aroundTriggers('DELETE FROM audit.access_record WHERE sequence = 1');
    expect(await verifyChain(chain.database())).toEqual({
      records: 2,
      problems: [
        { sequence: 2, problem: 'records 1 to 1 are missing' },
        { sequence: 2, problem: linkBroken },
      ],
    });
  });

  it('names two records that swapped places', async () => {
    await writeChain(4);
    await aroundTriggers(
      'UPDATE audit.access_record SET sequence = 1000 WHERE sequence = 2',
      'UPDATE audit.access_record SET sequence = 2 WHERE sequence = 3',
      'UPDATE audit.access_record SET sequence = 3 WHERE sequence = 1000',
    );
    expect(await verifyChain(chain.database())).toEqual({
      records: 4,
      problems: [
        { sequence: 2, problem: linkBroken },
        { sequence: 2, problem: altered },
        { sequence: 3, problem: linkBroken },
        { sequence: 3, problem: altered },
        { sequence: 4, problem: linkBroken },
      ],
    });
  });

  it('names records cut off the end by the head that still names the last of them', async () => {
    await writeChain(4);
    await aroundTriggers('DELETE FROM audit.access_record WHERE sequence > 2');
    expect(await verifyChain(chain.database())).toEqual({
      records: 2,
      problems: [
        {
          sequence: 4,
          problem: 'the chain head names record 4, but the last record is 2: records were removed from the end or the head was altered',
        },
      ],
    });
  });

  it('names a head whose hash was altered though its sequence still matches', async () => {
    await writeChain(3);
    await aroundTriggers(`UPDATE audit.chain_head SET hash = '${'e'.repeat(64)}'`);
    expect(await verifyChain(chain.database())).toEqual({
      records: 3,
      problems: [
        {
          sequence: 3,
          problem: 'the chain head names record 3, but the last record is 3: records were removed from the end or the head was altered',
        },
      ],
    });
  });

  it('names a head moved back while its hash still matches the last record', async () => {
    await writeChain(3);
    await aroundTriggers('UPDATE audit.chain_head SET sequence = 2');
    expect(await verifyChain(chain.database())).toEqual({
      records: 3,
      problems: [
        {
          sequence: 2,
          problem: 'the chain head names record 2, but the last record is 3: records were removed from the end or the head was altered',
        },
      ],
    });
  });

  it('names a missing chain head', async () => {
    await writeChain(2);
    await aroundTriggers('DELETE FROM audit.chain_head');
    expect(await verifyChain(chain.database())).toEqual({ records: 2, problems: [{ sequence: 0, problem: 'the chain head is missing' }] });
  });

  it('lists at most maximumProblems problems, by default 100, but counts every record', async () => {
    await writeChain(120);
    await aroundTriggers(`UPDATE audit.access_record SET purpose = 'statistics'`);
    const everyOne = Array.from({ length: 120 }, (_, index) => ({ sequence: index + 1, problem: altered }));
    expect(await verifyChain(chain.database())).toEqual({ records: 120, problems: everyOne.slice(0, 100) });
    expect(await verifyChain(chain.database(), { maximumProblems: 3 })).toEqual({ records: 120, problems: everyOne.slice(0, 3) });
    expect(await verifyChain(chain.database(), { maximumProblems: 200, pageSize: 50 })).toEqual({ records: 120, problems: everyOne });
  });
});

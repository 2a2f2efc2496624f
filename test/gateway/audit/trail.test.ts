import { describe, expect, it } from 'vitest';
import { genesisHash, recordHash, type AuditEntry } from '../../../gateway/audit/chain.js';
import type { RecordRow } from '../../../gateway/audit/records.js';
import { createAuditTrail } from '../../../gateway/audit/trail.js';
import { emptyAuditChainForEachTest } from '../../support/audit-database.js';

const chain = emptyAuditChainForEachTest('audit_trail');
const { aroundTriggers } = chain;

/** One read of a PIN, as the gateway would record it. */
const entry = (index: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  recordedAt: new Date(Date.UTC(2026, 10, 29, 8, 0, 0, index)),
  subject: `clerk-${index}`,
  agency: 'health',
  purpose: 'health-care',
  operationName: 'Lookup',
  operationHash: 'f'.repeat(64),
  pins: [String(index).padStart(12, '0')],
  fields: ['Citizen.fullName'],
  requestId: `request-${index}`,
  ...overrides,
});

type Row = RecordRow;

/** The records with SQL of the test's own, not through the product's readRecords. */
const rows = () => chain.database().query<Row>('SELECT * FROM audit.access_record ORDER BY sequence');
/** How many records each transaction wrote, in sequence order: rows written by one transaction share its xmin. */
const transactions = async () =>
  (
    await chain
      .database()
      .query<{ records: number }>('SELECT count(*) AS records FROM audit.access_record GROUP BY xmin::text ORDER BY min(sequence)')
  ).map((row) => row.records);
const head = async () =>
  (await chain.database().query<{ sequence: number; hash: string }>('SELECT sequence, hash FROM audit.chain_head'))[0];
/** One turn of the event loop: whatever the trail scheduled for this turn has run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the audit trail writer', () => {
  it('commits an entry as record 1, linked to the genesis hash, before it resolves', async () => {
    const first = entry(1, {
      agency: null,
      purpose: null,
      operationName: null,
      pins: ['079123456789', '001234567890'],
      fields: ['Citizen.fullName', 'Citizen.pin'],
    });
    await createAuditTrail(chain.database()).record(first);
    const hash = recordHash({ ...first, sequence: 1, previousHash: genesisHash });
    expect(await rows()).toEqual([
      {
        sequence: 1,
        recorded_at: first.recordedAt,
        subject: 'clerk-1',
        agency: null,
        purpose: null,
        operation_name: null,
        operation_hash: 'f'.repeat(64),
        // In the order given, not sorted: the hash covers the order.
        pins: ['079123456789', '001234567890'],
        fields: ['Citizen.fullName', 'Citizen.pin'],
        request_id: 'request-1',
        previous_hash: genesisHash,
        hash,
      },
    ]);
    expect(await head()).toEqual({ sequence: 1, hash });
  });

  it('extends the chain entry after entry, each record linked to the one before', async () => {
    const trail = createAuditTrail(chain.database());
    for (let index = 1; index <= 3; index++) await trail.record(entry(index));
    const written = await rows();
    expect(written.map((row) => [row.sequence, row.subject])).toEqual([
      [1, 'clerk-1'],
      [2, 'clerk-2'],
      [3, 'clerk-3'],
    ]);
    expect(written.map((row) => row.previous_hash)).toEqual([genesisHash, written[0]!.hash, written[1]!.hash]);
    expect(written.map((row) => row.hash)).toEqual(
      written.map((row, index) => recordHash({ ...entry(index + 1), sequence: row.sequence, previousHash: row.previous_hash })),
    );
    expect(await head()).toEqual({ sequence: 3, hash: written[2]!.hash });
    // Each entry waited for its own commit.
    expect(await transactions()).toEqual([1, 1, 1]);
  });

  it('continues the chain another writer left, as a second replica does', async () => {
    await createAuditTrail(chain.database()).record(entry(1));
    await createAuditTrail(chain.database()).record(entry(2));
    const written = await rows();
    expect(written.map((row) => [row.sequence, row.previous_hash])).toEqual([
      [1, genesisHash],
      [2, written[0]!.hash],
    ]);
    expect(await head()).toEqual({ sequence: 2, hash: written[1]!.hash });
  });

  it('writes each later batch in one statement while it alone extends the chain, and falls back when another writer moved the head', async () => {
    const first = createAuditTrail(chain.database());
    const second = createAuditTrail(chain.database());
    await first.record(entry(1));
    await first.record(entry(2));
    // The second replica writes: the head the first one knows is no longer the head.
    await second.record(entry(3));
    await first.record(entry(4));
    await second.record(entry(5));
    const written = await rows();
    expect(written.map((row) => [row.sequence, row.subject])).toEqual([1, 2, 3, 4, 5].map((index) => [index, `clerk-${index}`]));
    expect(written.slice(1).filter((row, index) => row.previous_hash !== written[index]!.hash)).toEqual([]);
    expect(written.map((row) => row.hash)).toEqual(
      written.map((row, index) => recordHash({ ...entry(index + 1), sequence: row.sequence, previousHash: row.previous_hash })),
    );
    expect(await head()).toEqual({ sequence: 5, hash: written[4]!.hash });
  });

  it('writes a burst of entries in one transaction, in the order they came', async () => {
    const trail = createAuditTrail(chain.database());
    await Promise.all([1, 2, 3, 4, 5].map((index) => trail.record(entry(index))));
    expect(await transactions()).toEqual([5]);
    expect((await rows()).map((row) => [row.sequence, row.subject])).toEqual([1, 2, 3, 4, 5].map((index) => [index, `clerk-${index}`]));
  });

  it('splits a burst into batches of batchSize, by default 500', async () => {
    const small = createAuditTrail(chain.database(), { batchSize: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((index) => small.record(entry(index))));
    expect(await transactions()).toEqual([2, 2, 1]);
    const large = createAuditTrail(chain.database());
    await Promise.all(Array.from({ length: 501 }, (_, index) => large.record(entry(6 + index))));
    expect(await transactions()).toEqual([2, 2, 1, 500, 1]);
    const written = await rows();
    expect(written.map((row) => row.sequence)).toEqual(Array.from({ length: 506 }, (_, index) => index + 1));
    expect(written.slice(1).filter((row, index) => row.previous_hash !== written[index]!.hash)).toEqual([]);
  });

  it('lets entries that arrive while a batch is being written wait, and writes them together next', async () => {
    // The test holds the chain head, so the trail's first batch cannot commit until it lets go.
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = chain.database().transaction(async (session) => {
      await session.query('SELECT 1 FROM audit.chain_head FOR UPDATE');
      holding();
      await released;
    });
    await held;
    const trail = createAuditTrail(chain.database());
    const first = trail.record(entry(1));
    // The first batch has been taken and is being written (it waits for the head).
    await nextTurn();
    const second = trail.record(entry(2));
    await nextTurn();
    const third = trail.record(entry(3));
    await nextTurn();
    letGo();
    await holder;
    await Promise.all([first, second, third]);
    expect(await transactions()).toEqual([1, 2]);
    expect((await rows()).map((row) => row.subject)).toEqual(['clerk-1', 'clerk-2', 'clerk-3']);
  });

  it('rejects every entry of a batch it cannot write with AUDIT_UNAVAILABLE, writes none of them, and keeps going', async () => {
    await aroundTriggers('DELETE FROM audit.chain_head');
    const trail = createAuditTrail(chain.database());
    const refused = await Promise.allSettled([trail.record(entry(1)), trail.record(entry(2))]);
    expect(refused.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of refused) {
      const error = (outcome as PromiseRejectedResult).reason as { code: unknown; message: unknown; cause: unknown };
      expect({ code: error.code, message: error.message, cause: (error.cause as Error).message }).toEqual({
        code: 'AUDIT_UNAVAILABLE',
        message: 'The audit trail cannot be written now, so personal data are withheld; try again later',
        cause: 'The audit chain head is missing',
      });
    }
    expect(await rows()).toEqual([]);
    await aroundTriggers(`INSERT INTO audit.chain_head (sequence, hash) VALUES (0, '${genesisHash}')`);
    await trail.record(entry(3));
    expect((await rows()).map((row) => [row.sequence, row.subject])).toEqual([[1, 'clerk-3']]);
  });

  it('fails only the batch that cannot be written: the batches before and after it are committed', async () => {
    // PostgreSQL text cannot hold a NUL character, so this entry's batch fails.
    const trail = createAuditTrail(chain.database(), { batchSize: 1 });
    const outcomes = await Promise.allSettled([
      trail.record(entry(1)),
      trail.record(entry(2, { subject: 'nul\u0000' })),
      trail.record(entry(3)),
    ]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? 'written' : (outcome.reason as { code: string }).code))).toEqual([
      'written',
      'AUDIT_UNAVAILABLE',
      'written',
    ]);
    const written = await rows();
    expect(written.map((row) => [row.sequence, row.subject])).toEqual([
      [1, 'clerk-1'],
      [2, 'clerk-3'],
    ]);
    expect(written[1]!.previous_hash).toBe(written[0]!.hash);
  });
});

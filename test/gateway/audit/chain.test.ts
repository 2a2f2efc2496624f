import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { genesisHash, recordHash, type ChainedRecord } from '../../../gateway/audit/chain.js';

/** Record 7 of a chain, before its own hash is known. */
const record: Omit<ChainedRecord, 'hash'> = {
  sequence: 7,
  recordedAt: new Date('2026-11-29T08:30:00Z'),
  subject: 'dr-lan',
  agency: 'health',
  purpose: 'health-care',
  operationName: 'Lookup',
  operationHash: 'a'.repeat(64),
  pins: ['001234567890', '079123456789'],
  fields: ['Citizen.fullName', 'HealthRecord.createdAt'],
  requestId: 'req-7',
  previousHash: genesisHash,
};

describe('the audit chain hash', () => {
  it('starts from sixty-four zeros', () => {
    expect(genesisHash).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });

  it('is SHA-256, in hex, over a JSON array of every column in a fixed order, the previous hash last', () => {
    // The canonical form written out by hand: the verifier of any other implementation must agree with it.
    const canonical =
      '[7,"2026-11-29T08:30:00.000Z","dr-lan","health","health-care","Lookup",' +
      `"${'a'.repeat(64)}",["001234567890","079123456789"],["Citizen.fullName","HealthRecord.createdAt"],"req-7","${'0'.repeat(64)}"]`;
    expect(recordHash(record)).toBe(createHash('sha256').update(canonical).digest('hex'));
    // And the value itself, so a change of algorithm or encoding cannot go unnoticed.
    expect(recordHash(record)).toBe('152bf6d611d94639b4ceadbe6b4fe12e77a64f6fa464f4dc19a3ec4681a18df7');
  });

  it('keeps absent agency, purpose and operation name as null, apart from empty text', () => {
    const anonymous = { ...record, agency: null, purpose: null, operationName: null };
    const canonical =
      '[7,"2026-11-29T08:30:00.000Z","dr-lan",null,null,null,' +
      `"${'a'.repeat(64)}",["001234567890","079123456789"],["Citizen.fullName","HealthRecord.createdAt"],"req-7","${'0'.repeat(64)}"]`;
    expect(recordHash(anonymous)).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(recordHash(anonymous)).not.toBe(recordHash({ ...record, agency: '', purpose: '', operationName: '' }));
  });

  it('changes when any one column changes, the link to the previous record included', () => {
    const changes: Array<Partial<Omit<ChainedRecord, 'hash'>>> = [
      { sequence: 8 },
      { recordedAt: new Date('2026-11-29T08:30:00.001Z') },
      { subject: 'dr-lam' },
      { agency: 'population' },
      { purpose: 'statistics' },
      { operationName: 'Lookup2' },
      { operationHash: 'b'.repeat(64) },
      { pins: ['001234567890'] },
      // The order of PINs and fields is part of the record.
      { pins: ['079123456789', '001234567890'] },
      { fields: ['Citizen.fullName'] },
      { fields: ['HealthRecord.createdAt', 'Citizen.fullName'] },
      { requestId: 'req-8' },
      { previousHash: 'f'.repeat(64) },
    ];
    const hashes = changes.map((change) => recordHash({ ...record, ...change }));
    expect(new Set([recordHash(record), ...hashes]).size).toBe(changes.length + 1);
  });

  it('cannot be matched by moving text from one column to the next', () => {
    // A plain concatenation would give these two records the same hash.
    expect(recordHash({ ...record, subject: 'dr-lan|health', agency: '' })).not.toBe(
      recordHash({ ...record, subject: 'dr-lan', agency: '|health' }),
    );
    expect(recordHash({ ...record, pins: ['0012', '34567890'] })).not.toBe(recordHash({ ...record, pins: ['001234567890'] }));
  });

  it('is the same for the same record, however its instant was written', () => {
    expect(recordHash({ ...record, recordedAt: new Date('2026-11-29T15:30:00+07:00') })).toBe(recordHash(record));
  });
});

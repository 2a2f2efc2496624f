import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDataset, type DatasetOptions } from '../../../scripts/seed/generator.js';

async function digest(options: DatasetOptions, chunkSize?: number): Promise<{ hash: string; citizens: number }> {
  const hash = createHash('sha256');
  let citizens = 0;
  const byTable = new Map<string, string[]>();
  for await (const chunk of generateDataset(options, chunkSize)) {
    citizens = chunk.citizens;
    for (const { table, csv } of chunk.rows) byTable.set(table, [...(byTable.get(table) ?? []), csv]);
  }
  for (const [table, parts] of [...byTable].sort()) hash.update(table).update(parts.join(''));
  return { hash: hash.digest('hex'), citizens };
}

describe('generateDataset', () => {
  const options = { citizens: 3_000, seed: 7, asOf: '2025-12-31' };

  it('gives identical data for the same options, whatever the chunk size', async () => {
    const first = await digest(options);
    expect(first.citizens).toBe(3_000);
    expect(await digest(options, 500)).toEqual(first);
  });

  it('gives other data for another seed or another count', async () => {
    const first = await digest(options);
    expect((await digest({ ...options, seed: 8 })).hash).not.toBe(first.hash);
    expect((await digest({ ...options, citizens: 3_001 })).hash).not.toBe(first.hash);
  });

  it('generates exactly the number of citizens asked for, even one', async () => {
    let rows = 0;
    for await (const chunk of generateDataset({ ...options, citizens: 1 })) {
      rows += chunk.rows.find((entry) => entry.table === 'citizen')?.count ?? 0;
    }
    expect(rows).toBe(1);
  });
});

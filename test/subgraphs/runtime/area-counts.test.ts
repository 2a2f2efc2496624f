import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCommuneCodes, provinceOfCommune } from '../../../platform/administrative-codes.js';
import type { Database } from '../../../platform/database/database.js';
import { openEmbedded } from '../../../platform/database/embedded.js';
import { parsePeriod } from '../../../platform/period.js';
import { areaCountsLoader } from '../../../subgraphs/runtime/area-counts.js';
import { countNesting } from '../../../subgraphs/runtime/count-nesting.js';
import { publishCounts } from '../../../subgraphs/runtime/disclosure.js';

// A counts table of the store's shape with two population counts, one nested in the other.
const spec = { table: 'test_counts.commune_month_count', counts: ['residents', 'residents_14_plus'] as const };
const settings = { disclosureMinimum: 10, disclosureSecret: 'area-counts-test-secret-0123456789' };
const commune = officialCommuneCodes[0]!;
const period = parsePeriod('2025-12', new Date('2026-06-01'));

describe('areaCountsLoader: published counts kept across requests only while the true counts are the same', () => {
  let database: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const embedded = await openEmbedded({ dataDir: 'memory://' });
    database = embedded.database;
    close = () => embedded.database.close();
    await database.query('CREATE SCHEMA test_counts');
    await database.query(
      `CREATE TABLE ${spec.table} (month date, province_code text, commune_code text, residents int, residents_14_plus int)`,
    );
    await database.query(`INSERT INTO ${spec.table} VALUES ('2025-12-01', $1, $2, 500, 400)`, [provinceOfCommune.get(commune), commune]);
  });
  afterAll(() => close());

  const expected = (residents: number, residents14Plus: number) =>
    publishCounts(settings.disclosureSecret, settings.disclosureMinimum, countNesting, commune, {
      residents,
      residents_14_plus: residents14Plus,
    });

  it('publishes what disclosure control publishes, and the same again for a new request', async () => {
    const first = await areaCountsLoader(database, spec, settings).load({ unitCode: commune, period });
    expect(first).toEqual(expected(500, 400));
    const second = await areaCountsLoader(database, spec, settings).load({ unitCode: commune, period });
    expect(second).toBe(first);
  });

  it('publishes anew once the true counts change, as after a refresh', async () => {
    const before = await areaCountsLoader(database, spec, settings).load({ unitCode: commune, period });
    await database.query(`UPDATE ${spec.table} SET residents = 520, residents_14_plus = 9`);
    const after = await areaCountsLoader(database, spec, settings).load({ unitCode: commune, period });
    expect(after).not.toEqual(before);
    expect(after).toEqual(expected(520, 9));
    expect(after.suppressed.residents_14_plus).toBe(true);
  });

  it('keeps the figures of other disclosure settings apart', async () => {
    const other = { ...settings, disclosureSecret: 'another-secret-of-the-same-length-xx' };
    const published = await areaCountsLoader(database, spec, other).load({ unitCode: commune, period });
    expect(published).toEqual(
      publishCounts(other.disclosureSecret, other.disclosureMinimum, countNesting, commune, { residents: 520, residents_14_plus: 9 }),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayPinLookup, reconcile } from '../../../scripts/reconcile/reconcile.js';
import { seed } from '../../../scripts/seed/load.js';
import { openTestDatabases } from '../../support/databases.js';
import { pinChecks } from '../../support/independent-counts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

describe('PIN reconciliation through the gateway', () => {
  let test: TestSystem;
  beforeAll(async () => {
    const databases = await openTestDatabases('postgres');
    await seed(databases, { citizens: 3_000, seed: 33, asOf: '2025-12-31' });
    test = await startTestSystem({ databases });
  });
  afterAll(() => test?.stop());

  const statuses = async () =>
    Object.fromEntries(
      (
        await test.databases
          .get('civil-service')
          .query<{ status: string; n: number }>(
            'SELECT pin_check_status AS status, count(*) AS n FROM civil_service.civil_servant GROUP BY 1',
          )
      ).map((row) => [row.status, row.n]),
    );

  it('stops when interrupted, keeps what it checked, and resumes where it stopped', async () => {
    const database = test.databases.get('civil-service');
    // A record whose PIN is malformed is marked unmatched without asking the gateway.
    await database.query(`UPDATE civil_servant SET pin = '000000000000' WHERE id = (SELECT max(id) FROM civil_servant)`);
    // A well-formed PIN that no citizen has is asked about, and must come back unmatched.
    await database.query(`UPDATE civil_servant SET pin = '001099999999' WHERE id = (SELECT min(id) FROM civil_servant)`);
    const [{ total }] = (await database.query<{ total: number }>('SELECT count(*) AS total FROM civil_servant')) as [{ total: number }];
    const lookUp = gatewayPinLookup(test.system.gateway.url, test.analyst);

    const controller = new AbortController();
    const first = await reconcile(database, 'civil-service', lookUp, {
      batchSize: 10,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(first).toMatchObject({ resumed: false, checked: 10, finished: false });
    expect((await statuses()).UNCHECKED).toBe(total - 10);
    // What it kept is right: MATCHED exactly where a citizen has the PIN.
    const kept = (await pinChecks(test.databases, 'civil-service')).filter((check) => check.status !== 'UNCHECKED');
    expect(kept).toHaveLength(10);
    expect(kept.filter((check) => check.status !== (check.citizen ? 'MATCHED' : 'UNMATCHED'))).toEqual([]);

    const second = await reconcile(database, 'civil-service', lookUp, { batchSize: 10 });
    expect(second).toMatchObject({ resumed: true, checked: total - 10, finished: true });
    const after = await statuses();
    expect(after.UNCHECKED).toBeUndefined();
    expect((after.MATCHED ?? 0) + (after.UNMATCHED ?? 0)).toBe(total);
    // Each record's status against the truth: the agency's PINs that population.citizen holds, and the rest.
    const checks = await pinChecks(test.databases, 'civil-service');
    expect(checks).toHaveLength(total);
    expect(checks.filter((check) => check.status !== (check.citizen ? 'MATCHED' : 'UNMATCHED'))).toEqual([]);
    expect({ matched: after.MATCHED, unmatched: after.UNMATCHED }).toEqual({
      matched: checks.filter((check) => check.citizen).length,
      unmatched: checks.filter((check) => !check.citizen).length,
    });
    expect(checks.filter((check) => !check.citizen).map((check) => check.pin)).toEqual(
      expect.arrayContaining(['001099999999', '000000000000']),
    );
    expect(after.MATCHED).toBeGreaterThan(0);
    const [malformed] = await database.query<{ status: string }>(
      `SELECT pin_check_status AS status FROM civil_service.civil_servant WHERE pin = '000000000000'`,
    );
    expect(malformed!.status).toBe('UNMATCHED');

    // The match indicator now reads the statuses.
    const answer = await test.query<{ areaStats: Array<{ civilServantPinMatch: { suppressed: boolean; value: number } }> }>(
      `query ($period: String!) { areaStats(level: NATION, period: $period) { civilServantPinMatch { value suppressed } } }`,
      { period: new Date().toISOString().slice(0, 7) },
    );
    expect(answer.data!.areaStats[0]!.civilServantPinMatch.value).toBeGreaterThan(95);

    // A new run checks everything again.
    const third = await reconcile(database, 'civil-service', lookUp, { batchSize: 500 });
    expect(third).toMatchObject({ resumed: false, checked: total, finished: true });
  });

  it('fails with a clear error when the gateway cannot be reached, keeping the run to resume', async () => {
    const database = test.databases.get('agriculture');
    const nowhere = gatewayPinLookup('http://127.0.0.1:1/graphql');
    await expect(reconcile(database, 'agriculture', nowhere)).rejects.toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      message: expect.stringContaining('Run again to resume'),
    });
    const report = await reconcile(database, 'agriculture', gatewayPinLookup(test.system.gateway.url, test.analyst));
    expect(report).toMatchObject({ resumed: true, finished: true });
    const checks = await pinChecks(test.databases, 'agriculture');
    expect(checks.filter((check) => check.status !== (check.citizen ? 'MATCHED' : 'UNMATCHED'))).toEqual([]);
    expect(report.matched).toBe(checks.filter((check) => check.citizen).length);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../support/audit-database.js';
import { bearer, startTestSystem, type TestSystem } from '../../support/system.js';

const lookup = 'query Lookup($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
const lookupFields = ['Citizen.fullName', 'Citizen.healthRecord', 'HealthRecord.createdAt', 'Query.citizen'];

describe('the audit trail read by auditors through GET /audit/records', () => {
  let test: TestSystem;
  let citizens: Array<{ pin: string }>;
  beforeAll(async () => {
    test = await startTestSystem();
    citizens = await test.databases.get('population').query<{ pin: string }>('SELECT pin FROM population.citizen ORDER BY pin LIMIT 30');
  });
  afterAll(() => test?.stop());

  const lookUp = async (subject: string, pin: string) =>
    test.queryAs<{ citizen: { fullName: string } }>(
      bearer(await test.security.token({ subject, scopes: ['population:pii', 'health:pii'] }), 'health-care'),
      lookup,
      { pin },
    );

  const get = (query: string, token?: string) =>
    fetch(`${test.system.gateway.url.replace('/graphql', '/audit/records')}?${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { records: Array<Record<string, unknown>>; nextAfter: number | null },
    }));

  it('answers by PIN, records the reading itself, and refuses everyone else', async () => {
    const auditorSubject = `auditor-${Date.now()}`;
    const auditor = await test.security.token({ subject: auditorSubject, scopes: ['audit:read'] });
    const { pin } = citizens[7]!;
    const since = new Date();
    const looker = `looker-${Date.now()}`;
    expect((await lookUp(looker, pin)).status).toBe(200);
    // Since this test began, exactly two records hold the PIN: the lookup, and this reading of the trail.
    const found = await get(`pin=${pin}&from=${since.toISOString()}`, auditor);
    const sequences = await test.security.database.query<{ sequence: number }>(
      'SELECT sequence FROM audit.access_record WHERE $1 = ANY (pins) AND recorded_at >= $2 ORDER BY sequence',
      [pin, since],
    );
    expect(found).toMatchObject({
      status: 200,
      body: {
        records: [
          {
            sequence: sequences[0]!.sequence,
            subject: looker,
            pins: [pin],
            purpose: 'health-care',
            operationName: 'Lookup',
            fields: lookupFields,
          },
          {
            sequence: sequences[1]!.sequence,
            subject: auditorSubject,
            pins: [pin],
            purpose: 'audit',
            operationName: 'AuditRecords',
            fields: ['AuditRecord'],
          },
        ],
        nextAfter: null,
      },
    });
    expect(sequences).toHaveLength(2);
    expect(await get(`pin=${pin}`)).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect(await get('pin=12345', auditor)).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    expect(await get('limit=5000', auditor)).toMatchObject({ status: 400 });
    expect(await get('from=yesterday', auditor)).toMatchObject({ status: 400 });
    expect(await get('colour=red', auditor)).toMatchObject({ status: 400 });
    // Only the answered reading is recorded; refused ones return nothing.
    expect(await recordsOf(test.security.database, auditorSubject)).toMatchObject([
      { pins: [pin], fields: ['AuditRecord'], purpose: 'audit', operation_name: 'AuditRecords' },
    ]);
  });

  it('pages through records: nextAfter is the last sequence of a full page, and the next page follows it', async () => {
    const auditor = await test.security.token({ subject: `pager-${Date.now()}`, scopes: ['audit:read'] });
    const subject = `paged-${Date.now()}`;
    const pins = citizens.slice(20, 23).map((citizen) => citizen.pin);
    for (const pin of pins) expect((await lookUp(subject, pin)).status).toBe(200);
    const sequences = (await recordsOf(test.security.database, subject)).map((record) => record.sequence);
    expect(sequences).toHaveLength(3);
    const first = await get(`subject=${subject}&limit=2`, auditor);
    expect(first).toMatchObject({
      status: 200,
      body: {
        records: [
          { sequence: sequences[0], pins: [pins[0]] },
          { sequence: sequences[1], pins: [pins[1]] },
        ],
        nextAfter: sequences[1],
      },
    });
    const second = await get(`subject=${subject}&limit=2&after=${first.body.nextAfter}`, auditor);
    expect(second).toMatchObject({ status: 200, body: { records: [{ sequence: sequences[2], pins: [pins[2]] }], nextAfter: null } });
  });
});

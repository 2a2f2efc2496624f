import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../gateway/audit/chain.js';
import { createAuditTrail } from '../../../gateway/audit/trail.js';
import { verifyChain } from '../../../gateway/audit/verify.js';
import { createMemoryStore } from '../../../gateway/cache/memory-store.js';
import { openGatewayDatabase } from '../../../gateway/database.js';
import { auditPinAlias, pinFieldOf } from '../../../gateway/plugins/audit.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { personalTypes, readAccessRules } from '../../../platform/access/rules.js';
import type { Database } from '../../../platform/database/database.js';
import { runScript } from '../../support/command.js';
import { createTestDatabase } from '../../support/postgres.js';
import { startSystemWithAuditBehindProxy } from '../../support/audit-outage.js';
import { recordsOf } from '../../support/audit-database.js';
import { bearer, startTestSystem, type TestSystem } from '../../support/system.js';
import type { TcpProxy } from '../../support/tcp-proxy.js';

const lookup = 'query Lookup($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
const lookupFields = ['Citizen.fullName', 'Citizen.healthRecord', 'HealthRecord.createdAt', 'Query.citizen'];

/** Runs `work` on every item with at most `width` in flight. */
async function inPool<Item, Result>(
  items: readonly Item[],
  width: number,
  work: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

const countRecords = async (database: Database) =>
  (await database.query<{ records: number }>('SELECT count(*) AS records FROM audit.access_record'))[0]!.records;

/** The chain's extent with SQL: a chain with no gaps runs from 1 to its count. */
const extentOf = async (database: Database) =>
  (
    await database.query<{ records: number; first: number | null; last: number | null }>(
      'SELECT count(*) AS records, min(sequence) AS first, max(sequence) AS last FROM audit.access_record',
    )
  )[0]!;

describe('which objects hold personal data', () => {
  // Written out by hand: checking the two product tables only against each other
  // would pass if both missed a type.
  const expected = { Citizen: 'pin', CivilServant: 'pin', FarmHousehold: 'headPin', HealthRecord: 'pin' };

  it('finds personal fields on exactly the citizen, health-record, civil-servant and farm-household types', () => {
    expect([...personalTypes(readAccessRules(parse(readSupergraph())))].sort()).toEqual(Object.keys(expected));
  });

  it('names the PIN field of each of them', () => {
    expect(Object.fromEntries(pinFieldOf)).toEqual(expected);
  });
});

describe('the audit trail', () => {
  let test: TestSystem;
  let citizens: Array<{ pin: string; full_name: string }>;
  beforeAll(async () => {
    test = await startTestSystem();
    citizens = await test.databases
      .get('population')
      .query<{ pin: string; full_name: string }>('SELECT pin, full_name FROM population.citizen ORDER BY pin LIMIT 1000');
  });
  afterAll(() => test?.stop());

  const lookUp = async (subject: string, pin: string) =>
    test.queryAs<{ citizen: { fullName: string } }>(
      bearer(await test.security.token({ subject, scopes: ['population:pii', 'health:pii'] }), 'health-care'),
      lookup,
      { pin },
    );

  it('records 1,000 overlapping lookups as one record each, holding the PIN of its own request, in an unbroken chain', async () => {
    expect(citizens).toHaveLength(1_000);
    // Each request has a subject of its own, which links its record to it.
    const run = `bulk-${process.pid}-${Date.now()}-`;
    // 64 in flight: enough for records to share group commits, few enough for a loaded machine.
    const answers = await inPool(citizens, 64, ({ pin }, index) => lookUp(`${run}${index}`, pin));
    expect(answers.filter((answer) => answer.status !== 200 || answer.errors)).toEqual([]);
    expect(answers.map((answer) => answer.data!.citizen.fullName)).toEqual(citizens.map((citizen) => citizen.full_name));
    // The PIN the gateway asked for itself is not in the answer.
    expect(answers.filter((answer) => JSON.stringify(answer.data).includes(auditPinAlias))).toEqual([]);

    const records = await recordsOf(test.security.database, `${run}%`);
    expect(records).toHaveLength(1_000);
    expect(Object.fromEntries(records.map((record) => [record.subject, record.pins]))).toEqual(
      Object.fromEntries(citizens.map(({ pin }, index) => [`${run}${index}`, [pin]])),
    );
    expect(records.map(({ agency, purpose, operation_name, fields }) => ({ agency, purpose, operation_name, fields }))).toEqual(
      Array.from({ length: 1_000 }, () => ({ agency: 'test', purpose: 'health-care', operation_name: 'Lookup', fields: lookupFields })),
    );
    expect(new Set(records.map((record) => record.request_id)).size).toBe(1_000);
    // Each answer names its request: a client or an auditor finds the record of an answer by it.
    expect(Object.fromEntries(records.map((record) => [record.subject, record.request_id]))).toEqual(
      Object.fromEntries(answers.map((answer, index) => [`${run}${index}`, answer.headers!.get('x-request-id')])),
    );
    // Concurrent group commits extended one chain: no gap, every hash and link holds.
    const extent = await extentOf(test.security.database);
    expect(extent).toEqual({ records: extent.records, first: 1, last: extent.records });
    expect(await verifyChain(test.security.database)).toEqual({ records: extent.records, problems: [] });
  });

  it('records the PINs of every person in a listing, though the client did not ask for them', async () => {
    const subject = `listing-${Date.now()}`;
    const headers = bearer(await test.security.token({ subject, scopes: ['civil-service:pii'] }), 'civil-service-management');
    const [row] = await test.databases
      .get('civil-service')
      .query<{ commune: string }>(
        'SELECT workplace_commune_code AS commune FROM civil_service.civil_servant GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
      );
    const answer = await test.queryAs<{ civilServants: { nodes: Array<{ rank: { name: string } }> } }>(
      headers,
      'query ($commune: ID!) { civilServants(communeCode: $commune, first: 5) { nodes { rank { name } } } }',
      { commune: row!.commune },
    );
    expect(answer.errors).toBeUndefined();
    const expected = await test.databases
      .get('civil-service')
      .query<{ pin: string }>('SELECT pin FROM civil_service.civil_servant WHERE workplace_commune_code = $1 ORDER BY id LIMIT 5', [
        row!.commune,
      ]);
    expect((await recordsOf(test.security.database, subject)).map((record) => record.pins)).toEqual([
      expected.map((servant) => servant.pin),
    ]);
    expect(answer.data!.civilServants.nodes).toHaveLength(expected.length);
  });

  it('keeps aggregates and refused operations out of it, and reserves the gateway alias', async () => {
    const before = await countRecords(test.security.database);
    expect((await test.query('{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } } }')).errors).toBeUndefined();
    const personal = 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }';
    const { pin } = citizens[0]!;
    const withoutPurpose = { authorization: `Bearer ${await test.security.token({ subject: 'no-purpose', scopes: ['population:pii'] })}` };
    expect(await test.queryAs(withoutPurpose, personal, { pin })).toMatchObject({
      status: 403,
      errors: [{ extensions: { code: 'PURPOSE_REQUIRED' } }],
    });
    const withoutScope = bearer(await test.security.token({ subject: 'no-scope', scopes: [] }));
    expect(await test.queryAs(withoutScope, personal, { pin })).toMatchObject({
      status: 403,
      errors: [{ extensions: { code: 'FORBIDDEN' } }],
    });
    expect(await countRecords(test.security.database)).toBe(before);
    const sneaky = await test.query(`query ($pin: ID!) { citizen(pin: $pin) { ${auditPinAlias}: fullName } }`, { pin });
    // A request error: no data, 200 under application/json as the GraphQL over HTTP spec says (400 under application/graphql-response+json).
    expect(sneaky).toMatchObject({ status: 200, errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(sneaky.data).toBeUndefined();
    expect(await countRecords(test.security.database)).toBe(before);
  });

  it('cannot be changed or emptied through SQL', async () => {
    for (const statement of [
      'UPDATE audit.access_record SET subject = $$x$$',
      'DELETE FROM audit.access_record',
      'TRUNCATE audit.access_record',
    ]) {
      await expect(test.security.database.query(statement)).rejects.toThrow(/append-only/);
    }
  });
});

describe('the audit trail behind the response cache', () => {
  it('records every one of many identical concurrent lookups: personal answers are neither cached nor shared', async () => {
    const store = createMemoryStore();
    const test = await startTestSystem({ cache: { store, keyPrefix: 'audit-cache' } });
    try {
      const subject = `twins-${Date.now()}`;
      const headers = bearer(await test.security.token({ subject, scopes: ['population:pii'] }));
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => test.queryAs(headers, 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin })),
      );
      expect(answers.every((answer) => answer.headers!.get('x-cache') === 'MISS' && !answer.errors)).toBe(true);
      expect(await recordsOf(test.security.database, subject)).toHaveLength(20);
      // Personal data are never looked up in the caches once the gateway knows the operation reads them.
      const before = test.system.gateway.statistics.snapshot();
      expect(before.entity?.misses ?? 0).toBe(0);
      await test.queryAs(headers, 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin });
      expect(test.system.gateway.statistics.snapshot().response).toEqual(before.response);
      expect(await recordsOf(test.security.database, subject)).toHaveLength(21);
    } finally {
      await test.stop();
      await store.close();
    }
  });
});

describe('the audit database', () => {
  let test: TestSystem;
  let proxy: TcpProxy;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ test, proxy, stop } = await startSystemWithAuditBehindProxy('audit_outage'));
  });
  afterAll(async () => {
    await stop?.();
  });

  it('when down, makes lookups fail closed: nothing personal leaves, and lookups resume once it is back', async () => {
    expect((await test.query(lookup, { pin: test.pin })).errors).toBeUndefined();
    await proxy.stop();
    const refused = await fetch(test.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...test.analyst },
      body: JSON.stringify({ query: lookup, variables: { pin: test.pin } }),
    });
    const text = await refused.text();
    expect(refused.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: expect.stringMatching(/audit trail cannot be written/), extensions: { code: 'AUDIT_UNAVAILABLE' } }],
    });
    const [citizen] = await test.databases
      .get('population')
      .query<{ full_name: string }>('SELECT full_name FROM population.citizen WHERE pin = $1', [test.pin]);
    expect(text).not.toContain(citizen!.full_name);
    // Aggregates need no audit record: they are still answered.
    expect((await test.query('{ tasks { number } }')).errors).toBeUndefined();
    await proxy.start();
    expect((await test.query(lookup, { pin: test.pin })).errors).toBeUndefined();
  });
});

/** One read of a PIN, as the gateway would record it. */
const entry = (subject: string, index: number): AuditEntry => ({
  recordedAt: new Date(),
  subject,
  agency: 'health',
  purpose: 'health-care',
  operationName: 'Lookup',
  operationHash: 'f'.repeat(64),
  pins: [String(index).padStart(12, '0')],
  fields: ['Citizen.fullName'],
  requestId: `${subject}-${index}`,
});

/** A gateway database of the test's own, dropped by `close`. */
async function ownGatewayDatabase(): Promise<{ url: string; database: Database; close(): Promise<void> }> {
  const created = await createTestDatabase('audit_chain');
  const database = await openGatewayDatabase({ url: created.url, dataDir: '' });
  return {
    url: created.url,
    database,
    close: async () => {
      await database.close();
      await created.drop();
    },
  };
}

describe('the chain across group commits', () => {
  it('stays one unbroken chain when a burst is written in batches of 500', async () => {
    const own = await ownGatewayDatabase();
    try {
      const trail = createAuditTrail(own.database);
      // Queued in one turn of the event loop: the writer takes them 500 at a time (trail.ts).
      await Promise.all(Array.from({ length: 1_001 }, (_, index) => trail.record(entry('burst', index))));
      // Rows written by one transaction share its xmin: three transactions, in sequence order.
      const batches = await own.database.query<{ records: number }>(
        'SELECT count(*) AS records FROM audit.access_record GROUP BY xmin::text ORDER BY min(sequence)',
      );
      expect(batches.map((batch) => batch.records)).toEqual([500, 500, 1]);
      expect(await extentOf(own.database)).toEqual({ records: 1_001, first: 1, last: 1_001 });
      expect(await verifyChain(own.database)).toEqual({ records: 1_001, problems: [] });
    } finally {
      await own.close();
    }
  });

  it('stays one unbroken chain when two replicas append to it at the same time', async () => {
    const own = await ownGatewayDatabase();
    const second = await openGatewayDatabase({ url: own.url, dataDir: '' });
    try {
      const replicas = [createAuditTrail(own.database), createAuditTrail(second)];
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          replicas.map((trail, replica) =>
            Promise.all(Array.from({ length: 30 }, (_, index) => trail.record(entry(`replica-${replica}`, round * 30 + index)))),
          ),
        );
      }
      expect(
        await own.database.query('SELECT subject, count(*) AS records FROM audit.access_record GROUP BY subject ORDER BY subject'),
      ).toEqual([
        { subject: 'replica-0', records: 300 },
        { subject: 'replica-1', records: 300 },
      ]);
      expect(await extentOf(own.database)).toEqual({ records: 600, first: 1, last: 600 });
      expect(await verifyChain(own.database)).toEqual({ records: 600, problems: [] });
    } finally {
      await second.close();
      await own.close();
    }
  });
});

describe('npm run audit:verify', () => {
  /** As a superuser stepping around the append-only triggers, as the docs warn one can. */
  const aroundTriggers = (database: Database, statements: readonly string[]) =>
    database.transaction(async (session) => {
      await session.query('SET LOCAL session_replication_role = replica');
      for (const statement of statements) await session.query(statement);
    });
  const tampered = (records: number, problems: readonly string[]) =>
    [
      `The audit trail has been tampered with: ${problems.length} problem(s) in ${records} records:`,
      ...problems.map((problem) => `  ${problem}`),
      '',
    ].join('\n');

  it.each([
    { change: 'nothing', statements: [], code: 0, stdout: 'The audit trail is intact: 4 records, every hash and link verified.\n' },
    {
      change: 'an altered record',
      statements: [`UPDATE audit.access_record SET purpose = 'statistics' WHERE sequence = 2`],
      code: 1,
      stdout: tampered(4, ['record 2: its content does not match its hash (altered after it was written)']),
    },
    {
      change: 'a missing record',
      statements: ['DELETE FROM audit.access_record WHERE sequence = 2'],
      code: 1,
      stdout: tampered(3, [
        'record 3: records 2 to 2 are missing',
        "record 3: its link to the previous record does not match that record's hash",
      ]),
    },
    {
      change: 'two records swapped',
      statements: [
        'UPDATE audit.access_record SET sequence = 1000 WHERE sequence = 2',
        'UPDATE audit.access_record SET sequence = 2 WHERE sequence = 3',
        'UPDATE audit.access_record SET sequence = 3 WHERE sequence = 1000',
      ],
      code: 1,
      stdout: tampered(4, [
        "record 2: its link to the previous record does not match that record's hash",
        'record 2: its content does not match its hash (altered after it was written)',
        "record 3: its link to the previous record does not match that record's hash",
        'record 3: its content does not match its hash (altered after it was written)',
        "record 4: its link to the previous record does not match that record's hash",
      ]),
    },
    {
      change: 'records cut off the end',
      statements: ['DELETE FROM audit.access_record WHERE sequence > 2'],
      code: 1,
      stdout: tampered(2, [
        'record 4: the chain head names record 4, but the last record is 2: records were removed from the end or the head was altered',
      ]),
    },
  ])('names $change in a chain of four records', async ({ statements, code, stdout }) => {
    const own = await ownGatewayDatabase();
    try {
      const trail = createAuditTrail(own.database);
      // One at a time: record i is sequence i.
      for (let index = 1; index <= 4; index++) await trail.record(entry(`clerk-${index}`, index));
      await aroundTriggers(own.database, statements);
      expect(await runScript('scripts/audit-verify.ts', [], { AUDIT_DATABASE_URL: own.url })).toMatchObject({ code, stdout });
    } finally {
      await own.close();
    }
  });
});

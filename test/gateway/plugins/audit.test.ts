import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../../gateway/audit/records.js';
import { memoryStore } from '../../../gateway/cache/memory-store.js';
import { openGatewayDatabase } from '../../../gateway/database.js';
import { auditPinAlias, pinFieldOf } from '../../../gateway/plugins/audit.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { personalTypes, readAccessRules } from '../../../subgraphs/runtime/access/rules.js';
import { runScript } from '../../support/command.js';
import { createTestDatabase } from '../../support/postgres.js';
import { createTestSecurity, type TestSecurity } from '../../support/security.js';
import { bearer, startTestSystem, type TestSystem } from '../../support/system.js';
import { TcpProxy, throughProxy } from '../../support/tcp-proxy.js';

const lookup = 'query Lookup($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';

describe('which objects hold personal data', () => {
  it('names the PIN field of every type with personal fields', () => {
    expect([...personalTypes(readAccessRules(parse(readSupergraph())))].sort()).toEqual([...pinFieldOf.keys()].sort());
  });
});

describe('the audit trail', () => {
  let test: TestSystem;
  let pins: string[];
  let auditor: string;
  beforeAll(async () => {
    test = await startTestSystem();
    pins = (await test.databases.get('population').query<{ pin: string }>('SELECT pin FROM population.citizen ORDER BY pin LIMIT 1000')).map((row) => row.pin);
    auditor = await test.security.token({ subject: 'auditor', scopes: ['audit:read'] });
  });
  afterAll(() => test?.stop());

  it('records 1,000 concurrent lookups as exactly 1,000 records with the right PINs', async () => {
    const subject = `bulk-${process.pid}-${Date.now()}`;
    const headers = bearer(await test.security.token({ subject, scopes: ['population:pii', 'health:pii'] }), 'health-care');
    const answers = await Promise.all(pins.map((pin) => test.queryAs<{ citizen: { fullName: string } }>(headers, lookup, { pin })));
    expect(answers.filter((answer) => answer.errors)).toEqual([]);
    // The PIN the gateway asked for itself is not in the answer.
    expect(answers.every((answer) => !JSON.stringify(answer.data).includes(auditPinAlias))).toBe(true);
    const records = await readRecords(test.security.database, { subject, limit: 5_000 });
    expect(records).toHaveLength(1_000);
    expect(records.map((record) => record.pins).flat().sort()).toEqual([...pins].sort());
    expect(records[0]).toMatchObject({
      purpose: 'health-care',
      agency: 'test',
      operationName: 'Lookup',
      fields: ['Citizen.fullName', 'Citizen.healthRecord', 'HealthRecord.createdAt', 'Query.citizen'],
    });
    expect(new Set(records.map((record) => record.requestId)).size).toBe(1_000);
  });

  it('records the PINs of every person in a listing, though the client did not ask for them', async () => {
    const subject = `listing-${Date.now()}`;
    const headers = bearer(await test.security.token({ subject, scopes: ['civil-service:pii'] }), 'civil-service-management');
    const [row] = await test.databases.get('civil-service').query<{ commune: string }>(
      'SELECT workplace_commune_code AS commune FROM civil_service.civil_servant GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
    );
    const answer = await test.queryAs<{ civilServants: { nodes: Array<{ rank: { name: string } }> } }>(
      headers,
      'query ($commune: ID!) { civilServants(communeCode: $commune, first: 5) { nodes { rank { name } } } }',
      { commune: row!.commune },
    );
    expect(answer.errors).toBeUndefined();
    const [record] = await readRecords(test.security.database, { subject, limit: 10 });
    const expected = await test.databases.get('civil-service').query<{ pin: string }>(
      'SELECT pin FROM civil_service.civil_servant WHERE workplace_commune_code = $1 ORDER BY id LIMIT 5',
      [row!.commune],
    );
    expect(record!.pins).toEqual(expected.map((servant) => servant.pin));
    expect(answer.data!.civilServants.nodes).toHaveLength(expected.length);
  });

  it('keeps aggregates out of it, and reserves the gateway alias', async () => {
    const before = (await readRecords(test.security.database, { limit: 100_000 })).length;
    await test.query('{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } } }');
    expect((await readRecords(test.security.database, { limit: 100_000 })).length).toBe(before);
    const sneaky = await test.query(`query ($pin: ID!) { citizen(pin: $pin) { ${auditPinAlias}: fullName } }`, { pin: pins[0] });
    expect(sneaky.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('cannot be changed or emptied through SQL', async () => {
    for (const statement of ['UPDATE audit.access_record SET subject = $$x$$', 'DELETE FROM audit.access_record', 'TRUNCATE audit.access_record']) {
      await expect(test.security.database.query(statement)).rejects.toThrow(/append-only/);
    }
  });

  it('answers auditors (audit:read) by PIN, records their reading, and refuses everyone else', async () => {
    const url = test.system.gateway.url.replace('/graphql', '/audit/records');
    const get = (query: string, token?: string) =>
      fetch(`${url}?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
    const found = await get(`pin=${pins[7]}`, auditor);
    expect(found.status).toBe(200);
    const records = found.body.records as Array<{ pins: string[]; subject: string }>;
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.every((record) => record.pins.includes(pins[7]!))).toBe(true);
    expect((await readRecords(test.security.database, { subject: 'auditor', limit: 10 }))[0]).toMatchObject({ pins: [pins[7]], fields: ['AuditRecord'], purpose: 'audit' });
    expect(await get(`pin=${pins[7]}`)).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect(await get('pin=12345', auditor)).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] } });
    expect(await get('limit=5000', auditor)).toMatchObject({ status: 400 });
    expect(await get('from=yesterday', auditor)).toMatchObject({ status: 400 });
    expect(await get('colour=red', auditor)).toMatchObject({ status: 400 });
    const page = await get('limit=2', auditor);
    expect(page.body.nextAfter).toEqual(expect.any(Number));
  });
});

describe('the audit trail behind the response cache', () => {
  it('records every one of many identical concurrent lookups: personal answers are neither cached nor shared', async () => {
    const store = memoryStore();
    const test = await startTestSystem({ cache: { store, keyPrefix: 'audit-cache' } });
    try {
      const subject = `twins-${Date.now()}`;
      const headers = bearer(await test.security.token({ subject, scopes: ['population:pii'] }));
      const answers = await Promise.all(Array.from({ length: 20 }, () => test.queryAs(headers, 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin })));
      expect(answers.every((answer) => answer.headers!.get('x-cache') === 'MISS' && !answer.errors)).toBe(true);
      expect(await readRecords(test.security.database, { subject, limit: 100 })).toHaveLength(20);
      // Personal data are never looked up in the caches once the gateway knows the operation reads them.
      const before = test.system.gateway.statistics.snapshot();
      expect(before.entity?.misses ?? 0).toBe(0);
      await test.queryAs(headers, 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin });
      expect(test.system.gateway.statistics.snapshot().response).toEqual(before.response);
      expect(await readRecords(test.security.database, { subject, limit: 100 })).toHaveLength(21);
    } finally {
      await test.stop();
      await store.close();
    }
  });
});

describe('the audit database', () => {
  let security: TestSecurity;
  let test: TestSystem;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    const created = await createTestDatabase('audit_outage');
    drop = created.drop;
    url = created.url;
    const target = new URL(created.url);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
    await proxy.start();
    const database = await openGatewayDatabase({ url: throughProxy(created.url, proxy), dataDir: '' });
    security = await createTestSecurity({ database });
    test = await startTestSystem({ security });
  });
  afterAll(async () => {
    await test?.stop();
    await proxy?.stop();
    await security?.database.close();
    await drop?.();
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
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.stringMatching(/audit trail cannot be written/), extensions: { code: 'AUDIT_UNAVAILABLE' } }] });
    const [citizen] = await test.databases.get('population').query<{ full_name: string }>('SELECT full_name FROM population.citizen WHERE pin = $1', [test.pin]);
    expect(text).not.toContain(citizen!.full_name);
    // Aggregates need no audit record: they are still answered.
    expect((await test.query('{ tasks { number } }')).errors).toBeUndefined();
    await proxy.start();
    expect((await test.query(lookup, { pin: test.pin })).errors).toBeUndefined();
  });

  it('a record altered by hand is found by npm run audit:verify', async () => {
    const verify = () => runScript('scripts/audit-verify.ts', [], { AUDIT_DATABASE_URL: url });
    const intact = await verify();
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 2 records/) });
    // A superuser can step around the triggers; the chain still gives it away.
    await security.database.transaction(async (session) => {
      await session.query('SET LOCAL session_replication_role = replica');
      await session.query(`UPDATE audit.access_record SET purpose = 'statistics' WHERE sequence = 1`);
    });
    const tampered = await verify();
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/record 1: its content does not match its hash/);
  });
});

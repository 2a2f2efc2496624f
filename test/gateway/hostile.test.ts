import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** A small seeded generator, so a failing request can be found again. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface HostileRequest {
  readonly kind: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent as is; objects are serialised as JSON. */
  readonly body?: string | Buffer | object;
  readonly search?: string;
}

const json = { 'content-type': 'application/json' };

/** At least 1,000 malformed or hostile requests, of every kind the issue lists and some more. */
function hostileRequests(random: () => number, analyst: Record<string, string>): HostileRequest[] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const text = (length: number) => Array.from({ length }, () => String.fromCharCode(integer(0, 0xffff))).join('');
  // What an HTTP header can carry at all: visible ASCII and Latin-1 letters, no control characters.
  const headerText = (length: number) => Array.from({ length }, () => String.fromCharCode(random() < 0.8 ? integer(0x21, 0x7e) : integer(0xa0, 0xff))).join('');
  const valid = { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: { pin: '001190000001' } };
  const as = (body: object, headers: Record<string, string> = analyst): HostileRequest => ({ kind: '', headers: { ...json, ...headers }, body });
  const generators: Record<string, () => HostileRequest> = {
    'broken JSON': () => {
      const whole = JSON.stringify(valid);
      const cut = whole.slice(0, integer(1, whole.length - 1));
      return { kind: '', headers: { ...json, ...analyst }, body: random() < 0.5 ? cut : `${cut}${text(integer(1, 20))}` };
    },
    'random bytes': () => ({ kind: '', headers: { ...json, ...analyst }, body: Buffer.from(Array.from({ length: integer(1, 4_000) }, () => integer(0, 255))) }),
    'JSON that is not a request': () => ({ kind: '', headers: { ...json, ...analyst }, body: JSON.stringify(pick<unknown>([[], 'query', 42, null, true, { query: 42 }, { query: null }, { query: ['{ tasks { number } }'] }, { variables: 'x', query: '{ tasks { number } }' }, { query: '{ tasks { number } }', operationName: 7 }])) }),
    'deeply nested JSON': () => ({ kind: '', headers: { ...json, ...analyst }, body: `{"query":"{ tasks { number } }","variables":{"x":${'['.repeat(integer(1_000, 200_000))}` }),
    'batched operations': () => as(Array.from({ length: integer(2, 50) }, () => valid) as unknown as object),
    'wrong variable types': () =>
      as(
        pick([
          { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: { pin: pick([123, true, {}, [], null, 1e300, '']) } },
          { query: 'query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }', variables: { pins: pick(['001190000001', 5, [null], { a: 1 }, [[['x']]]]) } },
          { query: 'query ($level: AreaLevel!) { areaStats(level: $level, period: "2025") { unitCode } }', variables: { level: pick(['TOWN', 'province', 1, null, ['PROVINCE']]) } },
          { query: 'query ($first: Int) { healthRecords(communeCode: "00004", first: $first) { nodes { id } } }', variables: { first: pick(['ten', -5, 1e12, 2.5, 1_000_000]) } },
          { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: {} },
          { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: { pin: '001190000001', extra: 'x'.repeat(1_000) } },
        ]),
      ),
    'deep nesting': () => {
      const depth = integer(13, 400);
      return as({ query: `{ administrativeUnit(code: "01") ${'{ parent '.repeat(depth)}{ code }${' }'.repeat(depth)} }` });
    },
    'alias flood': () => as({ query: `{ ${Array.from({ length: integer(31, 5_000) }, (_, index) => `a${index}: tasks { number }`).join(' ')} }` }),
    'directive flood': () => as({ query: `{ tasks { number ${'@include(if: true) '.repeat(integer(21, 2_000))} } }` }),
    'field flood': () => as({ query: `{ tasks { ${'number '.repeat(integer(2_001, 30_000))} } }` }),
    'huge lists': () => {
      const count = integer(1_001, 15_000);
      return as({ query: 'query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }', variables: { pins: Array.from({ length: count }, (_, index) => String(100_000_000_000 + index)) } });
    },
    'huge literal list': () => as({ query: `{ citizens(pins: [${Array.from({ length: integer(1_001, 3_000) }, () => '"001190000001"').join(',')}]) { pin } }` }),
    'oversized body': () => ({ kind: '', headers: { ...json, ...analyst }, body: JSON.stringify({ query: `{ tasks { number } } # ${'x'.repeat(integer(262_145, 3_000_000))}` }) }),
    'invalid PINs': () =>
      as({
        query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }',
        variables: { pin: pick(['', 'abc', '12345678901', '1234567890123', '٠٠١١٩٠٠٠٠٠٠١', "' OR 1=1 --", '999190000001', '001990000001', text(12), '0'.repeat(10_000)]) },
      }),
    'invalid periods': () =>
      as({
        query: 'query ($period: String!) { areaStats(level: PROVINCE, period: $period) { unitCode } }',
        variables: { period: pick(['2025-Q5', '2025-13', '2025-00', 'abcd', '0000', '99999-01', '', "2025'; DROP TABLE x; --", '2025-Q0', '1899', text(8)]) },
      }),
    'invalid series': () =>
      as({
        query: 'query ($from: String!, $to: String!) { areaSeries(unitCode: "01", from: $from, to: $to) { period } }',
        variables: pick([{ from: '2025', to: '2020' }, { from: '1900-01', to: '2025-12' }, { from: '2025', to: '2025-Q4' }, { from: 'x', to: 'y' }]),
      }),
    'invalid codes and cursors': () =>
      as(
        pick([
          { query: '{ administrativeUnit(code: "999999") { name } }' },
          { query: '{ healthRecords(communeCode: "00004", after: "forged!!") { nodes { id } } }' },
          { query: '{ areaStats(level: COMMUNE, period: "2025", parentCode: "ZZ") { unitCode } }' },
          { query: '{ civilServants(communeCode: "", first: 5) { nodes { id } } }' },
        ]),
      ),
    'broken documents': () =>
      as({
        query: pick([
          '{ tasks { number }',
          'fragment A on Citizen { ...B } fragment B on Citizen { ...A } query { citizen(pin: "001190000001") { ...A } }',
          '{ citizen(pin: "001190000001") { ...Missing } }',
          '{ taskz { number } }',
          'mutation { deleteEverything }',
          'subscription { tasks { number } }',
          'query A { tasks { number } } query B { tasks { number } }',
          '{ tasks { ... on Nope { number } } }',
          text(integer(1, 500)),
          '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }',
        ]),
      }),
    'bad credentials': () => ({
      kind: '',
      headers: { ...json, ...pick<Record<string, string>>([{ authorization: 'Bearer ' + headerText(40) }, { authorization: 'Basic dXNlcjpwYXNz' }, { 'x-api-key': 'vnk_' + headerText(30) }, { authorization: 'Bearer a.b.c', 'x-api-key': 'x' }, { authorization: '' }]) },
      body: valid,
    }),
    'no purpose, wrong purpose': () => as(valid, pick<Record<string, string>>([{ authorization: analyst.authorization! }, { ...analyst, 'x-purpose': pick(['curiosity', '', 'HEALTH-CARE', headerText(300)]) }])),
    'wrong methods and types': () =>
      pick<HostileRequest>([
        { kind: '', method: 'PUT', headers: json, body: valid },
        { kind: '', method: 'DELETE', headers: json },
        { kind: '', method: 'GET', search: `?query=${encodeURIComponent('mutation { x }')}` },
        { kind: '', method: 'GET', search: `?query=${encodeURIComponent('{ tasks { number } }')}&variables=notjson` },
        { kind: '', method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(valid) },
        { kind: '', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B+tasks+%7B+number+%7D+%7D' },
        { kind: '', method: 'POST', headers: json, body: '' },
      ]),
  };
  const kinds = Object.keys(generators);
  return Array.from({ length: 1_100 }, (_, index) => ({ ...generators[kinds[index % kinds.length]!]!(), kind: kinds[index % kinds.length]! }));
}

describe('hostile and malformed requests', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem();
  });
  afterAll(() => test?.stop());

  it('get a coded 4xx error each, never a 5xx or a crash, and the gateway answers normally afterwards', async () => {
    const requests = hostileRequests(mulberry32(20261129), test.analyst);
    const problems: string[] = [];
    const statuses = new Set<number>();
    let index = 0;
    const worker = async () => {
      while (index < requests.length) {
        const request = requests[index++]!;
        const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : JSON.stringify(request.body);
        const response = await fetch(test.system.gateway.url + (request.search ?? ''), {
          method: request.method ?? 'POST',
          ...(request.headers ? { headers: request.headers } : {}),
          ...(body !== undefined ? { body } : {}),
        }).catch((error: Error) => ({ status: 0, text: async () => `connection failed: ${error.message} ${String((error.cause as Error | undefined)?.message)}` }));
        const text = await response.text();
        statuses.add(response.status);
        const describe = `${request.kind}: HTTP ${response.status} ${text.slice(0, 200)}`;
        if (response.status >= 500 || response.status === 0) {
          problems.push(describe);
          continue;
        }
        let answer: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
        try {
          answer = JSON.parse(text) as typeof answer;
        } catch {
          problems.push(`${describe} (not JSON)`);
          continue;
        }
        if (answer.errors?.some((error) => typeof error.extensions?.code !== 'string' || error.extensions.code === 'INTERNAL_SERVER_ERROR')) problems.push(`${describe} (an error without a code)`);
        if (!answer.errors && answer.data === undefined) problems.push(`${describe} (neither data nor errors)`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(requests.length).toBeGreaterThanOrEqual(1_000);
    expect(problems).toEqual([]);
    // Refused at every stage: body, credentials, access, purpose, size, validation.
    for (const status of [400, 401, 403, 405, 413]) expect(statuses).toContain(status);

    expect((await fetch(test.system.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
    const after = await test.query<{ citizen: { fullName: string } }>('query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin });
    expect(after.errors).toBeUndefined();
    expect(after.data!.citizen.fullName).toEqual(expect.any(String));
  });
});

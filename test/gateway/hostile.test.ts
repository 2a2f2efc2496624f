import { request as httpRequest } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
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

/** The gateway's default limits (gateway/auth/config.ts), which the test system runs with; checked below. */
const limits = { depth: 12, aliases: 30, tokens: 2_000, directives: 20, bodyBytes: 262_144, documentBytes: 32_768 };

/** What the gateway must answer a request with. */
interface Outcome {
  readonly status: number;
  /** The code of every error in the answer; there must be at least one. */
  readonly code: string;
  /** One error's message says why. */
  readonly message?: RegExp;
  /** The exact data: absent (undefined) when the request was refused before it ran. */
  readonly data?: unknown;
}

interface HostileRequest {
  readonly kind: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent as is; objects are serialised as JSON. */
  readonly body?: string | Buffer | object;
  readonly search?: string;
  /** A content-length to declare while writing only `body`, the start of a body that long. */
  readonly declaredLength?: number;
  readonly expected: Outcome;
}

/** Refused before anything ran: no data at all. */
const refused = (status: number, code: string, message?: RegExp): Outcome => ({ status, code, ...(message ? { message } : {}) });
/** Ran, and a subgraph refused the argument: the field is null and the error says why. */
const badArgument = (data: unknown, message: RegExp): Outcome => ({ status: 200, code: 'BAD_USER_INPUT', message, data });

const json = { 'content-type': 'application/json' };
const notJson = /The request body is not valid JSON/;
const tooManyTokens = new RegExp(`Document contains more tha[nt] ${limits.tokens} tokens`);
const tooManyPins = /pins: at most 1000 PINs a request/;

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** At least 1,000 malformed or hostile requests, of every kind the issue lists and some more, each with the answer it must get. */
function hostileRequests(random: () => number, { analyst, pin }: { analyst: Record<string, string>; pin: string }): HostileRequest[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const text = (length: number) => Array.from({ length }, () => String.fromCharCode(integer(0, 0xffff))).join('');
  // What an HTTP header can carry at all: visible ASCII and Latin-1 letters, no control characters.
  const headerText = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(random() < 0.8 ? integer(0x21, 0x7e) : integer(0xa0, 0xff))).join('');
  /** Draws until `make` gives something that is not JSON: a rare valid draw would be a different request. */
  const invalidJson = <T extends string | Buffer>(make: () => T): T => {
    for (;;) {
      const made = make();
      if (!parses(made.toString())) return made;
    }
  };
  // A real citizen: were any hostile request let through, the answer would hold this person's name.
  const valid = { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: { pin } };
  const as = (body: object, expected: Outcome, headers: Record<string, string> = analyst): Omit<HostileRequest, 'kind'> => ({
    headers: { ...json, ...headers },
    body,
    expected,
  });
  const badRequest = (message: RegExp) => refused(400, 'BAD_REQUEST', message);
  const invalidVariable = (name: string) => refused(400, 'BAD_USER_INPUT', new RegExp(`Variable "\\$${name}"`));
  const invalidDocument = (message: RegExp) => refused(400, 'GRAPHQL_VALIDATION_FAILED', message);
  const unparsable = (message: RegExp) => refused(400, 'GRAPHQL_PARSE_FAILED', message);
  // A document over LIMIT_DOCUMENT_BYTES is refused before it is parsed, whatever else is wrong with it.
  const measured = (query: string, outcome: Outcome): Outcome =>
    Buffer.byteLength(query) > limits.documentBytes
      ? refused(400, 'DOCUMENT_TOO_LARGE', new RegExp(`over the ${limits.documentBytes} allowed`))
      : outcome;
  const preflight = { 'apollo-require-preflight': 'true' };
  // What a browser sends cross-site without a preflight: refused for what it is; it never carries credentials (the gateway reads none a browser adds on its own).
  const notJsonBody = badRequest(/POST body missing, invalid Content-Type, or JSON object has no keys/);
  const generators: Record<string, () => Omit<HostileRequest, 'kind'>> = {
    'broken JSON': () => {
      const whole = JSON.stringify(valid);
      const body = invalidJson(() => {
        const cut = whole.slice(0, integer(1, whole.length - 1));
        return random() < 0.5 ? cut : `${cut}${text(integer(1, 20))}`;
      });
      return { headers: { ...json, ...analyst }, body, expected: badRequest(notJson) };
    },
    'random bytes': () => ({
      headers: { ...json, ...analyst },
      body: invalidJson(() => Buffer.from(Array.from({ length: integer(1, 4_000) }, () => integer(0, 255)))),
      expected: badRequest(notJson),
    }),
    'JSON that is not a request': () => {
      const [body, message] = pick<[unknown, RegExp]>([
        [[], /Operation batching disabled/],
        ['query', /POST body missing/],
        [42, /POST body missing/],
        [null, /POST body missing/],
        [true, /POST body missing/],
        [{ query: 42 }, /GraphQL queries must be strings/],
        [{ query: null }, /must contain a non-empty `query`/],
        [{ query: ['{ tasks { number } }'] }, /GraphQL queries must be strings/],
        [{ variables: 'x', query: '{ tasks { number } }' }, /`variables` in a POST body should be provided as an object/],
        [{ query: '{ tasks { number } }', operationName: 7 }, /`operationName` in a POST body must be a string/],
      ]);
      return { headers: { ...json, ...analyst }, body: JSON.stringify(body), expected: badRequest(message) };
    },
    // Never closed, so never JSON, however deep.
    'deeply nested JSON': () => ({
      headers: { ...json, ...analyst },
      body: `{"query":"{ tasks { number } }","variables":{"x":${'['.repeat(integer(1_000, 200_000))}`,
      expected: badRequest(notJson),
    }),
    'batched operations': () =>
      as(Array.from({ length: integer(2, 50) }, () => valid) as unknown as object, badRequest(/Operation batching disabled/)),
    // Only values that the variables' types refuse: an ID takes integers and a list takes one item alone, so those are not here.
    'wrong variable types': () => {
      const [body, name] = pick<[object, string]>([
        [
          { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: { pin: pick([true, {}, [], null, 2.5, [pin]]) } },
          'pin',
        ],
        [
          {
            query: 'query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }',
            variables: { pins: pick([[null], { a: 1 }, [[['x']]], [true], [pin, 7.5], null]) },
          },
          'pins',
        ],
        [
          {
            query: 'query ($level: AreaLevel!) { areaStats(level: $level, period: "2025") { unitCode } }',
            variables: { level: pick(['TOWN', 'province', 1, null, ['PROVINCE']]) },
          },
          'level',
        ],
        [
          {
            query: 'query ($first: Int) { healthRecords(communeCode: "00004", first: $first) { nodes { id } } }',
            variables: { first: pick(['ten', 1e12, 2.5, true, [1]]) },
          },
          'first',
        ],
        [{ query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: {} }, 'pin'],
      ]);
      return as(body, invalidVariable(name));
    },
    'deep nesting': () => {
      const depth = integer(limits.depth + 1, 400);
      return as(
        { query: `{ administrativeUnit(code: "01") ${'{ parent '.repeat(depth)}{ code }${' }'.repeat(depth)} }` },
        invalidDocument(new RegExp(`Query depth limit of ${limits.depth} exceeded`)),
      );
    },
    // 6 tokens an alias: up to 300 aliases stay under the token limit, from 400 they do not.
    'alias flood': () => {
      const count = random() < 0.5 ? integer(limits.aliases + 1, 300) : integer(400, 5_000);
      const query = `{ ${Array.from({ length: count }, (_, index) => `a${index}: tasks { number }`).join(' ')} }`;
      return as(
        { query },
        measured(
          query,
          count <= 300 ? invalidDocument(new RegExp(`Aliases limit of ${limits.aliases} exceeded`)) : unparsable(tooManyTokens),
        ),
      );
    },
    // 7 tokens a directive: up to 250 stay under the token limit, from 300 they do not.
    'directive flood': () => {
      const count = random() < 0.5 ? integer(limits.directives + 1, 250) : integer(300, 2_000);
      const query = `{ tasks { number ${'@include(if: true) '.repeat(count)} } }`;
      return as(
        { query },
        measured(
          query,
          count <= 250 ? invalidDocument(new RegExp(`Directives limit of ${limits.directives} exceeded`)) : unparsable(tooManyTokens),
        ),
      );
    },
    'field flood': () => {
      const query = `{ tasks { ${'number '.repeat(integer(limits.tokens + 1, 30_000))} } }`;
      return as({ query }, measured(query, unparsable(tooManyTokens)));
    },
    'huge lists': () => {
      const count = integer(1_001, 15_000);
      return as(
        {
          query: 'query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }',
          variables: { pins: Array.from({ length: count }, (_, index) => String(100_000_000_000 + index)) },
        },
        badArgument(null, tooManyPins),
      );
    },
    // One token an item and 12 around them: up to 1,900 items parse, from 2,100 they do not.
    'huge literal list': () => {
      const count = random() < 0.5 ? integer(1_001, 1_900) : integer(2_100, 3_000);
      const query = `{ citizens(pins: [${Array.from({ length: count }, () => `"${pin}"`).join(',')}]) { pin } }`;
      return as({ query }, measured(query, count <= 1_900 ? badArgument(null, tooManyPins) : unparsable(tooManyTokens)));
    },
    // Declared, not sent: the gateway refuses on the content-length alone, so no write races the refusal into a reset.
    'oversized body': () => ({
      headers: { ...json, ...analyst },
      body: `{"query":"{ tasks { number } } # ${'x'.repeat(1_000)}`,
      declaredLength: integer(limits.bodyBytes + 1, 3_000_000),
      expected: refused(413, 'PAYLOAD_TOO_LARGE', new RegExp(`larger than ${limits.bodyBytes} bytes`)),
    }),
    'invalid PINs': () =>
      as(
        {
          query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }',
          // IDs take integers too: 123 and 1e300 reach the subgraph as "123" and "1e+300".
          variables: {
            pin: pick<unknown>([
              '',
              'abc',
              '12345678901',
              '1234567890123',
              '٠٠١١٩٠٠٠٠٠٠١',
              "' OR 1=1 --",
              '999190000001',
              '001990000001',
              text(12),
              '0'.repeat(10_000),
              123,
              1e300,
            ]),
          },
        },
        badArgument({ citizen: null }, /^pin: /),
      ),
    'invalid periods': () =>
      as(
        {
          query: 'query ($period: String!) { areaStats(level: PROVINCE, period: $period) { unitCode } }',
          variables: {
            period: pick([
              '2025-Q5',
              '2025-13',
              '2025-00',
              'abcd',
              '0000',
              '99999-01',
              '',
              "2025'; DROP TABLE x; --",
              '2025-Q0',
              '1899',
              text(8),
            ]),
          },
        },
        badArgument(null, /^period /),
      ),
    'invalid series': () => {
      const [variables, message] = pick<[object, RegExp]>([
        [{ from: '2025', to: '2022' }, /from \(2025\) is after to \(2022\)/],
        [{ from: '1900-01', to: '2025-12' }, /period 1900-01 is before 2021/],
        [{ from: '2025', to: '2025-Q4' }, /from and to must be periods of one kind/],
        [{ from: 'x', to: 'y' }, /period must be a year/],
      ]);
      return as(
        { query: 'query ($from: String!, $to: String!) { areaSeries(unitCode: "01", from: $from, to: $to) { period } }', variables },
        badArgument(null, message),
      );
    },
    'invalid codes and cursors': () => {
      const [query, expected] = pick<[string, Outcome]>([
        [
          '{ administrativeUnit(code: "999999") { name } }',
          badArgument({ administrativeUnit: null }, /an administrative unit code has 2 digits/),
        ],
        [
          '{ healthRecords(communeCode: "00004", after: "forged!!") { nodes { id } } }',
          badArgument(null, /after is not a cursor this listing gave out/),
        ],
        [
          '{ healthRecords(communeCode: "00004", first: -5) { nodes { id } } }',
          badArgument(null, /first must be between 1 and 500, got -5/),
        ],
        [
          '{ healthRecords(communeCode: "00004", first: 501) { nodes { id } } }',
          badArgument(null, /first must be between 1 and 500, got 501/),
        ],
        // The cost limit counts a page as `first` items: this one never reaches the subgraph.
        ['{ healthRecords(communeCode: "00004", first: 1000000) { nodes { id } } }', invalidDocument(/Query Cost limit of 20000 exceeded/)],
        ['{ areaStats(level: COMMUNE, period: "2025", parentCode: "ZZ") { unitCode } }', badArgument(null, /no province has code "ZZ"/)],
        ['{ civilServants(communeCode: "", first: 5) { nodes { id } } }', badArgument(null, /no commune has code ""/)],
      ]);
      return as({ query }, expected);
    },
    'broken documents': () => {
      const [query, expected] = pick<[string, Outcome]>([
        ['{ tasks { number }', unparsable(/Syntax Error/)],
        [
          'fragment A on Citizen { ...B } fragment B on Citizen { ...A } query { citizen(pin: "001190000001") { ...A } }',
          invalidDocument(/Cannot spread fragment "A" within itself/),
        ],
        ['{ citizen(pin: "001190000001") { ...Missing } }', invalidDocument(/Unknown fragment "Missing"/)],
        ['{ taskz { number } }', invalidDocument(/Cannot query field "taskz" on type "Query"/)],
        ['mutation { deleteEverything }', refused(400, 'BAD_USER_INPUT', /no mutation operations/)],
        ['subscription { tasks { number } }', refused(400, 'BAD_USER_INPUT', /no subscription operations/)],
        ['query A { tasks { number } } query B { tasks { number } }', refused(400, 'BAD_USER_INPUT', /several operations/)],
        ['{ tasks { ... on Nope { number } } }', invalidDocument(/Unknown type "Nope"/)],
        [text(integer(1, 500)), unparsable(/Syntax Error/)],
        ['{ __schema { types { fields { type { ofType { nope } } } } } }', invalidDocument(/Cannot query field "nope" on type "__Type"/)],
      ]);
      return as({ query }, expected);
    },
    'bad credentials': () => {
      const unauthenticated = (message?: RegExp) => refused(401, 'UNAUTHENTICATED', message);
      const [headers, expected] = pick<[Record<string, string>, Outcome]>([
        [{ authorization: `Bearer ${headerText(40)}` }, unauthenticated()],
        [{ authorization: 'Basic dXNlcjpwYXNz' }, unauthenticated(/must be "Bearer <token>"/)],
        [{ 'x-api-key': `vnk_${headerText(30)}` }, unauthenticated(/The API key is malformed/)],
        // Well formed, but no such key.
        [
          { 'x-api-key': `vnk_${Array.from({ length: 12 }, () => pick([...'0123456789abcdef'])).join('')}_${'A'.repeat(43)}` },
          unauthenticated(/The API key is not known/),
        ],
        [{ authorization: 'Bearer a.b.c', 'x-api-key': 'x' }, unauthenticated(/not both/)],
        // An empty header is no credential: an anonymous caller, who may not read people.
        [{ authorization: '' }, refused(403, 'FORBIDDEN', /Anonymous callers may not read/)],
      ]);
      return { headers: { ...json, ...headers }, body: valid, expected };
    },
    'no purpose, wrong purpose': () => {
      const [headers, message] = pick<[Record<string, string>, RegExp]>([
        [{ authorization: analyst.authorization! }, /declare its purpose in the x-purpose header/],
        [{ ...analyst, 'x-purpose': '' }, /declare its purpose in the x-purpose header/],
        [{ ...analyst, 'x-purpose': pick(['curiosity', 'HEALTH-CARE', headerText(300)]) }, /is not an accepted one/],
      ]);
      return as(valid, refused(403, 'PURPOSE_REQUIRED', message), headers);
    },
    'wrong methods and types': () => {
      const onlyGetAndPost = refused(405, 'BAD_REQUEST', /supports only GET\/POST/);
      return pick<Omit<HostileRequest, 'kind'>>([
        { method: 'PUT', headers: json, body: valid, expected: onlyGetAndPost },
        { method: 'DELETE', headers: json, expected: onlyGetAndPost },
        // No content type and no preflight header: what a browser sends cross-site without asking.
        { method: 'DELETE', expected: onlyGetAndPost },
        {
          method: 'GET',
          search: `?query=${encodeURIComponent('mutation { x }')}`,
          expected: refused(405, 'BAD_REQUEST', /GET requests only support query operations/),
        },
        {
          method: 'GET',
          headers: preflight,
          search: `?query=${encodeURIComponent('mutation { x }')}`,
          expected: refused(405, 'BAD_REQUEST', /GET requests only support query operations/),
        },
        {
          method: 'GET',
          headers: preflight,
          search: `?query=${encodeURIComponent('{ tasks { number } }')}&variables=notjson`,
          expected: badRequest(/variables search parameter contains invalid JSON/),
        },
        {
          method: 'GET',
          headers: { 'content-type': 'application/xml' },
          search: `?query=${encodeURIComponent('{ tasks { number } }')}`,
          expected: refused(415, 'BAD_REQUEST', /may not have a content-type header other than application\/json/),
        },
        {
          method: 'GET',
          headers: preflight,
          search: `?query=${encodeURIComponent(valid.query)}&variables=${encodeURIComponent(JSON.stringify(valid.variables))}`,
          expected: refused(403, 'FORBIDDEN', /Anonymous callers may not read/),
        },
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(valid), expected: notJsonBody },
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'query=%7B+tasks+%7B+number+%7D+%7D',
          expected: notJsonBody,
        },
        { method: 'POST', headers: json, body: '', expected: badRequest(/POST body missing/) },
      ]);
    },
  };
  const kinds = Object.keys(generators);
  return Array.from({ length: 1_100 }, (_, index) => ({
    ...generators[kinds[index % kinds.length]!]!(),
    kind: kinds[index % kinds.length]!,
  }));
}

/** Kinds whose caller has no credential that holds, or no purpose: their answers must never carry a person. */
const mayReadNobody = new Set(['bad credentials', 'no purpose, wrong purpose', 'wrong methods and types']);

/** POSTs the start of a body while declaring it `declaredLength` long, and reads the answer; the connection is dropped after. */
function sendDeclaring(
  url: string,
  headers: Record<string, string>,
  start: string,
  declaredLength: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(declaredLength) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        request.destroy();
      });
      response.on('error', reject);
    });
    // Only an error before the whole answer was read counts: the promise is settled after that.
    request.on('error', reject);
    request.write(start);
  });
}

async function send(url: string, request: HostileRequest): Promise<{ status: number; text: string }> {
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : Buffer.isBuffer(request.body)
          ? new Uint8Array(request.body)
          : JSON.stringify(request.body);
  try {
    // The GraphQL response media type, under which a request error is a 4xx (under application/json it is a 200).
    const headers = { accept: 'application/graphql-response+json', ...request.headers };
    if (request.declaredLength !== undefined) return await sendDeclaring(url, headers, String(body), request.declaredLength);
    const response = await fetch(url + (request.search ?? ''), {
      method: request.method ?? 'POST',
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return {
      status: 0,
      text: `connection failed: ${(error as Error).message} ${String(((error as Error).cause as Error | undefined)?.message)}`,
    };
  }
}

type Answer = { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };

/** Why the answer is not the expected one; undefined when it is. */
function mismatch(expected: Outcome, status: number, answer: Answer | undefined): string | undefined {
  if (!answer) return 'not JSON';
  if (status !== expected.status) return `expected HTTP ${expected.status}`;
  const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
  if (codes.length === 0 || codes.some((code) => code !== expected.code))
    return `expected every error coded ${expected.code}, got ${JSON.stringify(codes)}`;
  if (expected.message && !answer.errors!.some((error) => expected.message!.test(error.message ?? '')))
    return `expected an error saying ${expected.message}`;
  if (!isDeepStrictEqual(answer.data, expected.data)) return `expected data ${JSON.stringify(expected.data)}`;
  return undefined;
}

describe('hostile and malformed requests', () => {
  let test: TestSystem;
  let fullName: string;
  beforeAll(async () => {
    test = await startTestSystem();
    const [citizen] = await test.databases
      .get('population')
      .query<{ full_name: string }>('SELECT full_name FROM population.citizen WHERE pin = $1', [test.pin]);
    fullName = citizen!.full_name;
  });
  afterAll(() => test?.stop());

  it('runs on the default limits the requests are made for', () => {
    const { depth, aliases, tokens, directives } = test.security.config.limits;
    expect({
      depth,
      aliases,
      tokens,
      directives,
      bodyBytes: test.security.config.maximumBodyBytes,
      documentBytes: test.security.config.documentBytes,
    }).toEqual(limits);
  });

  it('get the refusal their kind calls for, never a 5xx, a crash or a person, and the gateway answers normally afterwards', async () => {
    const requests = hostileRequests(mulberry32(20261129), { analyst: test.analyst, pin: test.pin });
    const problems: string[] = [];
    const leaks: string[] = [];
    const statuses = new Set<number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index]!;
        const { status, text } = await send(test.system.gateway.url, request);
        statuses.add(status);
        let answer: Answer | undefined;
        try {
          answer = JSON.parse(text) as Answer;
        } catch {
          answer = undefined;
        }
        const describe = `#${index} ${request.kind}: HTTP ${status} ${text.slice(0, 300)}`;
        const wrong = mismatch(request.expected, status, answer);
        if (wrong) problems.push(`${describe} (${wrong})`);
        const data = answer?.data as { citizen?: unknown; citizens?: unknown } | null | undefined;
        if (
          mayReadNobody.has(request.kind) &&
          ((data?.citizen ?? null) !== null || (data?.citizens ?? null) !== null || text.includes(fullName))
        )
          leaks.push(describe);
      }
    };
    // Bounded: 16 requests in flight, as many clients as a busy gateway might see at once.
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(requests).toHaveLength(1_100);
    expect(problems).toEqual([]);
    expect(leaks).toEqual([]);
    // Refused at every stage: body, credentials, access, purpose, size, method, validation; and field errors after running.
    expect([...statuses].sort((a, b) => a - b)).toEqual([200, 400, 401, 403, 405, 413, 415]);

    expect((await fetch(test.system.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
    const after = await test.query<{ citizen: { fullName: string } }>('query ($pin: ID!) { citizen(pin: $pin) { fullName } }', {
      pin: test.pin,
    });
    expect(after).toMatchObject({ status: 200, data: { citizen: { fullName } } });
    expect(after.errors).toBeUndefined();
  });
});

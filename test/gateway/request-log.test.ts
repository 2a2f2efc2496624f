import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type LogFields } from '../../platform/log.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** The request log: one JSON line per request, the id the caller got back, and never a personal value. */
describe('the request log', () => {
  let test: TestSystem;
  let capture: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    capture = captureLogs();
    test = await startTestSystem();
  });
  afterAll(async () => {
    await test?.stop();
    capture?.restore();
  });

  const linesOf = (requestId: string) => capture.lines.filter((line) => line.requestId === requestId);
  const settled = async (requestId: string, count: number) => {
    // A line is written when its answer is finished: wait for it rather than for a time.
    for (let attempt = 0; attempt < 200 && linesOf(requestId).length < count; attempt++)
      await new Promise((resolve) => setImmediate(resolve));
    return linesOf(requestId);
  };

  it('writes a line per request with the id returned to the caller, its trace id, who asked, the operation and each subgraph’s time', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(test.system.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...test.analyst,
        'x-request-id': 'dashboard-request-0001',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({
        query: 'query Lookup($pin: ID!) { citizen(pin: $pin) { pin fullName birthDate healthRecord { createdAt } } }',
        variables: { pin: test.pin },
      }),
    });
    const answer = (await response.json()) as { data: { citizen: Record<string, unknown> } };
    expect(response.headers.get('x-request-id')).toBe('dashboard-request-0001');
    const lines = await settled('dashboard-request-0001', 3);
    const gateway = lines.find((line) => line.msg === 'request')!;
    expect(gateway).toMatchObject({
      requestId: 'dashboard-request-0001',
      traceId,
      method: 'POST',
      path: '/graphql',
      status: 200,
      via: 'jwt',
      operationName: 'Lookup',
      operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(typeof gateway.durationMs).toBe('number');
    expect((gateway.subgraphs as Array<{ name: string }>).map((fetch) => fetch.name).sort()).toEqual(['health', 'population']);
    // The subgraphs log the same id.
    expect(
      lines
        .filter((line) => line.msg === 'subgraph request')
        .map((line) => line.subgraph)
        .sort(),
    ).toEqual(['health', 'population']);
    expect(answer.data.citizen.fullName).toBeTruthy();
  });

  it('logs refusals too, with their error codes and never their messages', async () => {
    const response = await fetch(test.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'anonymous-refused-0001' },
      body: JSON.stringify({ query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', variables: { pin: test.pin } }),
    });
    expect(response.status).toBe(403);
    const [line] = await settled('anonymous-refused-0001', 1);
    expect(line).toMatchObject({ status: 403, via: 'anonymous', errorCodes: ['FORBIDDEN'] });
  });

  it('never holds a personal value: no PIN, name, date or record any lookup returned appears in any line', async () => {
    const pins = (
      await test.databases.get('population').query<{ pin: string }>('SELECT pin FROM population.citizen ORDER BY pin LIMIT 20')
    ).map((row) => row.pin);
    const returned: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string' && value.length >= 4) returned.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    const lookup = await test.query(
      'query ($pins: [ID!]!) { citizens(pins: $pins) { pin fullName birthDate sex residence { code name } } }',
      {
        pins,
      },
    );
    collect(lookup.data);
    // A malformed PIN: its error message quotes it; the log must not.
    await test.query('query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: '99912345678' });
    returned.push('99912345678');
    await new Promise((resolve) => setImmediate(resolve));
    const personal = returned.filter((value) => !/^(MALE|FEMALE|PROVINCE|COMMUNE)$/.test(value));
    expect(personal.length).toBeGreaterThan(40);
    const text = capture.lines.map((line: LogFields) => JSON.stringify(line)).join('\n');
    expect(personal.filter((value) => text.includes(value))).toEqual([]);
  });
});

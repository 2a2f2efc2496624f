import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, startTestSystem, type TestSystem } from '../support/system.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem();
  });
  afterAll(() => test?.stop());

  const lookup = 'query Lookup($pin: ID!) { citizen(pin: $pin) { fullName } }';
  const ask = async (headers: Record<string, string>) => post(test.system.gateway.url, lookup, { pin: test.pin }, headers);

  it('takes a sane id from the caller, returns it, and records the personal answer under it', async () => {
    const subject = `request-id-${process.pid}-${Date.now()}`;
    const id = `dashboard-${process.pid}-${Date.now()}:0001`;
    const answer = await ask({ ...bearer(await test.security.token({ subject, scopes: ['population:pii'] })), 'x-request-id': id });
    expect(answer.errors).toBeUndefined();
    expect(answer.headers!.get('x-request-id')).toBe(id);
    const records = await test.security.database.query<{ request_id: string }>(
      'SELECT request_id FROM audit.access_record WHERE subject = $1',
      [subject],
    );
    expect(records).toEqual([{ request_id: id }]);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(129)],
    ['spaces', 'my request 1234'],
    ['a line break', 'abcdefgh\\r\\nset-cookie: x=1'],
    ['JSON', '{"id":"12345678"}'],
  ])('makes its own when the offered one has %s', async (_case, offered) => {
    const answer = await ask({ ...test.analyst, 'x-request-id': offered });
    expect(answer.headers!.get('x-request-id')).toMatch(uuid);
  });

  it('makes a new one for every request that offers none, and returns it on refusals too', async () => {
    const [first, second] = await Promise.all([ask(test.analyst), ask(test.analyst)]);
    expect(first!.headers!.get('x-request-id')).toMatch(uuid);
    expect(first!.headers!.get('x-request-id')).not.toBe(second!.headers!.get('x-request-id'));
    const refused = await ask({ authorization: 'Bearer not-a-token', 'x-request-id': 'refused-request-0001' });
    expect(refused.status).toBe(401);
    expect(refused.headers!.get('x-request-id')).toBe('refused-request-0001');
    const health = await fetch(test.system.gateway.url.replace('/graphql', '/livez'), {
      headers: { 'x-request-id': 'probe-request-0001' },
    });
    expect(health.headers.get('x-request-id')).toBe('probe-request-0001');
  });
});

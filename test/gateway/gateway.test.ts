import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.js';

describe('gateway over the four subgraphs and the PostgreSQL server', () => {
  let test: TestSystem;
  let pin: string;
  beforeAll(async () => {
    test = await startTestSystem();
    pin = test.pin;
  });
  afterAll(() => test?.stop());

  it('answers one citizen from three agencies in one query', async () => {
    const answer = await test.query(
      `query ($pin: ID!) { citizen(pin: $pin) { pin fullName residence { name parent { code } } healthRecord { createdAt } civilServant { agency { name } inService } } }`,
      { pin },
    );
    expect(answer.errors).toBeUndefined();
    const [row] = await test.databases
      .get('population')
      .query<{ full_name: string }>('SELECT full_name FROM population.citizen WHERE pin = $1', [pin]);
    const [record] = await test.databases
      .get('health')
      .query<{ created_on: string }>('SELECT created_on FROM health.health_record WHERE pin = $1', [pin]);
    expect(answer.data).toEqual({
      citizen: {
        pin,
        fullName: row!.full_name,
        residence: { name: expect.any(String), parent: { code: expect.stringMatching(/^\d{2}$/) } },
        healthRecord: { createdAt: record!.created_on },
        civilServant: { agency: { name: expect.any(String) }, inService: true },
      },
    });
  });

  it('answers citizens(pins) in the order asked, null for unknown PINs', async () => {
    const known = (
      await test.databases.get('population').query<{ pin: string }>('SELECT pin FROM population.citizen ORDER BY pin DESC LIMIT 3')
    ).map((row) => row.pin);
    const unknown = '001090999999';
    const pins = [known[2]!, unknown, known[0]!, known[1]!, known[0]!];
    const answer = await test.query<{ citizens: Array<{ pin: string } | null> }>(
      `query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }`,
      { pins },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.citizens.map((citizen) => citizen?.pin ?? null)).toEqual([known[2], null, known[0], known[1], known[0]]);
  });

  it('pages through a commune listing and resolves each head in the population subgraph', async () => {
    const [busiest] = await test.databases
      .get('agriculture')
      .query<{ code: string; farms: number }>(
        'SELECT commune_code AS code, count(*) AS farms FROM agriculture.farm_household GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1',
      );
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const answer: Awaited<
        ReturnType<
          typeof test.query<{
            farmHouseholds: {
              nodes: Array<{ id: string; head: { pin: string } | null }>;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }>
        >
      > = await test.query(
        `query ($code: ID!, $after: String) { farmHouseholds(communeCode: $code, first: 2, after: $after) { nodes { id head { pin } } pageInfo { hasNextPage endCursor } } }`,
        { code: busiest!.code, after },
      );
      expect(answer.errors).toBeUndefined();
      seen.push(...answer.data!.farmHouseholds.nodes.map((farm) => farm.id));
      after = answer.data!.farmHouseholds.pageInfo.hasNextPage ? answer.data!.farmHouseholds.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(busiest!.farms);
    expect(new Set(seen).size).toBe(busiest!.farms);
  });

  describe('refuses bad input with a code and a message that says what is wrong', () => {
    it.each([
      ['a malformed PIN', `{ citizen(pin: "12345") { fullName } }`, 'BAD_USER_INPUT', /pin: a PIN is exactly 12 digits/],
      ['a PIN with a bad province', `{ citizen(pin: "099203012345") { fullName } }`, 'BAD_USER_INPUT', /not a province code/],
      [
        'an unknown commune code',
        `{ healthRecords(communeCode: "99999") { nodes { id } } }`,
        'BAD_USER_INPUT',
        /no commune has code "99999"/,
      ],
      [
        'an unknown province code',
        `{ administrativeUnits(level: COMMUNE, parentCode: "99") { code } }`,
        'BAD_USER_INPUT',
        /no province has code "99"/,
      ],
      ['a malformed unit code', `{ administrativeUnit(code: "1") { name } }`, 'BAD_USER_INPUT', /2 digits \(province\) or 5 \(commune\)/],
      [
        'a page size over the bound',
        `{ civilServants(communeCode: "00004", first: 501) { nodes { id } } }`,
        'BAD_USER_INPUT',
        /first must be between 1 and 500/,
      ],
      [
        'a forged cursor',
        `{ civilServants(communeCode: "00004", after: "bm9wZQ") { nodes { id } } }`,
        'BAD_USER_INPUT',
        /after is not a cursor/,
      ],
      [
        'a field that does not exist',
        `{ citizen(pin: "001090000001") { salary } }`,
        'GRAPHQL_VALIDATION_FAILED',
        /Cannot query field "salary"/,
      ],
    ])('%s', async (_case, query, code, message) => {
      const answer = await test.query(query);
      expect(answer.errors?.[0]).toMatchObject({ extensions: { code }, message: expect.stringMatching(message) });
    });

    it('more than 1,000 PINs', async () => {
      const pins = Array.from({ length: 1_001 }, (_, index) => `001090${String(index).padStart(6, '0')}`);
      const answer = await test.query(`query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }`, { pins });
      expect(answer.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: 'pins: at most 1000 PINs a request, got 1001',
      });
    });

    it('too many encounters', async () => {
      const answer = await test.query(`query ($pin: ID!) { citizen(pin: $pin) { healthRecord { encounters(last: 51) { id } } } }`, { pin });
      expect(answer.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: 'last must be between 1 and 50, got 51',
      });
    });

    it('one malformed PIN among many, naming its position', async () => {
      const answer = await test.query(`query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }`, { pins: [pin, 'abc'] });
      expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('pins[1]') });
    });
  });

  it('reports healthy when every subgraph is up', async () => {
    const response = await fetch(test.system.gateway.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      subgraphs: { population: 'ok', health: 'ok', 'civil-service': 'ok', agriculture: 'ok' },
    });
  });
});

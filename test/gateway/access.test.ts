import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCommuneCodes } from '../../platform/administrative-codes.js';
import { bearer, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * One query per personal field group, the one scope that grants it, and the
 * path to a value it must then return (the variables name people and communes
 * that have one).
 */
const fieldsByScope: Record<string, Array<{ query: string; selected: string }>> = {
  'indicators:read': [
    { query: '{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } } }', selected: 'areaStats.0.eIdAdoption' },
    { query: '{ tasks { number } }', selected: 'tasks.0.number' },
    { query: '{ administrativeUnits(level: PROVINCE) { code } }', selected: 'administrativeUnits.0.code' },
  ],
  'population:pii': [
    { query: 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', selected: 'citizen.fullName' },
    { query: 'query ($pin: ID!) { citizen(pin: $pin) { birthDate sex diedOn } }', selected: 'citizen.birthDate' },
    { query: 'query ($pin: ID!) { citizen(pin: $pin) { residence { code name } } }', selected: 'citizen.residence.name' },
    { query: 'query ($eIdHolder: ID!) { citizen(pin: $eIdHolder) { eId { level } } }', selected: 'citizen.eId.level' },
  ],
  'health:pii': [
    {
      query: 'query ($pin: ID!) { citizen(pin: $pin) { pin healthRecord { createdAt encounters { icd10Code } } } }',
      selected: 'citizen.healthRecord.createdAt',
    },
    {
      query: 'query ($healthCommune: ID!) { healthRecords(communeCode: $healthCommune, first: 2) { nodes { pin } } }',
      selected: 'healthRecords.nodes.0.pin',
    },
  ],
  'civil-service:pii': [
    { query: 'query ($pin: ID!) { citizen(pin: $pin) { civilServant { rank { name } } } }', selected: 'citizen.civilServant.rank.name' },
    {
      query: 'query ($workplace: ID!) { civilServants(communeCode: $workplace, first: 2) { nodes { fullName } } }',
      selected: 'civilServants.nodes.0.fullName',
    },
  ],
  'agriculture:pii': [
    {
      query: 'query ($farmer: ID!) { citizen(pin: $farmer) { farmHousehold { areaHectares } } }',
      selected: 'citizen.farmHousehold.areaHectares',
    },
    {
      query: 'query ($farmCommune: ID!) { farmHouseholds(communeCode: $farmCommune, first: 2) { nodes { headPin } } }',
      selected: 'farmHouseholds.nodes.0.headPin',
    },
  ],
};

/** The value at a dotted path (list indexes as numbers); undefined where the path breaks off. */
const valueAt = (data: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null | undefined)?.[key], data);

describe('scopes on the gateway', () => {
  let test: TestSystem;
  let variables: Record<string, string>;
  beforeAll(async () => {
    // No anonymous scopes here, so that each token holds exactly the scope under test.
    test = await startTestSystem({ securityEnvironment: { ANONYMOUS_SCOPES: '' } });
    const official = new Set(officialCommuneCodes);
    /** The official commune with most rows in an agency's listing, so a page of it is not empty. */
    const busiest = async (agency: 'health' | 'civil-service' | 'agriculture', sql: string) =>
      (await test.databases.get(agency).query<{ code: string }>(sql)).map((row) => row.code).find((code) => official.has(code))!;
    const heads = (
      await test.databases
        .get('agriculture')
        .query<{ pin: string }>('SELECT head_pin AS pin FROM agriculture.farm_household ORDER BY id LIMIT 500')
    ).map((row) => row.pin);
    const population = test.databases.get('population');
    // A farm household head the population database knows, and someone with an activated VNeID.
    const [farmer] = await population.query<{ pin: string }>(
      'SELECT pin FROM population.citizen WHERE pin = ANY($1::bpchar[]) ORDER BY pin LIMIT 1',
      [heads],
    );
    const [eIdHolder] = await population.query<{ pin: string }>(
      'SELECT pin FROM population.citizen WHERE vneid_level IS NOT NULL ORDER BY pin LIMIT 1',
    );
    variables = {
      pin: test.pin,
      eIdHolder: eIdHolder!.pin,
      farmer: farmer!.pin,
      healthCommune: await busiest(
        'health',
        'SELECT commune_code AS code FROM health.health_record GROUP BY commune_code ORDER BY count(*) DESC, commune_code',
      ),
      workplace: await busiest(
        'civil-service',
        'SELECT workplace_commune_code AS code FROM civil_service.civil_servant GROUP BY workplace_commune_code ORDER BY count(*) DESC, workplace_commune_code',
      ),
      farmCommune: await busiest(
        'agriculture',
        'SELECT commune_code AS code FROM agriculture.farm_household GROUP BY commune_code ORDER BY count(*) DESC, commune_code',
      ),
    };
  });
  afterAll(() => test?.stop());

  const scopes = Object.keys(fieldsByScope);
  const cases = scopes.flatMap((held) =>
    scopes.flatMap((granting) => fieldsByScope[granting]!.map(({ query, selected }) => ({ held, granting, query, selected }))),
  );

  it.each(cases)('a caller with $held only: $granting field $query', async ({ held, granting, query, selected }) => {
    const token = await test.security.token({ scopes: [held] });
    // Variables a query does not declare are ignored.
    const answer = await test.queryAs(bearer(token), query, variables);
    if (held === granting) {
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      expect(answer.status).toBe(200);
      expect(valueAt(answer.data, selected) ?? null, `${selected} in ${JSON.stringify(answer.data)}`).not.toBeNull();
    } else {
      expect(answer.status).toBe(403);
      expect(answer.data).toBeUndefined();
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(answer.errors![0]!.message).toMatch(
        held === 'indicators:read' || granting === 'indicators:read' ? /needs/ : new RegExp(`needs ${granting}`),
      );
    }
  });

  it('names every field path it refuses, with aliases and through fragments', async () => {
    const token = await test.security.token({ scopes: ['health:pii'] });
    const answer = await test.queryAs(
      bearer(token),
      'query ($pin: ID!) { person: citizen(pin: $pin) { ...Who healthRecord { id } civilServant { id } } } fragment Who on Citizen { fullName residence { code } }',
      { pin: test.pin },
    );
    expect(answer.status).toBe(403);
    expect((answer.errors![0]!.extensions!.deniedFields as Array<{ path: string }>).map((field) => field.path)).toEqual([
      'person.fullName',
      'person.residence',
      'person.civilServant',
    ]);
  });

  it('tells an anonymous caller to authenticate, and gives nothing personal', async () => {
    const answer = await test.queryAs({}, 'query ($pin: ID!) { citizen(pin: $pin) { pin } }', { pin: test.pin });
    expect(answer).toMatchObject({
      status: 403,
      errors: [{ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/Anonymous callers .*authenticate first/) }],
    });
  });

  it('refuses personal data without a purpose, or with one not on the list', async () => {
    const token = await test.security.token({ scopes: ['population:pii'] });
    const query = 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }';
    const none = await test.queryAs({ authorization: `Bearer ${token}` }, query, { pin: test.pin });
    expect(none).toMatchObject({
      status: 403,
      errors: [{ extensions: { code: 'PURPOSE_REQUIRED' }, message: expect.stringMatching(/x-purpose/) }],
    });
    expect(none.data).toBeUndefined();
    const curious = await test.queryAs(bearer(token, 'curiosity'), query, { pin: test.pin });
    expect(curious).toMatchObject({
      status: 403,
      errors: [{ extensions: { code: 'PURPOSE_REQUIRED' }, message: expect.stringMatching(/"curiosity" is not an accepted one/) }],
    });
    const claimed = await test.security.token({ scopes: ['population:pii'], purpose: 'health-care' });
    expect((await test.queryAs({ authorization: `Bearer ${claimed}` }, query, { pin: test.pin })).errors).toBeUndefined();
  });

  it.each([
    ['an expired token', async () => test.security.token({ scopes: ['population:pii'] }, -120), /expired/],
    [
      'a token signed with another secret',
      async () => (await test.security.token({ scopes: ['population:pii'] })).replace(/.{6}$/, 'AAAAAA'),
      /signature/,
    ],
    ['a token that is not a JWT', async () => 'not-a-jwt', /not a valid JWT/],
  ])('refuses %s with UNAUTHENTICATED', async (_name, makeToken, message) => {
    const answer = await test.queryAs(bearer(await makeToken()), '{ tasks { number } }');
    expect(answer).toMatchObject({
      status: 401,
      errors: [{ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(message) }],
    });
  });
});

describe('introspection', () => {
  it('is for holders of schema:read in production, for anyone in development', async () => {
    const production = await startTestSystem({
      securityEnvironment: {
        DEPLOYMENT: 'production',
        GATEWAY_SIGNING_SECRET: 'a-production-secret-of-32-characters!',
        AUTH_JWT_SECRET: 'a-token-secret-of-at-least-32-characters',
        AUTH_JWT_ISSUER: 'test',
        AUTH_JWT_AUDIENCE: 'test',
      },
    });
    try {
      const query = '{ __schema { queryType { name } } }';
      expect(await production.queryAs({}, query)).toMatchObject({
        status: 403,
        errors: [{ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/schema:read/) }],
      });
      // Suggestions would leak field names to someone who may not introspect.
      const typo = await production.queryAs({}, '{ taskz { number } }');
      expect(typo.errors![0]!.message).not.toMatch(/Did you mean/);
      expect((await production.query(query)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await production.stop();
    }
    const development = await startTestSystem();
    try {
      expect((await development.queryAs({}, '{ __schema { queryType { name } } }')).data).toEqual({
        __schema: { queryType: { name: 'Query' } },
      });
    } finally {
      await development.stop();
    }
  });
});

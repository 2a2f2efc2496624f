import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestSystem, type TestSystem } from '../support/system.js';

/** One query per personal field group, and the one scope that grants it. */
const fieldsByScope: Record<string, string[]> = {
  'indicators:read': [
    '{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { value } } }',
    '{ tasks { number } }',
    '{ administrativeUnits(level: PROVINCE) { code } }',
  ],
  'population:pii': [
    'query ($pin: ID!) { citizen(pin: $pin) { fullName } }',
    'query ($pin: ID!) { citizen(pin: $pin) { birthDate sex diedOn } }',
    'query ($pin: ID!) { citizen(pin: $pin) { residence { code name } } }',
    'query ($pin: ID!) { citizen(pin: $pin) { eId { level } } }',
  ],
  'health:pii': [
    'query ($pin: ID!) { citizen(pin: $pin) { pin healthRecord { createdAt encounters { icd10Code } } } }',
    'query ($commune: ID!) { healthRecords(communeCode: $commune, first: 2) { nodes { pin } } }',
  ],
  'civil-service:pii': [
    'query ($pin: ID!) { citizen(pin: $pin) { civilServant { rank { name } } } }',
    'query ($commune: ID!) { civilServants(communeCode: $commune, first: 2) { nodes { fullName } } }',
  ],
  'agriculture:pii': [
    'query ($pin: ID!) { citizen(pin: $pin) { farmHousehold { areaHectares } } }',
    'query ($commune: ID!) { farmHouseholds(communeCode: $commune, first: 2) { nodes { headPin } } }',
  ],
};

describe('scopes on the gateway', () => {
  let test: TestSystem;
  let commune: string;
  beforeAll(async () => {
    // No anonymous scopes here, so that each token holds exactly the scope under test.
    test = await startTestSystem({ securityEnvironment: { ANONYMOUS_SCOPES: '' } });
    const [row] = await test.databases.get('population').query<{ commune_code: string }>('SELECT residence_commune_code AS commune_code FROM population.citizen WHERE pin = $1', [test.pin]);
    commune = row!.commune_code;
  });
  afterAll(() => test?.stop());

  const scopes = Object.keys(fieldsByScope);
  const cases = scopes.flatMap((held) => scopes.flatMap((granting) => fieldsByScope[granting]!.map((query) => ({ held, granting, query }))));

  it.each(cases)('a caller with $held only: $granting field $query', async ({ held, granting, query }) => {
    const token = await test.security.token({ scopes: [held] });
    const answer = await test.queryAs(bearer(token), query, { pin: test.pin, commune });
    if (held === granting) {
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      expect(answer.status).toBe(200);
    } else {
      expect(answer.status).toBe(403);
      expect(answer.data).toBeUndefined();
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(answer.errors![0]!.message).toMatch(held === 'indicators:read' || granting === 'indicators:read' ? /needs/ : new RegExp(`needs ${granting}`));
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
    expect(answer).toMatchObject({ status: 403, errors: [{ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/Anonymous callers .*authenticate first/) }] });
  });

  it('refuses personal data without a purpose, or with one not on the list', async () => {
    const token = await test.security.token({ scopes: ['population:pii'] });
    const query = 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }';
    const none = await test.queryAs({ authorization: `Bearer ${token}` }, query, { pin: test.pin });
    expect(none).toMatchObject({ status: 403, errors: [{ extensions: { code: 'PURPOSE_REQUIRED' }, message: expect.stringMatching(/x-purpose/) }] });
    expect(none.data).toBeUndefined();
    const curious = await test.queryAs(bearer(token, 'curiosity'), query, { pin: test.pin });
    expect(curious).toMatchObject({ status: 403, errors: [{ extensions: { code: 'PURPOSE_REQUIRED' }, message: expect.stringMatching(/"curiosity" is not an accepted one/) }] });
    const claimed = await test.security.token({ scopes: ['population:pii'], purpose: 'health-care' });
    expect((await test.queryAs({ authorization: `Bearer ${claimed}` }, query, { pin: test.pin })).errors).toBeUndefined();
  });

  it.each([
    ['an expired token', async () => test.security.token({ scopes: ['population:pii'] }, -120), /expired/],
    ['a token signed with another secret', async () => (await test.security.token({ scopes: ['population:pii'] })).replace(/.{6}$/, 'AAAAAA'), /signature/],
    ['a token that is not a JWT', async () => 'not-a-jwt', /not a valid JWT/],
  ])('refuses %s with UNAUTHENTICATED', async (_name, makeToken, message) => {
    const answer = await test.queryAs(bearer(await makeToken()), '{ tasks { number } }');
    expect(answer).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(message) }] });
  });
});

describe('introspection', () => {
  it('is for holders of schema:read in production, for anyone in development', async () => {
    const production = await startTestSystem({ securityEnvironment: { DEPLOYMENT: 'production', GATEWAY_SIGNING_SECRET: 'a-production-secret-of-32-characters!', AUTH_JWT_SECRET: 'a-token-secret-of-at-least-32-characters', AUTH_JWT_ISSUER: 'test', AUTH_JWT_AUDIENCE: 'test' } });
    try {
      const query = '{ __schema { queryType { name } } }';
      expect(await production.queryAs({}, query)).toMatchObject({ status: 403, errors: [{ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/schema:read/) }] });
      // Suggestions would leak field names to someone who may not introspect.
      const typo = await production.queryAs({}, '{ taskz { number } }');
      expect(typo.errors![0]!.message).not.toMatch(/Did you mean/);
      expect((await production.query(query)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await production.stop();
    }
    const development = await startTestSystem();
    try {
      expect((await development.queryAs({}, '{ __schema { queryType { name } } }')).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await development.stop();
    }
  });
});

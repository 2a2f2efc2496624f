/**
 * What the soak asks the gateway: the traffic of its users (dashboards,
 * commune drill-downs, personal lookups with a purpose) and hostile requests
 * from a seeded corpus, each of which the gateway must refuse with a 4xx.
 */

/** A seeded pseudo-random generator (mulberry32): the same seed, the same run of requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const requestClasses = ['dashboard', 'communes', 'drill-down', 'lookup', 'hostile'] as const;
export type RequestClass = (typeof requestClasses)[number];

/** How often each class is picked by a load worker. */
export const classWeights: Readonly<Record<RequestClass, number>> = {
  dashboard: 30,
  communes: 4,
  'drill-down': 26,
  lookup: 28,
  hostile: 12,
};

export interface SoakRequest {
  readonly class: RequestClass;
  /** For hostile requests: what it tries. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  /** A POST body, or the query string of a GET. */
  readonly body: string;
}

export interface SoakData {
  readonly pins: readonly string[];
  readonly communeCodes: readonly string[];
  /** Bearer token with the personal-data scopes and no purpose claim (the purpose comes in x-purpose). */
  readonly token: string;
  /** A token whose signature does not verify. */
  readonly forgedToken: string;
}

const json = { 'content-type': 'application/json' };
const periods = ['2025', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-06', '2026-09'];
const indicatorFields = `eIdAdoption { value numerator denominator suppressed }
    ehrCoverage { value numerator denominator suppressed }
    civilServantDigitalSkills { value suppressed }
    farmHouseholdsPer100Households { value suppressed }`;

const post = (
  requestClass: RequestClass,
  name: string,
  query: string,
  variables: object = {},
  headers: Record<string, string> = {},
): SoakRequest => ({
  class: requestClass,
  name,
  method: 'POST',
  headers: { ...json, ...headers },
  body: JSON.stringify({ query, variables }),
});

/** Makes the requests of one class, drawing choices from `random`. */
export function requestMaker(data: SoakData, random: () => number): (requestClass: RequestClass) => SoakRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const personal = { authorization: `Bearer ${data.token}`, 'x-purpose': 'health-care' };
  const hostile = hostileCorpus(data, pick);
  return (requestClass) => {
    switch (requestClass) {
      case 'dashboard':
        return post(
          'dashboard',
          'provinces',
          `query Dashboard($period: String!) { areaStats(level: PROVINCE, period: $period) { unitCode ${indicatorFields} } }`,
          { period: pick(periods) },
        );
      case 'communes':
        return post(
          'communes',
          'communes',
          `query Communes($period: String!) { areaStats(level: COMMUNE, period: $period) { unitCode ${indicatorFields} } }`,
          { period: pick(periods.slice(0, 3)) },
        );
      case 'drill-down': {
        const commune = pick(data.communeCodes);
        return post(
          'drill-down',
          'commune',
          `query Commune($code: ID!) { administrativeUnit(code: $code) { name parent { name } }
             areaSeries(unitCode: $code, from: "2026-01", to: "2026-09") { period ${indicatorFields} } }`,
          { code: commune },
        );
      }
      case 'lookup':
        return post(
          'lookup',
          'citizen',
          `query Lookup($pin: ID!) { citizen(pin: $pin) { pin fullName birthDate residence { name } healthRecord { createdAt } civilServant { inService } } }`,
          { pin: pick(data.pins) },
          personal,
        );
      case 'hostile':
        return pick(hostile)();
    }
  };
}

/** Requests the gateway must refuse, each with a 4xx and a code, before doing the work they ask for. */
function hostileCorpus(data: SoakData, pick: <T>(items: readonly T[]) => T): ReadonlyArray<() => SoakRequest> {
  const hostile =
    (name: string, query: string, variables: object = {}, headers: Record<string, string> = {}) =>
    () =>
      post('hostile', name, query, variables, headers);
  const nest = (depth: number) => `${'children { '.repeat(depth)}code${' }'.repeat(depth)}`;
  return [
    // The request of issue 11: lists multiplied through parent/children.
    hostile(
      'list multiplication',
      '{ administrativeUnits(level: PROVINCE) { children { parent { children { parent { children { code } } } } } } }',
    ),
    hostile(
      'aliased commune tables',
      `{ ${Array.from({ length: 12 }, (_, index) => `a${index}: areaStats(level: COMMUNE, period: "2025") { unitCode ${indicatorFields} }`).join(' ')} }`,
    ),
    hostile('deep nesting', `{ administrativeUnits(level: PROVINCE) { ${nest(14)} } }`),
    hostile(
      'page size in a variable',
      'query ($n: Int!) { civilServants(communeCode: "00004", first: $n) { nodes { fullName } } }',
      { n: 100_000 },
      {
        authorization: `Bearer ${data.token}`,
        'x-purpose': 'civil-service-management',
      },
    ),
    () => ({
      class: 'hostile',
      name: 'document of comments',
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: `${'# padding\n'.repeat(4_000)}{ tasks { number } }` }),
    }),
    () => ({
      class: 'hostile',
      name: 'oversized body',
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: '{ tasks { number } }', variables: { x: 'x'.repeat(300_000) } }),
    }),
    () => ({ class: 'hostile', name: 'not JSON', method: 'POST', headers: json, body: '{"query": "{ tasks { number } }"' }),
    hostile('forged token', '{ tasks { number } }', {}, { authorization: `Bearer ${data.forgedToken}` }),
    hostile('personal data anonymously', 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: pick(data.pins) }),
    hostile(
      'personal data without a purpose',
      'query ($pin: ID!) { citizen(pin: $pin) { fullName } }',
      { pin: pick(data.pins) },
      { authorization: `Bearer ${data.token}` },
    ),
    hostile('introspection in production', '{ __schema { types { name fields { name } } } }'),
    hostile(
      'too many PINs',
      'query ($pins: [ID!]!) { citizens(pins: $pins) { pin } }',
      { pins: Array.from({ length: 1_001 }, (_, index) => String(index).padStart(12, '0')) },
      {
        authorization: `Bearer ${data.token}`,
        'x-purpose': 'health-care',
      },
    ),
    hostile('unknown field', '{ citizensEverywhere { pin } }'),
    () => ({
      class: 'hostile',
      name: 'mutation over GET',
      method: 'GET',
      headers: {},
      body: `query=${encodeURIComponent('mutation { x }')}`,
    }),
  ];
}

import { signedHeaders } from '../targets/peer-signing.js';

/**
 * One subgraph alone, one client, no gateway and no cache: how long a
 * subgraph takes to answer the 3,321 communes with indicators against the
 * plain list of their codes (issue 16's target: at most 3×). Each request
 * is signed as the gateway signs; rounds interleave the requests so that a
 * busy moment of the machine falls on all of them alike.
 */
export interface SubgraphRequestTiming {
  readonly name: string;
  readonly subgraph: string;
  readonly description: string;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly responseBytes: number;
  /** Median against the plain list's median. */
  readonly ratioToList: number;
}

export interface SubgraphAloneResult {
  readonly rounds: number;
  readonly requests: readonly SubgraphRequestTiming[];
}

const indicatorFields = 'numerator denominator value target meetsTarget suppressed';
const period = '2025-Q4';

interface Request {
  readonly name: string;
  readonly subgraph: string;
  readonly description: string;
  readonly body: string;
}

async function post(url: string, body: string, secret: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(body, secret) },
    body,
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** What the gateway asks each agency's subgraph for the commune dashboard, and the plain list it is held to. */
async function requestsFor(urls: Readonly<Record<string, string>>, secret: string): Promise<Request[]> {
  const areas = (selection: string) => JSON.stringify({ query: `{ areaStats(level: COMMUNE, period: "${period}") { ${selection} } }` });
  const withCounts = `unitCode period eIdAdoption { ${indicatorFields} } residentCount residentCountSuppressed householdCount householdCountSuppressed`;
  const population = JSON.parse(await post(urls.population!, areas(withCounts), secret)) as {
    data: { areaStats: Array<Record<string, unknown>> };
  };
  // The representations the gateway sends, carrying the @requires fields population answered.
  const representations = population.data.areaStats.map(
    ({ unitCode, period, residentCount, residentCountSuppressed, householdCount, householdCountSuppressed }) => ({
      __typename: 'AreaStats',
      unitCode,
      period,
      residentCount,
      residentCountSuppressed,
      householdCount,
      householdCountSuppressed,
    }),
  );
  const entities = (selection: string) =>
    JSON.stringify({
      query: `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on AreaStats { ${selection} } } }`,
      variables: { representations },
    });
  return [
    { name: 'list', subgraph: 'population', description: 'areaStats(level: COMMUNE) { unitCode period }', body: areas('unitCode period') },
    {
      name: 'populationIndicators',
      subgraph: 'population',
      description: 'the same with eIdAdoption and the counts others @require',
      body: areas(withCounts),
    },
    {
      name: 'populationAllIndicators',
      subgraph: 'population',
      description: 'the same with both population indicators, every field',
      body: areas(`unitCode period eIdAdoption { ${indicatorFields} gap } eIdLevel2Share { ${indicatorFields} gap } residentCount`),
    },
    {
      name: 'healthEntities',
      subgraph: 'health',
      description: '_entities for the 3,321 communes: ehrCoverage (@requires)',
      body: entities(`ehrCoverage { ${indicatorFields} }`),
    },
    {
      name: 'civilServiceEntities',
      subgraph: 'civil-service',
      description: '_entities for the 3,321 communes: civilServantDigitalSkills',
      body: entities(`civilServantDigitalSkills { ${indicatorFields} }`),
    },
    {
      name: 'agricultureEntities',
      subgraph: 'agriculture',
      description: '_entities for the 3,321 communes: all three indicators',
      body: entities(
        `farmHouseholdsPer100Households { ${indicatorFields} } farmHeadPinMatch { ${indicatorFields} } farmHouseholdsWithCropRecords { ${indicatorFields} }`,
      ),
    },
  ];
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

export async function timeSubgraphsAlone(
  urls: Readonly<Record<string, string>>,
  secret: string,
  rounds: number,
): Promise<SubgraphAloneResult> {
  const requests = await requestsFor(urls, secret);
  const times = new Map<string, number[]>(requests.map(({ name }) => [name, []]));
  const bytes = new Map<string, number>();
  // Three untimed rounds first: compiled operations, loaded code, warm connections.
  for (let round = -3; round < rounds; round++) {
    for (const request of requests) {
      const started = performance.now();
      const text = await post(urls[request.subgraph]!, request.body, secret);
      const elapsed = performance.now() - started;
      if (round >= 0) times.get(request.name)!.push(elapsed);
      bytes.set(request.name, Buffer.byteLength(text));
    }
  }
  const listMedian = quantile(times.get('list')!, 0.5);
  return {
    rounds,
    requests: requests.map(({ name, subgraph, description }) => {
      const medianMs = quantile(times.get(name)!, 0.5);
      return {
        name,
        subgraph,
        description,
        medianMs: Math.round(medianMs * 100) / 100,
        p90Ms: Math.round(quantile(times.get(name)!, 0.9) * 100) / 100,
        responseBytes: bytes.get(name)!,
        ratioToList: Math.round((medianMs / listMedian) * 100) / 100,
      };
    }),
  };
}

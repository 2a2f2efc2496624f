/** What the benchmark asks every gateway, as dashboards and agency systems do. */
export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly body: string;
  /** Whether it reads personal data (the project's gateway then needs a token and a purpose). */
  readonly personal: boolean;
  /**
   * Concurrent connections in a full run (a quick run uses half): enough to
   * keep a gateway busy, few enough that requests complete within a run.
   */
  readonly connections: number;
}

export const workloadNames = ['dashboard', 'communes', 'communeList', 'lookup'] as const;
export type WorkloadName = (typeof workloadNames)[number];

const indicators = `query Indicators($level: AreaLevel!, $period: String!) {
  areaStats(level: $level, period: $period) {
    unitCode
    eIdAdoption { numerator denominator value target meetsTarget suppressed }
    ehrCoverage { numerator denominator value target meetsTarget suppressed }
    civilServantDigitalSkills { numerator denominator value target meetsTarget suppressed }
  }
}`;

export function workloads(pins: readonly string[]): Record<WorkloadName, Workload> {
  return {
    dashboard: {
      name: 'dashboard',
      description: '34 provinces, one period, three indicators from three subgraphs',
      body: JSON.stringify({ query: indicators, variables: { level: 'PROVINCE', period: '2025-Q4' } }),
      personal: false,
      connections: 32,
    },
    communes: {
      name: 'communes',
      description: 'the same for 3,321 communes',
      body: JSON.stringify({ query: indicators, variables: { level: 'COMMUNE', period: '2025-Q4' } }),
      personal: false,
      connections: 4,
    },
    communeList: {
      name: 'communeList',
      description: 'the 3,321 communes alone (unit codes, population subgraph): the baseline the commune dashboard is held to',
      body: JSON.stringify({
        query: 'query Communes($period: String!) { areaStats(level: COMMUNE, period: $period) { unitCode } }',
        variables: { period: '2025-Q4' },
      }),
      personal: false,
      connections: 4,
    },
    lookup: {
      name: 'lookup',
      description: 'citizens(pins) for 100 PINs, fields from three subgraphs',
      body: JSON.stringify({
        query: `query Lookup($pins: [ID!]!) {
  citizens(pins: $pins) { pin fullName birthDate residence { code name } healthRecord { createdAt } civilServant { rank { name } inService } }
}`,
        variables: { pins },
      }),
      personal: true,
      connections: 16,
    },
  };
}

import { describe, expect, it } from 'vitest';
import {
  comparisonTable,
  markdownTable,
  subgraphTable,
  summarise,
  targetLines,
  type Measurement,
  type Row,
} from '../../bench/support/report.js';
import { workloads } from '../../bench/support/workloads.js';

const run = (target: Measurement['target'], round: number, requestsPerSecond: number, cpuMs: number, completed: number): Measurement => ({
  round,
  workload: 'dashboard',
  target,
  requestsPerSecond,
  completed,
  ok: completed,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  latencyP50: 10 * round,
  latencyP99: 20 * round,
  cpuMs,
});

describe('benchmark report', () => {
  const measurements = [
    run('@apollo/gateway', 1, 100, 500, 1_000),
    run('@apollo/gateway', 2, 120, 500, 1_200),
    run('@apollo/gateway', 3, 80, 500, 800),
    run('node:http ceiling', 1, 10_000, 100, 100_000),
    run('project (warm)', 1, 5_000, 250, 50_000),
    { ...run('project (cold)', 1, 90, 900, 900), non2xx: 3 },
  ];
  const rows = summarise(measurements, { '@apollo/gateway': 300 * 1_048_576 }, [workloads([]).dashboard]);

  it('takes medians over rounds, CPU per answered request over all rounds, and ratios to the bare gateway and the ceiling', () => {
    const apollo = rows.find((row) => row.target === '@apollo/gateway')!;
    expect(apollo).toMatchObject({
      requestsPerSecond: 100,
      latencyP50: 20,
      latencyP99: 40,
      cpuMsPerRequest: 0.5,
      peakMemoryMiB: 300,
      toApolloGateway: 1,
      toCeiling: 0.01,
      failed: 0,
    });
    expect(rows.find((row) => row.target === 'project (warm)')).toMatchObject({ toApolloGateway: 50, toCeiling: 0.5 });
  });

  it('marks runs with failed requests in the table', () => {
    expect(rows.find((row) => row.target === 'project (cold)')!.failed).toBe(3);
    const table = markdownTable(rows);
    expect(table).toContain('| dashboard | project (cold) (3 failed) | 90.0 |');
    expect(table).toContain('| dashboard | project (warm) | 5,000.0 | 10 | 20 | 0.01 | 0 | 50.00 | 50.0 |');
  });

  it('states the cold-path targets from the run: subgraph alone, commune dashboard against the list, warm, lookups', () => {
    const row = (workload: string, target: Row['target'], figures: Partial<Row>): Row => ({
      workload,
      target,
      requestsPerSecond: 1,
      latencyP50: 1,
      latencyP99: 1,
      cpuMsPerRequest: 1,
      peakMemoryMiB: 1,
      toApolloGateway: 1,
      toCeiling: 1,
      failed: 0,
      ...figures,
    });
    const subgraphs = {
      rounds: 30,
      requests: [
        { name: 'list', subgraph: 'population', description: 'the list', medianMs: 4, p90Ms: 5, responseBytes: 1000, ratioToList: 1 },
        { name: 'healthEntities', subgraph: 'health', description: 'health', medianMs: 20, p90Ms: 25, responseBytes: 5000, ratioToList: 5 },
        { name: 'civil', subgraph: 'civil-service', description: 'civil', medianMs: 12, p90Ms: 14, responseBytes: 4000, ratioToList: 3 },
      ],
    };
    const lines = targetLines(
      [
        row('communes', 'project (cold)', { latencyP50: 200, cpuMsPerRequest: 100 }),
        row('communeList', 'project (cold)', { latencyP50: 10, cpuMsPerRequest: 10 }),
        row('dashboard', 'project (warm)', { toCeiling: 0.25 }),
        row('lookup', 'project (cold)', { toApolloGateway: 0.9 }),
      ],
      subgraphs,
    );
    expect(lines).toEqual([
      '- Subgraph alone, 3,321 communes with indicators against the plain list (target at most 3×): at most 5.00× (healthEntities).',
      '- Gateway, the commune dashboard against the commune list, cold (target at most 10×): 20.0× at p50, 10.0× in gateway CPU per request.',
      '- Warm, a cached province dashboard (target at least 50% of the ceiling): 25.0%.',
      '- Lookups against the bare @apollo/gateway (target at least 1.0×): 0.90× in requests per second.',
    ]);
    expect(subgraphTable(subgraphs)).toContain('| healthEntities: health | health | 20.0 | 25.0 | 5,000 | 5.00 |');
    expect(targetLines([], undefined)).toEqual([]);
  });

  it('sets two runs side by side for the workloads and targets both timed', () => {
    const before = rows.map((found) => ({
      ...found,
      requestsPerSecond: found.requestsPerSecond / 2,
      cpuMsPerRequest: found.cpuMsPerRequest * 2,
    }));
    const table = comparisonTable(before.slice(1), rows);
    expect(table.split('\n')).toHaveLength(2 + rows.length - 1);
    expect(table).toContain('| dashboard | project (warm) | 2,500.0 → 5,000.0 | 10 → 10 | 0.01 → 0.01 |');
    expect(table).not.toContain('@apollo/gateway');
  });
});

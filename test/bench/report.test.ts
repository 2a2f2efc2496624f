import { describe, expect, it } from 'vitest';
import { markdownTable, summarise, type Measurement } from '../../bench/support/report.js';
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
});

import type { LoadResult } from './load-result.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Workload } from './workloads.js';

export type TargetName =
  | 'project (cold)'
  | 'project (warm)'
  | '@apollo/gateway'
  | 'Hive Gateway'
  | 'Hive Gateway (Rust planner)'
  | 'node:http ceiling';

/** One timed run of one target on one workload. */
export interface Measurement extends LoadResult {
  readonly round: number;
  readonly workload: string;
  readonly target: TargetName;
  /** CPU the target's process spent during the run (ms). */
  readonly cpuMs: number;
}

export interface Row {
  readonly workload: string;
  readonly target: TargetName;
  /** Medians over the rounds. */
  readonly requestsPerSecond: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  /** The target process's CPU over all rounds, divided by the requests it answered. */
  readonly cpuMsPerRequest: number;
  readonly peakMemoryMiB: number;
  readonly toApolloGateway: number;
  readonly toCeiling: number;
  /** Requests that failed (non-2xx, socket errors, timeouts): a run with any is not a fair figure. */
  readonly failed: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export function summarise(measurements: readonly Measurement[], peakMemory: Record<string, number>, chosen: readonly Workload[]): Row[] {
  const rows: Row[] = [];
  for (const workload of chosen) {
    const of = (target: TargetName) =>
      measurements.filter((measurement) => measurement.workload === workload.name && measurement.target === target);
    const rate = (target: TargetName) => median(of(target).map((measurement) => measurement.requestsPerSecond));
    for (const target of [
      ...new Set(measurements.filter((measurement) => measurement.workload === workload.name).map((measurement) => measurement.target)),
    ]) {
      const runs = of(target);
      const completed = runs.reduce((sum, run) => sum + run.completed, 0);
      rows.push({
        workload: workload.name,
        target,
        requestsPerSecond: rate(target),
        latencyP50: median(runs.map((run) => run.latencyP50)),
        latencyP99: median(runs.map((run) => run.latencyP99)),
        cpuMsPerRequest: completed === 0 ? Number.NaN : runs.reduce((sum, run) => sum + run.cpuMs, 0) / completed,
        peakMemoryMiB: (peakMemory[target] ?? 0) / 1_048_576,
        toApolloGateway: rate(target) / rate('@apollo/gateway'),
        toCeiling: rate(target) / rate('node:http ceiling'),
        failed: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
      });
    }
  }
  return rows;
}

export function markdownTable(rows: readonly Row[]): string {
  const number = (value: number, digits: number) =>
    Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
  const lines = [
    '| workload | target | req/s | p50 ms | p99 ms | CPU ms/req | peak MiB | × @apollo/gateway | % of ceiling |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.workload} | ${row.target}${row.failed ? ` (${row.failed} failed)` : ''} | ${number(row.requestsPerSecond, 1)} | ${number(row.latencyP50, 0)} | ${number(row.latencyP99, 0)} | ${number(row.cpuMsPerRequest, 2)} | ${number(row.peakMemoryMiB, 0)} | ${number(row.toApolloGateway, 2)} | ${number(100 * row.toCeiling, 1)} |`,
    );
  }
  return lines.join('\n');
}

const root = path.resolve(import.meta.dirname, '../..');
const start = '<!-- bench:gateways:start -->';
const end = '<!-- bench:gateways:end -->';

/** Writes the run as JSON under bench/results/ and its table into docs/benchmarks.md, between the markers. */
export async function writeResults(run: {
  settings: object;
  startedAt: string;
  seconds: number;
  summary: Row[];
  /** Targets that could not answer a workload, and why. */
  unavailable: Array<{ target: TargetName; workload: string; reason: string }>;
  /** What a reader must know to read the table (a peer run on another supergraph). */
  notes: string[];
  measurements: Measurement[];
}): Promise<{ file: string; table: string }> {
  await mkdir(path.join(root, 'bench/results'), { recursive: true });
  const file = path.join(root, 'bench/results', `gateways-${run.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  const left = run.unavailable.map(
    ({ target, workload, reason }) => `- ${target} was not timed on ${workload}: ${reason.replace(/\s+/g, ' ').slice(0, 300)}`,
  );
  const table = [
    markdownTable(run.summary),
    ...(left.length || run.notes.length ? ['', ...run.notes.map((note) => `- ${note}`), ...left] : []),
  ].join('\n');
  const settings = run.settings as {
    mode: string;
    seconds: number;
    warmup: number;
    connections: number | undefined;
    rounds: number;
    citizens: number;
  };
  const section = [
    start,
    `Latest run: ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${settings.mode} mode: ${settings.citizens.toLocaleString('en')} citizens, ${settings.connections ?? (settings.mode === 'quick' ? "half of each workload's" : "each workload's")} connections, ${settings.warmup} s warm-up per target and workload, ${settings.rounds} round(s) of ${settings.seconds} s; ${run.seconds} s in all (\`bench/results/${path.basename(file)}\`).`,
    '',
    table,
    end,
  ].join('\n');
  const docs = path.join(root, 'docs/benchmarks.md');
  const text = await readFile(docs, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  await writeFile(
    docs,
    from >= 0 && to > from ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${section}\n`,
  );
  return { file, table };
}

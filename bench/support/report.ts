import type { LoadResult } from './load-result.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SubgraphAloneResult } from './subgraph-alone.js';
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

const decimals = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| workload | target | req/s | p50 ms | p99 ms | CPU ms/req | peak MiB | × @apollo/gateway | % of ceiling |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.workload} | ${row.target}${row.failed ? ` (${row.failed} failed)` : ''} | ${decimals(row.requestsPerSecond, 1)} | ${decimals(row.latencyP50, 0)} | ${decimals(row.latencyP99, 0)} | ${decimals(row.cpuMsPerRequest, 2)} | ${decimals(row.peakMemoryMiB, 0)} | ${decimals(row.toApolloGateway, 2)} | ${decimals(100 * row.toCeiling, 1)} |`,
    );
  }
  return lines.join('\n');
}

export function subgraphTable(result: SubgraphAloneResult): string {
  const lines = [
    '| request | subgraph | median ms | p90 ms | bytes | × the plain list |',
    '|---|---|---:|---:|---:|---:|',
    ...result.requests.map(
      (request) =>
        `| ${request.name}: ${request.description} | ${request.subgraph} | ${decimals(request.medianMs, 1)} | ${decimals(request.p90Ms, 1)} | ${request.responseBytes.toLocaleString('en')} | ${decimals(request.ratioToList, 2)} |`,
    ),
  ];
  return lines.join('\n');
}

/** Issue 16's targets, as this run measured them. */
export function targetLines(rows: readonly Row[], subgraphs: SubgraphAloneResult | undefined): string[] {
  const row = (workload: string, target: TargetName) => rows.find((found) => found.workload === workload && found.target === target);
  const lines: string[] = [];
  if (subgraphs) {
    const worst = subgraphs.requests.filter((request) => request.name !== 'list').sort((a, b) => b.ratioToList - a.ratioToList)[0];
    if (worst)
      lines.push(
        `- Subgraph alone, 3,321 communes with indicators against the plain list (target at most 3×): at most ${decimals(worst.ratioToList, 2)}× (${worst.name}).`,
      );
  }
  const communes = row('communes', 'project (cold)');
  const list = row('communeList', 'project (cold)');
  if (communes && list)
    lines.push(
      `- Gateway, the commune dashboard against the commune list, cold (target at most 10×): ${decimals(communes.latencyP50 / list.latencyP50, 1)}× at p50, ${decimals(communes.cpuMsPerRequest / list.cpuMsPerRequest, 1)}× in gateway CPU per request.`,
    );
  const warm = row('dashboard', 'project (warm)');
  if (warm) lines.push(`- Warm, a cached province dashboard (target at least 50% of the ceiling): ${decimals(100 * warm.toCeiling, 1)}%.`);
  const lookup = row('lookup', 'project (cold)');
  if (lookup)
    lines.push(
      `- Lookups against the bare @apollo/gateway (target at least 1.0×): ${decimals(lookup.toApolloGateway, 2)}× in requests per second.`,
    );
  return lines;
}

/** Two runs side by side (npm run bench:compare): the workloads and targets both timed. */
export function comparisonTable(before: readonly Row[], after: readonly Row[]): string {
  const lines = [
    '| workload | target | req/s before → after | p50 ms before → after | CPU ms/req before → after |',
    '|---|---|---:|---:|---:|',
  ];
  for (const row of after) {
    const old = before.find((candidate) => candidate.workload === row.workload && candidate.target === row.target);
    if (!old) continue;
    lines.push(
      `| ${row.workload} | ${row.target} | ${decimals(old.requestsPerSecond, 1)} → ${decimals(row.requestsPerSecond, 1)} | ${decimals(old.latencyP50, 0)} → ${decimals(row.latencyP50, 0)} | ${decimals(old.cpuMsPerRequest, 2)} → ${decimals(row.cpuMsPerRequest, 2)} |`,
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
  /** One subgraph alone, one client (issue 16); none when the run skipped it. */
  subgraphsAlone?: SubgraphAloneResult;
}): Promise<{ file: string; table: string }> {
  await mkdir(path.join(root, 'bench/results'), { recursive: true });
  const file = path.join(root, 'bench/results', `gateways-${run.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  const left = run.unavailable.map(
    ({ target, workload, reason }) => `- ${target} was not timed on ${workload}: ${reason.replace(/\s+/g, ' ').slice(0, 300)}`,
  );
  const targets = targetLines(run.summary, run.subgraphsAlone);
  const table = [
    markdownTable(run.summary),
    ...(left.length || run.notes.length ? ['', ...run.notes.map((note) => `- ${note}`), ...left] : []),
    ...(run.subgraphsAlone
      ? [
          '',
          `One subgraph alone, one client, no gateway, no cache (medians of ${run.subgraphsAlone.rounds} interleaved rounds):`,
          '',
          subgraphTable(run.subgraphsAlone),
        ]
      : []),
    ...(targets.length ? ['', 'Against the targets of the cold-path work:', '', ...targets] : []),
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

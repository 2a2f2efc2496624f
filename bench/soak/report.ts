import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Observation } from './traffic.js';

const root = path.resolve(import.meta.dirname, '../..');
const start = '<!-- soak:start -->';
const end = '<!-- soak:end -->';

/** One fault as it was injected: when it began and when what it broke was restored (ms since the soak began). */
export interface FaultWindow {
  /** The phase it was injected in, named after it. */
  readonly fault: string;
  readonly injectedAt: number;
  readonly restoredAt: number;
}

export interface PhaseSummary {
  readonly phase: string;
  readonly requests: number;
  /** The users' requests by outcome (ok, partial, stale, refused, failed, no-answer). */
  readonly outcomes: Record<string, number>;
  /** Error codes by how many answers carried them, hostile requests apart. */
  readonly codes: Record<string, number>;
  /** What the hostile requests got: status and code. */
  readonly hostile: Record<string, number>;
  /** Answers with a 5xx status, by status and code. */
  readonly serverErrors: Record<string, number>;
  /** Latency of the users' requests (hostile ones apart), ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly healthzP99Ms: number;
  readonly healthzMaxMs: number;
  readonly peakRssBytes: number;
  /** The largest V8 heap in use seen, from the gateway's /metrics. */
  readonly peakHeapUsedBytes: number;
  /** The messages of the users' answers that were not ok, by how often each came (the 10 most frequent). */
  readonly messages: Record<string, number>;
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const increment = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

export function summarisePhase(
  phase: string,
  observations: readonly Observation[],
  rssSamples: ReadonlyArray<{ phase: string; bytes: number; heapUsedBytes: number }>,
): PhaseSummary {
  const ofPhase = observations.filter((observation) => observation.phase === phase);
  const users = ofPhase.filter((observation) => observation.class !== 'healthz' && observation.class !== 'hostile');
  const hostileRequests = ofPhase.filter((observation) => observation.class === 'hostile');
  const healthz = ofPhase.filter((observation) => observation.class === 'healthz');
  const outcomes: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const hostile: Record<string, number> = {};
  const serverErrors: Record<string, number> = {};
  for (const observation of users) increment(outcomes, observation.outcome);
  for (const observation of [...users, ...hostileRequests]) {
    if (observation.status >= 500) increment(serverErrors, `${observation.status} ${observation.codes.join('+') || 'no code'}`);
  }
  for (const observation of users) for (const code of observation.codes) increment(codes, code);
  for (const observation of hostileRequests) increment(hostile, `${observation.status} ${observation.codes.join('+') || 'no code'}`);
  const messages: Record<string, number> = {};
  for (const observation of users)
    if (observation.outcome !== 'ok' && observation.message) increment(messages, `${observation.class}: ${observation.message}`);
  const latencies = users.map((observation) => observation.doneAt - observation.sentAt);
  const healthzLatencies = healthz.map((observation) => observation.doneAt - observation.sentAt);
  return {
    phase,
    requests: users.length + hostileRequests.length,
    outcomes,
    codes,
    hostile,
    serverErrors,
    p50Ms: Math.round(percentile(latencies, 0.5)),
    p99Ms: Math.round(percentile(latencies, 0.99)),
    healthzP99Ms: Math.round(percentile(healthzLatencies, 0.99)),
    healthzMaxMs: Math.round(Math.max(0, ...healthzLatencies)),
    peakRssBytes: Math.max(0, ...rssSamples.filter((sample) => sample.phase === phase).map((sample) => sample.bytes)),
    peakHeapUsedBytes: Math.max(0, ...rssSamples.filter((sample) => sample.phase === phase).map((sample) => sample.heapUsedBytes)),
    messages: Object.fromEntries(
      Object.entries(messages)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 10),
    ),
  };
}

/**
 * Seconds from the restoration of a fault until every request class it
 * disturbed (an answer that was not ok during the fault) has had an ok
 * answer again, sent after the restoration; null when one never did.
 */
export function recoverySeconds(
  window: FaultWindow,
  observations: readonly Observation[],
): { seconds: number | null; disturbed: string[] } {
  const users = observations.filter((observation) => observation.class !== 'healthz' && observation.class !== 'hostile');
  const disturbed = [
    ...new Set(
      users
        .filter(
          (observation) =>
            observation.sentAt >= window.injectedAt && observation.doneAt <= window.restoredAt && observation.outcome !== 'ok',
        )
        .map((observation) => observation.class),
    ),
  ];
  let latest = window.restoredAt;
  for (const requestClass of disturbed) {
    const first = users.find(
      (observation) => observation.class === requestClass && observation.sentAt >= window.restoredAt && observation.outcome === 'ok',
    );
    if (!first) return { seconds: null, disturbed };
    latest = Math.max(latest, first.doneAt);
  }
  return { seconds: Math.round((latest - window.restoredAt) / 100) / 10, disturbed };
}

const mebibytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MiB`;
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ') || '-';

export function markdownTables(
  phases: readonly PhaseSummary[],
  faults: ReadonlyArray<FaultWindow & { recovery: number | null; disturbed: string[] }>,
): string {
  const lines = [
    "| phase | requests | users' outcomes | users' error codes | hostile: status and code | 5xx | p50 ms | p99 ms | /healthz p99 (max) ms | peak RSS (heap used) |",
    '|---|---:|---|---|---|---|---:|---:|---:|---:|',
    ...phases.map(
      (phase) =>
        `| ${phase.phase} | ${phase.requests} | ${counts(phase.outcomes)} | ${counts(phase.codes)} | ${counts(phase.hostile)} | ${counts(phase.serverErrors)} | ${phase.p50Ms} | ${phase.p99Ms} | ${phase.healthzP99Ms} (${phase.healthzMaxMs}) | ${mebibytes(phase.peakRssBytes)} (${mebibytes(phase.peakHeapUsedBytes)}) |`,
    ),
    '',
    '| fault | lasted s | disturbed | recovered in s |',
    '|---|---:|---|---:|',
    ...faults.map(
      (fault) =>
        `| ${fault.fault} | ${Math.round((fault.restoredAt - fault.injectedAt) / 1000)} | ${fault.disturbed.join(', ') || 'nothing'} | ${fault.recovery === null ? 'never' : fault.recovery} |`,
    ),
  ];
  return lines.join('\n');
}

/** Writes the run as JSON in bench/results and its tables between the markers of docs/reliability.md. */
export async function writeSoakResults(run: { startedAt: string; summary: string; tables: string; result: object }): Promise<string> {
  await mkdir(path.join(root, 'bench/results'), { recursive: true });
  const file = path.join(root, 'bench/results', `soak-${run.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(run.result, null, 2)}\n`);
  const section = [start, `${run.summary} (\`bench/results/${path.basename(file)}\`).`, '', run.tables, end].join('\n');
  const docs = path.join(root, 'docs/reliability.md');
  const text = await readFile(docs, 'utf8').catch(() => '# Reliability\n');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  await writeFile(
    docs,
    from >= 0 && to > from ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${section}\n`,
  );
  return file;
}

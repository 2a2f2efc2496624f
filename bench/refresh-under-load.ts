/**
 * `npm run bench:refresh -- [--citizens N] [--seconds N] [--warmup N] [--refreshes N]`
 *
 * Refresh under load: do dashboards wait while the data behind them are
 * refreshed? On one seeded dataset, the real subgraphs and the project's
 * gateway as deployed (production settings, caches on in Redis) each run in a
 * process of their own; autocannon drives the province and the commune
 * dashboards together, from two more processes (this file again, as the load
 * generator, so that a run can last until the refreshes are done). First the
 * warm figures, then the same load while `npm run refresh-counts` rebuilds
 * every agency's counts and the change is announced (what the tools do after
 * a load), several times; that run lasts at least as long as the warm one,
 * and until the answers the last announcement made stale are recomputed.
 * Reports the p99 of each dashboard warm and under refresh, their ratio
 * (target: under 2) and how many requests waited for a cold computation
 * (answered x-cache MISS, from the gateway's /metrics; target: none after the
 * warm-up). Writes JSON to bench/results/ and a section of docs/benchmarks.md.
 */
import '../scripts/node-version.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { announceDataChange } from '../gateway/cache/announce.js';
import { subgraphUrlVariable } from '../gateway/config.js';
import { agencies, type SubgraphName } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from '../scripts/cli.js';
import { settle, startChild, type Child } from './support/child.js';
import { createBenchDatasets } from './support/dataset.js';
import { loadResultOf, type LoadResult } from './support/load-result.js';
import { productionSecrets } from './support/secrets.js';
import { workloads, type Workload } from './support/workloads.js';

const root = path.resolve(import.meta.dirname, '..');
const say = (line: string) => process.stderr.write(`${line}\n`);
const usage = 'Usage: npm run bench:refresh -- [--citizens N] [--seconds N] [--warmup N] [--refreshes N]';
const start = '<!-- bench:refresh:start -->';
const end = '<!-- bench:refresh:end -->';
/** The most a dashboard's p99 under refresh may be, as a multiple of its warm p99. */
const targetRatio = 2;

interface Settings {
  readonly citizens: number;
  /** Length of the warm run, and the least length of the run under refresh (s). */
  readonly seconds: number;
  /** Load before the warm run, once every answer is cached (s). */
  readonly warmup: number;
  /** How many times counts are rebuilt and announced during the run under refresh. */
  readonly refreshes: number;
}

function readSettings(): Settings {
  let values;
  try {
    ({ values } = parseArgs({
      options: { citizens: { type: 'string' }, seconds: { type: 'string' }, warmup: { type: 'string' }, refreshes: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const whole = (name: string, value: string | undefined, fallback: number, minimum: number, maximum: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < minimum || Number(value) > maximum)
      throw badUserInput(`--${name} must be a whole number from ${minimum} to ${maximum}, got ${JSON.stringify(value)}. ${usage}`);
    return Number(value);
  };
  return {
    citizens: whole('citizens', values.citizens, 100_000, 1_000, 10_000_000),
    seconds: whole('seconds', values.seconds, 60, 5, 3_600),
    warmup: whole('warmup', values.warmup, 10, 0, 600),
    refreshes: whole('refreshes', values.refreshes, 3, 1, 100),
  };
}

/** What the load generator is given, in BENCH_REFRESH_LOAD. */
interface LoadSpec {
  readonly url: string;
  readonly body: string;
  readonly connections: number;
  /** The benchmark's process: once it is gone, the load stops. */
  readonly parent: number;
}

/**
 * The load generator (this file, run with BENCH_REFRESH_LOAD): autocannon
 * against one URL with one request until SIGTERM, then its result as JSON on
 * the last line. Says STARTED once its connections are opening.
 */
function generateLoad(spec: LoadSpec): void {
  const instance = autocannon(
    {
      url: spec.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: spec.body,
      connections: spec.connections,
      duration: 3_600,
      timeout: 30,
    },
    (error, result) => {
      if (error) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exit(1);
      }
      process.stdout.write(`${JSON.stringify(loadResultOf(result))}\n`);
      process.exit(0);
    },
  );
  process.once('SIGTERM', () => instance.stop());
  // A benchmark that died without stopping its load generators does not leave them running.
  setInterval(() => process.ppid !== spec.parent && instance.stop(), 1_000).unref();
  process.stdout.write('STARTED\n');
}

/** Load generators running, so that a failed run stops them. */
const loadGenerators = new Set<ReturnType<typeof spawn>>();

/** A load generator in a process of its own against the gateway with one workload: started, then stopped for its result. */
async function startLoad(url: string, workload: Workload): Promise<{ stop(): Promise<LoadResult> }> {
  const spec: LoadSpec = { url, body: workload.body, connections: workload.connections, parent: process.pid };
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename], {
    env: { ...process.env, BENCH_REFRESH_LOAD: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  loadGenerators.add(child);
  child.on('exit', () => loadGenerators.delete(child));
  let output = '';
  const exited = new Promise<LoadResult>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!)) : reject(new Error(`The load generator exited with ${code}`)),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('STARTED\n')) resolve();
    });
    exited.catch(reject);
  });
  return {
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Both dashboards loaded together for `seconds`. */
async function loadBoth(url: string, dashboards: readonly Workload[], seconds: number): Promise<LoadResult[]> {
  const loads = await Promise.all(dashboards.map((workload) => startLoad(url, workload)));
  await pause(seconds * 1000);
  return Promise.all(loads.map((load) => load.stop()));
}

/** `npm run refresh-counts` itself, on the benchmark's databases. */
function refreshCounts(environment: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/refresh-counts.ts')], {
      cwd: root,
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`refresh-counts exited with ${code}: ${stderr}`))));
  });
}

/** What the gateway's /metrics say about the response cache: answers by cache outcome, and recomputations. */
async function cacheFigures(gatewayUrl: string) {
  const text = await (await fetch(gatewayUrl.replace('/graphql', '/metrics'))).text();
  const sum = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  return {
    /** Answers that waited for a computation (x-cache MISS). */
    misses: sum(/^gateway_http_request_duration_seconds_count\{status="\d+",cache="miss"\} (\d+)$/gm),
    /** Answers from the cache, fresh or stale. */
    hits: sum(/^gateway_http_request_duration_seconds_count\{status="\d+",cache="hit"\} (\d+)$/gm),
    recomputed: sum(/^gateway_cache_events_total\{layer="refresh",event="hit"\} (\d+)$/gm),
    leftToAnother: sum(/^gateway_cache_events_total\{layer="refresh",event="miss"\} (\d+)$/gm),
    failed: sum(/^gateway_cache_events_total\{layer="refresh",event="error"\} (\d+)$/gm),
  };
}
type CacheFigures = Awaited<ReturnType<typeof cacheFigures>>;
const difference = (after: CacheFigures, before: CacheFigures): CacheFigures => ({
  misses: after.misses - before.misses,
  hits: after.hits - before.hits,
  recomputed: after.recomputed - before.recomputed,
  leftToAnother: after.leftToAnother - before.leftToAnother,
  failed: after.failed - before.failed,
});

interface Row {
  readonly workload: string;
  readonly connections: number;
  readonly warm: LoadResult;
  readonly underRefresh: LoadResult;
  readonly ratio: number;
}

const loadSpec = process.env.BENCH_REFRESH_LOAD;
if (loadSpec) generateLoad(JSON.parse(loadSpec) as LoadSpec);
else runCli(main);

async function main(): Promise<void> {
  const settings = readSettings();
  const started = Date.now();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const cachePrefix = `bench-refresh-${process.pid}-${randomBytes(3).toString('hex')}`;
  const { signingSecret, environment: production } = productionSecrets('bench');
  const children: Array<Child<unknown>> = [];
  const datasets = await createBenchDatasets(settings.citizens, say);
  try {
    const subgraphs = await startChild<{ urls: Record<string, string> }>('targets/subgraphs.ts', {
      ...datasets.environment,
      GATEWAY_SIGNING_SECRET: signingSecret,
    });
    children.push(subgraphs);
    say('Starting the gateway (production settings, caches in Redis)...');
    const gateway = await startChild<{ url: string }>('targets/project.ts', {
      ...Object.fromEntries(Object.entries(subgraphs.info.urls).map(([name, url]) => [subgraphUrlVariable(name as SubgraphName), url])),
      ...production,
      AUDIT_DATABASE_URL: datasets.environment.AUDIT_DATABASE_URL!,
      REDIS_URL: redisUrl,
      CACHE_PREFIX: cachePrefix,
      CACHE: 'on',
      // The limiter runs on every request, in Redis, but never refuses the benchmark's one client.
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    children.push(gateway);
    const { url } = gateway.info;
    const busy = [subgraphs.pid, gateway.pid];
    const { dashboard, communes } = workloads(datasets.pins);
    const dashboards = [dashboard, communes];

    // Each dashboard computed once (the only cold computations meant to happen), and checked.
    for (const workload of dashboards) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: workload.body });
      const answer = (await response.json()) as { data?: unknown; errors?: unknown };
      if (response.status !== 200 || answer.errors || !answer.data)
        throw new Error(
          `The gateway does not answer the ${workload.name} workload: HTTP ${response.status} ${JSON.stringify(answer).slice(0, 300)}`,
        );
    }
    if (settings.warmup > 0) {
      say(`Warming up both dashboards for ${settings.warmup} s...`);
      await loadBoth(url, dashboards, settings.warmup);
      await settle(busy);
    }

    say(`Warm: both dashboards for ${settings.seconds} s...`);
    const beforeWarm = await cacheFigures(url);
    const warm = await loadBoth(url, dashboards, settings.seconds);
    const warmFigures = difference(await cacheFigures(url), beforeWarm);
    await settle(busy);

    say(`Under refresh: both dashboards, counts rebuilt and announced ${settings.refreshes} times, at least ${settings.seconds} s...`);
    const beforeRefresh = await cacheFigures(url);
    const loads = await Promise.all(dashboards.map((workload) => startLoad(url, workload)));
    const refreshes: Array<{ atSeconds: number; refreshSeconds: number; announceSeconds: number; announced: string }> = [];
    const phaseStarted = performance.now();
    const elapsed = () => performance.now() - phaseStarted;
    let marked = 0;
    for (let round = 0; round < settings.refreshes; round++) {
      // Spread over the first 80% of the least length; a refresh that takes longer pushes the next ones back.
      await pause(((round + 0.1) * settings.seconds * 1000 * 0.8) / settings.refreshes - elapsed());
      const refreshStarted = elapsed();
      await refreshCounts(datasets.environment);
      const announceStarted = elapsed();
      const announced = await announceDataChange(agencies, { REDIS_URL: redisUrl, CACHE_PREFIX: cachePrefix });
      marked += Number(/^marked (\d+) /.exec(announced)?.[1] ?? 0);
      refreshes.push({
        atSeconds: Number((refreshStarted / 1000).toFixed(1)),
        refreshSeconds: Number(((announceStarted - refreshStarted) / 1000).toFixed(2)),
        announceSeconds: Number(((elapsed() - announceStarted) / 1000).toFixed(3)),
        announced,
      });
      say(
        `  refresh ${round + 1} at ${refreshes.at(-1)!.atSeconds} s: counts rebuilt in ${refreshes.at(-1)!.refreshSeconds} s; ${announced}`,
      );
    }
    // Under load until the answers the announcements made stale are recomputed (a minute at most), and the least length.
    const recomputedAll = async () => (await cacheFigures(url)).recomputed - beforeRefresh.recomputed >= marked;
    const deadline = elapsed() + 60_000;
    while (!(await recomputedAll()) && elapsed() < deadline) await pause(250);
    await pause(Math.max(settings.seconds * 1000 - elapsed(), 2_000));
    const underRefresh = await Promise.all(loads.map((load) => load.stop()));
    const refreshRunSeconds = Number((elapsed() / 1000).toFixed(1));
    await settle(busy);
    const refreshFigures = difference(await cacheFigures(url), beforeRefresh);

    const rows: Row[] = dashboards.map((workload, index) => ({
      workload: workload.name,
      connections: workload.connections,
      warm: warm[index]!,
      underRefresh: underRefresh[index]!,
      ratio: underRefresh[index]!.latencyP99 / warm[index]!.latencyP99,
    }));
    const failedRequests = [...warm, ...underRefresh].reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0);
    const met = rows.every((row) => row.ratio < targetRatio) && refreshFigures.misses === 0 && failedRequests === 0;
    const startedAt = new Date(started).toISOString();
    await mkdir(path.join(root, 'bench/results'), { recursive: true });
    const file = path.join(root, 'bench/results', `refresh-${startedAt.replace(/[:.]/g, '-')}.json`);
    const result = {
      settings,
      refreshRunSeconds,
      startedAt,
      seconds: Math.round((Date.now() - started) / 1000),
      rows,
      refreshes,
      cache: { warm: warmFigures, underRefresh: refreshFigures },
      failedRequests,
      targets: { ratioBelow: targetRatio, coldComputationsUnderRefresh: 0 },
      met,
    };
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    const table = markdown(result, path.basename(file));
    await writeSection(table);
    process.stdout.write(`${table}\n`);
    say(`Results: ${file}; docs/benchmarks.md updated.`);
  } finally {
    for (const generator of loadGenerators) generator.kill('SIGKILL');
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    await datasets.drop();
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`${cachePrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }
}

function markdown(
  result: {
    settings: Settings;
    refreshRunSeconds: number;
    startedAt: string;
    seconds: number;
    rows: Row[];
    refreshes: Array<{ refreshSeconds: number }>;
    cache: { warm: CacheFigures; underRefresh: CacheFigures };
    failedRequests: number;
    met: boolean;
  },
  file: string,
): string {
  const { settings, rows, cache } = result;
  const number = (value: number, digits = 0) =>
    Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
  const refreshTimes = result.refreshes.map((refresh) => `${number(refresh.refreshSeconds, 1)} s`).join(', ');
  return [
    `Latest run: ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${number(settings.citizens)} citizens, ${settings.warmup} s warm-up, then ${settings.seconds} s warm and ${number(result.refreshRunSeconds)} s under refresh, counts rebuilt and announced ${settings.refreshes} times (rebuilt in ${refreshTimes}); ${result.seconds} s in all (\`bench/results/${file}\`).`,
    '',
    '| dashboard | connections | warm req/s | warm p99 ms | req/s under refresh | p99 ms under refresh | p99 ratio (target < 2) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.workload} | ${row.connections} | ${number(row.warm.requestsPerSecond, 1)} | ${number(row.warm.latencyP99)} | ${number(row.underRefresh.requestsPerSecond, 1)} | ${number(row.underRefresh.latencyP99)} | ${number(row.ratio, 2)} |`,
    ),
    '',
    `- Requests that waited for a cold computation (x-cache MISS): ${number(cache.warm.misses)} warm, ${number(cache.underRefresh.misses)} under refresh (target 0).`,
    `- Under refresh, answers from the cache (fresh or stale): ${number(cache.underRefresh.hits)}; recomputations in the background: ${number(cache.underRefresh.recomputed)} renewed, ${number(cache.underRefresh.failed)} failed.`,
    `- Failed requests (non-2xx, errors, timeouts): ${number(result.failedRequests)}.`,
    `- Targets ${result.met ? 'met' : 'not met'}.`,
  ].join('\n');
}

/** The run's figures into docs/benchmarks.md, between the markers (appended with its heading the first time). */
async function writeSection(table: string): Promise<void> {
  const docs = path.join(root, 'docs/benchmarks.md');
  const text = await readFile(docs, 'utf8');
  const section = `${start}\n${table}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  await writeFile(
    docs,
    from >= 0 && to > from
      ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}`
      : `${text.trimEnd()}\n\n## Refresh under load: \`npm run bench:refresh\`\n\n${section}\n`,
  );
}

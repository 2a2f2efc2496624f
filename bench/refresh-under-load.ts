/**
 * `npm run bench:refresh -- [--citizens N] [--seconds N] [--warmup N] [--refreshes N]`
 *
 * Refresh under load: do dashboards wait while the data behind them are
 * refreshed? On one seeded dataset, the real subgraphs and the project's
 * gateway as deployed (production settings, caches on in Redis) each run in a
 * process of their own; autocannon drives the province and the commune
 * dashboards together, from two more processes. First the warm figures, then
 * the same load while `npm run refresh-counts` rebuilds every agency's counts
 * and the change is announced (what the tools do after a load), several times.
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
import { Redis } from 'ioredis';
import { announceDataChange } from '../gateway/cache/announce.js';
import { subgraphUrlVariable } from '../gateway/config.js';
import { agencies, type SubgraphName } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from '../scripts/cli.js';
import { settle, startChild, type Child } from './support/child.js';
import { createBenchDatasets } from './support/dataset.js';
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
  /** Length of the warm run and of the run under refresh (s). */
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

interface LoadResult {
  readonly requestsPerSecond: number;
  readonly completed: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
}

/** Runs autocannon (bench/load.ts) in its own process against the gateway with one workload. */
function load(url: string, workload: Workload, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load.ts')], {
      env: {
        ...process.env,
        BENCH_LOAD: JSON.stringify({ url, body: workload.body, headers: {}, connections: workload.connections, seconds }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!)) : reject(new Error(`The load generator exited with ${code}`)),
    );
  });
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

runCli(async () => {
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
    const both = (seconds: number) => Promise.all(dashboards.map((workload) => load(url, workload, seconds)));
    if (settings.warmup > 0) {
      say(`Warming up both dashboards for ${settings.warmup} s...`);
      await both(settings.warmup);
      await settle(busy);
    }

    say(`Warm: both dashboards for ${settings.seconds} s...`);
    const beforeWarm = await cacheFigures(url);
    const warm = await both(settings.seconds);
    const warmFigures = difference(await cacheFigures(url), beforeWarm);
    await settle(busy);

    say(`Under refresh: both dashboards for ${settings.seconds} s, counts rebuilt and announced ${settings.refreshes} times...`);
    const beforeRefresh = await cacheFigures(url);
    const running = both(settings.seconds);
    const refreshes: Array<{ atSeconds: number; refreshSeconds: number; announceSeconds: number; announced: string }> = [];
    const phaseStarted = performance.now();
    for (let round = 0; round < settings.refreshes; round++) {
      // Spread over the run, leaving its last part to the recomputations the last announcement starts.
      const due = ((round + 0.5) * settings.seconds * 1000 * 0.8) / settings.refreshes;
      const wait = due - (performance.now() - phaseStarted);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const refreshStarted = performance.now();
      await refreshCounts(datasets.environment);
      const announceStarted = performance.now();
      const announced = await announceDataChange(agencies, { REDIS_URL: redisUrl, CACHE_PREFIX: cachePrefix });
      const done = performance.now();
      refreshes.push({
        atSeconds: Number(((refreshStarted - phaseStarted) / 1000).toFixed(1)),
        refreshSeconds: Number(((announceStarted - refreshStarted) / 1000).toFixed(2)),
        announceSeconds: Number(((done - announceStarted) / 1000).toFixed(3)),
        announced,
      });
      say(`  refresh ${round + 1}: counts rebuilt in ${refreshes.at(-1)!.refreshSeconds} s; ${announced}`);
    }
    const underRefresh = await running;
    // Recomputations still under way when the load stopped are counted too.
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
});

function markdown(
  result: {
    settings: Settings;
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
    `Latest run: ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${number(settings.citizens)} citizens, ${settings.warmup} s warm-up, then ${settings.seconds} s warm and ${settings.seconds} s under refresh, counts rebuilt and announced ${settings.refreshes} times (${refreshTimes}); ${result.seconds} s in all (\`bench/results/${file}\`).`,
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

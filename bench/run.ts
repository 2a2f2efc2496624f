/**
 * `npm run bench [-- --quick] [--seconds N] [--warmup N] [--connections N] [--rounds N] [--workloads a,b] [--citizens N]`
 *
 * The project's gateway beside its peers and the ceiling, in one run on one
 * seeded dataset: the real subgraphs start once; each target runs in its own
 * process; autocannon drives each from another process, after a warm-up, in
 * interleaved rounds; every target must return the same data before it is
 * timed. Prints the table, writes JSON to bench/results/ and the table into
 * docs/benchmarks.md.
 */
import '../scripts/node-version.js';
import { randomBytes } from 'node:crypto';
import { agencies, personalDataScope } from '../platform/agencies.js';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { signToken } from '../gateway/auth/jwt.js';
import { subgraphUrlVariable } from '../gateway/config.js';
import type { SubgraphName } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from '../scripts/cli.js';
import { processUsage, settle, startChild, type Child } from './support/child.js';
import { createBenchDatasets } from './support/dataset.js';
import { productionSecrets } from './support/secrets.js';
import { timeSubgraphsAlone } from './support/subgraph-alone.js';
import type { LoadResult } from './support/load-result.js';
import { summarise, writeResults, type Measurement, type TargetName } from './support/report.js';
import { workloadNames, workloads, type WorkloadName } from './support/workloads.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const usage =
  'Usage: npm run bench -- [--quick] [--seconds N] [--warmup N] [--connections N] [--rounds N] [--workloads dashboard,communes,communeList,lookup] [--citizens N]';

interface Settings {
  readonly mode: 'quick' | 'full';
  readonly seconds: number;
  readonly warmup: number;
  /** Overrides every workload's own number of connections. */
  readonly connections: number | undefined;
  readonly rounds: number;
  readonly workloads: readonly WorkloadName[];
  readonly citizens: number;
}

function readSettings(): Settings {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean' },
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rounds: { type: 'string' },
        workloads: { type: 'string' },
        citizens: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const quick = values.quick === true;
  const whole = (name: string, value: string | undefined, fallback: number, minimum: number, maximum: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < minimum || Number(value) > maximum)
      throw badUserInput(`--${name} must be a whole number from ${minimum} to ${maximum}, got ${JSON.stringify(value)}. ${usage}`);
    return Number(value);
  };
  const chosen = (values.workloads ?? workloadNames.join(',')).split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !(workloadNames as readonly string[]).includes(name));
  if (unknown.length > 0 || chosen.length === 0)
    throw badUserInput(`--workloads takes ${workloadNames.join(', ')}; got ${JSON.stringify(values.workloads)}. ${usage}`);
  return {
    mode: quick ? 'quick' : 'full',
    seconds: whole('seconds', values.seconds, quick ? 5 : 10, 1, 600),
    warmup: whole('warmup', values.warmup, quick ? 2 : 15, 0, 600),
    connections: values.connections === undefined ? undefined : whole('connections', values.connections, 0, 1, 1_000),
    rounds: whole('rounds', values.rounds, quick ? 1 : 3, 1, 100),
    workloads: chosen as WorkloadName[],
    citizens: whole('citizens', values.citizens, quick ? 20_000 : 100_000, 1_000, 10_000_000),
  };
}

/** Runs autocannon in its own process against one target. */
function load(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number) {
  return new Promise<LoadResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load.ts')], {
      env: { ...process.env, BENCH_LOAD: JSON.stringify({ url, body, headers, connections, seconds }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!)) : reject(new Error(`The load generator exited with ${code}`)),
    );
  });
}

runCli(async () => {
  const settings = readSettings();
  const started = Date.now();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const cachePrefix = `bench-${process.pid}-${randomBytes(3).toString('hex')}`;
  const { signingSecret, jwt, environment: production } = productionSecrets('bench');
  const children: Array<Child<{ url?: string; urls?: Record<string, string> }>> = [];
  const answersFile = path.join(tmpdir(), `bench-answers-${process.pid}.json`);
  const datasets = await createBenchDatasets(settings.citizens, say);
  try {
    const subgraphs = await startChild<{ urls: Record<string, string> }>('targets/subgraphs.ts', {
      ...datasets.environment,
      GATEWAY_SIGNING_SECRET: signingSecret,
    });
    children.push(subgraphs);
    const subgraphEnvironment = Object.fromEntries(
      Object.entries(subgraphs.info.urls).map(([name, url]) => [subgraphUrlVariable(name as SubgraphName), url]),
    );
    const projectEnvironment = {
      ...subgraphEnvironment,
      ...production,
      AUDIT_DATABASE_URL: datasets.environment.AUDIT_DATABASE_URL!,
      REDIS_URL: redisUrl,
      CACHE_PREFIX: cachePrefix,
      // The limiter runs on every request, in Redis, but never refuses the benchmark's one client.
      RATE_LIMIT_PER_MINUTE: '1000000',
    };
    // Before any gateway runs: the subgraphs alone, one client, nothing else on the machine's two cores.
    const subgraphRounds = settings.mode === 'quick' ? 10 : 30;
    say(`Timing the subgraphs alone (${subgraphRounds} rounds, one client)...`);
    const subgraphsAlone = await timeSubgraphsAlone(subgraphs.info.urls, signingSecret, subgraphRounds);
    for (const request of subgraphsAlone.requests)
      say(`  ${request.name.padEnd(24)} ${request.medianMs.toFixed(1).padStart(7)} ms  ${request.ratioToList.toFixed(2)}× the list`);
    const peerEnvironment = { BENCH_SUBGRAPH_URLS: JSON.stringify(subgraphs.info.urls), GATEWAY_SIGNING_SECRET: signingSecret };
    say('Starting the targets, each in its own process...');
    const gateways: Array<[TargetName, Child<{ url: string }>]> = [
      ['project (cold)', await startChild<{ url: string }>('targets/project.ts', { ...projectEnvironment, CACHE: 'off' })],
      ['project (warm)', await startChild<{ url: string }>('targets/project.ts', { ...projectEnvironment, CACHE: 'on' })],
      ['@apollo/gateway', await startChild<{ url: string }>('targets/apollo.ts', peerEnvironment)],
      ['Hive Gateway', await startChild<{ url: string }>('targets/hive.ts', peerEnvironment)],
      [
        'Hive Gateway (Rust planner)',
        await startChild<{ url: string }>('targets/hive.ts', { ...peerEnvironment, BENCH_HIVE_PLANNER: 'rust' }),
      ],
    ];
    children.push(...gateways.map(([, child]) => child));

    const token = await signToken(
      jwt,
      { subject: 'benchmark', agency: 'benchmark', scopes: agencies.map(personalDataScope), purpose: 'statistics' },
      86_400,
    );
    const chosen = workloads(datasets.pins);
    const connectionsFor = (workload: WorkloadName) =>
      settings.connections ?? (settings.mode === 'quick' ? Math.max(1, chosen[workload].connections / 2) : chosen[workload].connections);
    const headersFor = (target: TargetName, workload: WorkloadName): Record<string, string> =>
      target.startsWith('project') && chosen[workload].personal ? { authorization: `Bearer ${token}` } : {};

    // Every target must give the same data before it is timed; the ceiling then serves the project's exact bytes.
    // A peer that cannot answer a workload is left out of it, with the reason in the results.
    say('Checking that every target returns the same data...');
    const answers: Record<string, string> = {};
    const references = new Map<WorkloadName, string>();
    const unavailable: Array<{ target: TargetName; workload: WorkloadName; reason: string }> = [];
    const notes: string[] = [];
    const check = async (target: TargetName, child: Child<{ url: string }>) => {
      const failures: Array<{ target: TargetName; workload: WorkloadName; reason: string }> = [];
      for (const workload of settings.workloads) {
        const { body } = chosen[workload];
        const response = await fetch(child.info.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headersFor(target, workload) },
          body,
        });
        const text = await response.text();
        const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
        const data = JSON.stringify(answer.data);
        let problem: string | undefined;
        if (response.status !== 200 || answer.errors || !answer.data)
          problem = `HTTP ${response.status} ${text.slice(0, 200)}; its log: ${/Error: (.+?)(?:\\n|\n)/.exec(child.errors())?.[1]?.replaceAll('\\"', '"') ?? 'nothing'}`;
        else if (references.has(workload) && data !== references.get(workload))
          problem = "it returns other data than the project's gateway";
        if (problem && target.startsWith('project'))
          throw new Error(`${target} does not answer the ${workload} workload: ${problem}\n${child.errors()}`);
        if (problem) failures.push({ target, workload, reason: problem });
        else if (!references.has(workload)) {
          references.set(workload, data);
          answers[body] = text;
        }
      }
      return failures;
    };
    for (const [target, child] of gateways) {
      const failures = await check(target, child);
      for (const failure of failures) say(`  ${target} cannot be timed on ${failure.workload}: ${failure.reason}`);
      unavailable.push(...failures);
    }
    writeFileSync(answersFile, JSON.stringify(answers));
    const ceiling = await startChild<{ url: string }>('targets/ceiling.ts', { BENCH_ANSWERS_FILE: answersFile });
    children.push(ceiling);
    const targets: Array<[TargetName, Child<{ url: string }>]> = [...gateways, ['node:http ceiling', ceiling]];
    // Everything that works during a run: the next starts once all of it is idle.
    const busy = [subgraphs.pid, ...targets.map(([, child]) => child.pid)];

    if (settings.warmup > 0) {
      say(`Warming up every target on every workload for ${settings.warmup} s each...`);
      for (const workload of settings.workloads) {
        for (const [target, child] of targets) {
          if (unavailable.some((left) => left.target === target && left.workload === workload)) continue;
          await load(child.info.url, chosen[workload].body, headersFor(target, workload), connectionsFor(workload), settings.warmup);
          await settle(busy);
        }
      }
    }
    const measurements: Measurement[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      say(`Round ${round} of ${settings.rounds}...`);
      for (const workload of settings.workloads) {
        for (const [target, child] of targets) {
          if (unavailable.some((left) => left.target === target && left.workload === workload)) continue;
          const before = await processUsage(child.pid);
          const result = await load(
            child.info.url,
            chosen[workload].body,
            headersFor(target, workload),
            connectionsFor(workload),
            settings.seconds,
          );
          const after = await processUsage(child.pid);
          await settle(busy);
          measurements.push({ round, workload, target, ...result, cpuMs: after.cpuMs - before.cpuMs });
          say(
            `  ${workload.padEnd(10)} ${target.padEnd(18)} ${result.requestsPerSecond.toFixed(1).padStart(9)} req/s  p50 ${result.latencyP50} ms  p99 ${result.latencyP99} ms`,
          );
        }
      }
    }
    const peakMemory = Object.fromEntries(
      await Promise.all(targets.map(async ([target, child]) => [target, (await processUsage(child.pid)).peakRssBytes] as const)),
    );
    const summary = summarise(
      measurements,
      peakMemory,
      settings.workloads.map((workload) => chosen[workload]),
    );
    const written = await writeResults({
      settings,
      startedAt: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      summary,
      unavailable,
      notes,
      measurements,
      subgraphsAlone,
    });
    process.stdout.write(`${written.table}\n`);
    say(`Results: ${written.file}; docs/benchmarks.md updated.`);
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    rmSync(answersFile, { force: true });
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

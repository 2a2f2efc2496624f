/**
 * `npm run soak [-- --minutes N] [--citizens N] [--workers N] [--seed N]`
 *
 * A chaos soak: the system in pieces (each subgraph its own process, the
 * gateway in production settings, a Redis of its own, the audit database
 * behind a TCP proxy), mixed load for N minutes, and on a schedule the faults
 * of a real deployment, one per phase: kill -9 a subgraph and restart it,
 * stop Redis and start it, cut the audit database, terminate the agency
 * database connections, add 2 s of latency to one subgraph. Writes the
 * figures to bench/results/soak-*.json and the tables to docs/reliability.md.
 */
import '../scripts/node-version.js';
import { randomBytes } from 'node:crypto';
import { agencies, personalDataScope } from '../platform/agencies.js';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { signToken } from '../gateway/auth/jwt.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from '../scripts/cli.js';
import { createBenchDatasets } from './support/dataset.js';
import { productionSecrets } from './support/secrets.js';
import { markdownTables, percentile, recoverySeconds, summarisePhase, writeSoakResults, type FaultWindow } from './soak/report.js';
import { requestMaker, seededRandom } from './soak/requests.js';
import { SoakStack } from './soak/stack.js';
import { classPicker, driveLoad, every, pause, probeHealthElsewhere, Recorder, residentBytes } from './soak/traffic.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const usage = 'Usage: npm run soak -- [--minutes N] [--citizens N] [--workers N] [--seed N]';

function readSettings() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { minutes: { type: 'string' }, citizens: { type: 'string' }, workers: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const number = (name: string, value: string | undefined, fallback: number, minimum: number, maximum: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < minimum || parsed > maximum)
      throw badUserInput(`--${name} must be a number from ${minimum} to ${maximum}, got "${value}". ${usage}`);
    return parsed;
  };
  return {
    minutes: number('minutes', values.minutes, 5, 1, 24 * 60),
    citizens: Math.round(number('citizens', values.citizens, 20_000, 1_000, 10_000_000)),
    workers: Math.round(number('workers', values.workers, 6, 1, 256)),
    seed: Math.round(number('seed', values.seed, 1, 0, 2 ** 31)),
  };
}

/** The subgraph that is killed, and the one that is slowed. */
const killed = 'population';
const slowed = 'health';

interface Phase {
  readonly name: string;
  /** What breaks at the start of the phase; `restore` undoes it, 40% of the phase later. */
  readonly inject?: (stack: SoakStack, signal: AbortSignal) => Promise<void>;
  readonly restore?: (stack: SoakStack) => Promise<void>;
}

/** The phase that cuts the audit database: no personal answer may be served during its fault. */
const auditCut = 'audit database cut';

const phases: readonly Phase[] = [
  { name: 'baseline' },
  { name: `kill -9 ${killed} subgraph`, inject: (stack) => stack.killSubgraph(killed), restore: (stack) => stack.restartSubgraph(killed) },
  { name: 'Redis stopped', inject: (stack) => stack.redis.stop(), restore: (stack) => stack.redis.start() },
  { name: auditCut, inject: (stack) => stack.auditProxy.stop(), restore: (stack) => stack.auditProxy.start() },
  {
    name: 'agency connections terminated',
    // Every 5 s while the fault lasts, as a database failing over again and again would.
    inject: async (stack, signal) => void every(5_000, signal, async () => void (await stack.terminateAgencyConnections())),
  },
  {
    name: `2 s latency on ${slowed}`,
    inject: async (stack) => stack.slowProxy!.setLatency(2_000),
    restore: async (stack) => stack.slowProxy!.setLatency(0),
  },
  { name: 'after the faults' },
];

/** The V8 heap in use in the gateway, from its /metrics (0 when it cannot say): what RSS holds beyond it is garbage not yet collected or native memory. */
async function heapUsedBytes(metricsUrl: string): Promise<number> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
    return Number(/^nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const warmUp = 'warm-up';
const warmUpMs = 30_000;

const afterFault = (name: string) => `${name}: after`;

runCli(async (signal) => {
  const settings = readSettings();
  const startedAt = new Date().toISOString();
  const phaseMs = (settings.minutes * 60_000) / phases.length;
  say(
    `Soak: ${settings.minutes} min, ${phases.length} phases of ${Math.round(phaseMs / 1000)} s, ${settings.workers} load workers, ${settings.citizens.toLocaleString('en')} citizens`,
  );
  const datasets = await createBenchDatasets(settings.citizens, say);
  const secrets = productionSecrets('soak');
  const { jwt } = secrets;
  let stack: SoakStack | undefined;
  try {
    const population = new pg.Client({ connectionString: datasets.environment.POPULATION_DATABASE_URL });
    await population.connect();
    const communeCodes = (
      await population.query<{ code: string }>(
        `SELECT code FROM population.administrative_unit WHERE level = 'COMMUNE' ORDER BY md5(code) LIMIT 300`,
      )
    ).rows.map((row) => row.code);
    await population.end();
    const token = await signToken(
      jwt,
      { subject: 'soak-agency-system', agency: 'soak', scopes: agencies.map(personalDataScope), purpose: null },
      86_400,
    );
    const forgedToken = await signToken(
      { ...jwt, secret: randomBytes(32).toString('base64url') },
      { subject: 'intruder', agency: 'none', scopes: ['population:pii'], purpose: null },
      86_400,
    );
    say('Starting the system in pieces...');
    stack = await SoakStack.start({ databases: datasets.environment, secrets, slowable: slowed }, say);
    const gatewayPid = stack.gateway!.pid!;
    const healthzUrl = stack.gatewayUrl.replace(/\/graphql$/, '/healthz');
    const metricsUrl = stack.gatewayUrl.replace(/\/graphql$/, '/metrics');
    say(`Gateway ${stack.gatewayUrl} (pid ${gatewayPid})`);

    const recorder = new Recorder();
    const stopLoad = new AbortController();
    const abortLoad = () => stopLoad.abort();
    signal.addEventListener('abort', abortLoad, { once: true });
    const rssSamples: Array<{ phase: string; bytes: number; heapUsedBytes: number }> = [];
    const random = seededRandom(settings.seed);
    const background = Promise.all([
      driveLoad({
        url: stack.gatewayUrl,
        recorder,
        workers: settings.workers,
        pickClass: classPicker(random),
        make: requestMaker({ ...datasets, communeCodes, token, forgedToken }, random),
        signal: stopLoad.signal,
      }),
      probeHealthElsewhere(healthzUrl, 250, recorder, stopLoad.signal),
      every(
        500,
        stopLoad.signal,
        async () =>
          void rssSamples.push({
            phase: recorder.phase,
            bytes: await residentBytes(gatewayPid),
            heapUsedBytes: await heapUsedBytes(metricsUrl),
          }),
      ),
    ]);

    // Cold caches and a cold JIT are not what the phases compare: they get a phase of their own, before the clock.
    recorder.phase = warmUp;
    say(`[0 s] ${warmUp} (${warmUpMs / 1000} s)`);
    await pause(warmUpMs, signal);
    const faults: FaultWindow[] = [];
    for (const phase of phases) {
      if (signal.aborted) break;
      recorder.phase = phase.name;
      const phaseStarted = recorder.now();
      say(`[${Math.round(phaseStarted / 1000)} s] ${phase.name}`);
      if (phase.inject) {
        const faultSignal = new AbortController();
        const injectedAt = recorder.now();
        await phase.inject(stack, faultSignal.signal);
        await pause(phaseMs * 0.4 - (recorder.now() - phaseStarted), signal);
        faultSignal.abort();
        await phase.restore?.(stack);
        faults.push({ fault: phase.name, injectedAt, restoredAt: recorder.now() });
        say(`  restored after ${Math.round((recorder.now() - injectedAt) / 1000)} s`);
        // The rest of the phase apart: what the fault did is not diluted by the calm after it.
        recorder.phase = afterFault(phase.name);
      }
      await pause(phaseMs - (recorder.now() - phaseStarted), signal);
    }
    stopLoad.abort();
    signal.removeEventListener('abort', abortLoad);
    await background;

    // Every personal answer must have its audit record: the trail is read directly, not through the proxy.
    const observations = recorder.observations;
    const personal = observations.filter((observation) => observation.personalAnswer);
    const audit = new pg.Client({ connectionString: datasets.environment.AUDIT_DATABASE_URL });
    await audit.connect();
    const ids = personal.flatMap((observation) => (observation.requestId ? [observation.requestId] : []));
    const recorded = new Set(
      (
        await audit.query<{ request_id: string }>('SELECT request_id FROM audit.access_record WHERE request_id = ANY($1::text[])', [ids])
      ).rows.map((row) => row.request_id),
    );
    await audit.end();
    const unaudited = personal.filter((observation) => !observation.requestId || !recorded.has(observation.requestId)).length;
    const auditWindow = faults.find((fault) => fault.fault === auditCut);
    const servedWhileAuditDown = auditWindow
      ? personal.filter((observation) => observation.sentAt >= auditWindow.injectedAt && observation.doneAt <= auditWindow.restoredAt)
          .length
      : 0;

    const summaries = [warmUp, ...phases.flatMap((phase) => (phase.inject ? [phase.name, afterFault(phase.name)] : [phase.name]))].map(
      (name) => summarisePhase(name, observations, rssSamples),
    );
    const recoveries = faults.map((fault) => {
      const { seconds, disturbed } = recoverySeconds(fault, observations);
      return { ...fault, recovery: seconds, disturbed };
    });
    const healthz = observations
      .filter((observation) => observation.class === 'healthz' && observation.phase !== warmUp)
      .map((observation) => observation.doneAt - observation.sentAt);
    const overall = {
      requests: observations.filter((observation) => observation.class !== 'healthz').length,
      personalAnswers: personal.length,
      personalAnswersWithoutAuditRecord: unaudited,
      personalAnswersWhileAuditDown: servedWhileAuditDown,
      peakRssBytes: Math.max(0, ...rssSamples.map((sample) => sample.bytes)),
      healthzP99Ms: Math.round(percentile(healthz, 0.99)),
      slowestRecoverySeconds: recoveries.some((fault) => fault.recovery === null)
        ? null
        : Math.max(0, ...recoveries.map((fault) => fault.recovery ?? 0)),
    };
    const tables = markdownTables(summaries, recoveries);
    const summary = `Latest run: ${startedAt.slice(0, 16).replace('T', ' ')} UTC, ${settings.minutes} min, ${settings.citizens.toLocaleString('en')} citizens, ${settings.workers} load workers; ${overall.requests.toLocaleString('en')} requests, ${overall.personalAnswers.toLocaleString('en')} personal answers, ${overall.personalAnswersWithoutAuditRecord} without an audit record, ${overall.personalAnswersWhileAuditDown} served while the audit database was down; peak gateway RSS ${Math.round(overall.peakRssBytes / 1_048_576)} MiB; /healthz p99 ${overall.healthzP99Ms} ms after the warm-up; slowest recovery ${overall.slowestRecoverySeconds ?? 'never'} s`;
    const file = await writeSoakResults({
      startedAt,
      summary,
      tables,
      result: { settings, startedAt, overall, phases: summaries, faults: recoveries },
    });
    process.stdout.write(`${summary}\n\n${tables}\n\nWritten to ${file} and docs/reliability.md\n`);
  } finally {
    await stack?.stop();
    await datasets.drop();
  }
});

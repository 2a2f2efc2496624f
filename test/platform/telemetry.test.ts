import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agencies, databaseUrlVariables } from '../../platform/config.js';
import { defaultSourceSchema } from '../../platform/source/contract.js';
import { waitForOutput } from '../support/command.js';
import { createTestDatabase } from '../support/postgres.js';
import { post } from '../support/system.js';
import { projectRoot, userEnvironment } from '../support/user-shell.js';
import { startOtlpReceiver, type ReceivedSpan } from './telemetry-receiver.js';

const watchModules = pathToFileURL(path.join(import.meta.dirname, 'telemetry-loaded-modules.mjs')).href;
const lookup = 'query Lookup($pin: ID!) { citizen(pin: $pin) { fullName birthDate } }';

/** `npm start` as a user runs it, in a process group of its own, with its output kept. */
function npmStart(variables: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd: projectRoot,
    env: userEnvironment(variables),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** SIGTERM, as an orchestrator stops a pod, and the exit it leads to. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

/** A W3C traceparent of a caller's own, sampled. */
function callerTrace(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** The JSON log lines with this message. */
const logLines = (output: string, message: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === message);

/** A span as the chain below names it: its kind (server, client) and name. */
const describeSpan = (span: ReceivedSpan) =>
  span.kind === 2 ? `server ${span.name}` : span.kind === 3 ? `client ${span.name}` : span.name;

/** The spans of one trace from a statement up to the gateway's request span, the statement first. */
function chainFrom(trace: readonly ReceivedSpan[], isStatement: (span: ReceivedSpan) => boolean): [ReceivedSpan, ...ReceivedSpan[]] {
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  const statement = trace.find(isStatement);
  expect(statement, `spans of the trace: ${trace.map(describeSpan).join(', ')}`).toBeDefined();
  const chain: [ReceivedSpan, ...ReceivedSpan[]] = [statement!];
  for (let parent = byId.get(statement!.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
  return chain;
}

/** Statement, subgraph execution, subgraph request, the gateway's call to it, and up to the gateway's request span. */
const fromStatementToCaller = [
  'subgraph.execute',
  'server POST',
  'client POST',
  'gateway.fetch',
  'gateway.execute',
  'gateway.request',
  'server POST',
];

/** Traces on, to the receiver, and nothing sent before the process stops: what arrives was flushed on SIGTERM. */
const tracedTo = (endpoint: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '600000',
  OTEL_BSP_MAX_QUEUE_SIZE: '8192',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '8192',
});

/**
 * One trace from the caller through the gateway, a subgraph fetch and the
 * subgraph's execution to its SQL statement, with `npm start` on PostgreSQL
 * databases made for this test and an OTLP receiver in the test process; and
 * no tracing code at all when no endpoint is set.
 */
describe('traces (OpenTelemetry)', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let databases: Array<{ url: string; drop: () => Promise<void> }> = [];
  let scratch: string;
  const running = new Set<ChildProcess>();
  const databaseVariables = () =>
    Object.fromEntries(agencies.map((agency, index) => [databaseUrlVariables[agency], databases[index]!.url]));
  const startVariables = (name: string) => ({
    ...databaseVariables(),
    DEPLOYMENT: 'development',
    DEMO_CITIZENS: '200',
    DATA_DIR: path.join(scratch, name),
    PORT: '0',
    ...Object.fromEntries(
      ['POPULATION', 'CIVIL_SERVICE', 'AGRICULTURE', 'HEALTH', 'INDICATORS'].map((name) => [`SUBGRAPH_${name}_PORT`, '0']),
    ),
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
    LOG_LEVEL: 'info',
    NODE_OPTIONS: `--import ${watchModules}`,
    TEST_LOADED_MODULES_FILE: path.join(scratch, `${name}-modules.txt`),
  });

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    scratch = await mkdtemp(path.join(tmpdir(), 'telemetry-'));
    databases = await Promise.all(agencies.map((agency) => createTestDatabase(`telemetry_${agency}`)));
  });
  // A test that failed half-way leaves no server behind to export into the next one.
  afterEach(async () => {
    for (const child of running) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
      }
    }
    running.clear();
  });
  afterAll(async () => {
    await receiver?.stop();
    await Promise.all(databases.map((database) => database.drop()));
    await rm(scratch, { recursive: true, force: true });
  });

  it('stops the start at once on a bad OTEL_* value, naming the variable, before anything is opened', async () => {
    const failed = await promisify(execFile)(process.execPath, ['scripts/launch.mjs', 'start'], {
      cwd: projectRoot,
      env: userEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', DATA_DIR: path.join(scratch, 'refused') }),
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: Invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL/m);
    expect(existsSync(path.join(scratch, 'refused'))).toBe(false);
  });

  it("exports one trace from the caller's traceparent through the gateway and a subgraph to its SQL, when the process stops", async () => {
    const { child, output } = npmStart({ ...startVariables('traced'), ...tracedTo(receiver.endpoint) });
    running.add(child);
    const [, token] = await waitForOutput(child, output, /demo analyst token.*\n\s+(\S+)/, 400_000);
    const gatewayUrl = /gateway\s+(http:\/\/\S+\/graphql)/.exec(output())![1]!;
    const populationUrl = /subgraph population\s+(http:\/\/\S+)/.exec(output())![1]!;

    const population = new pg.Client({ connectionString: databases[agencies.indexOf('population')]!.url });
    await population.connect();
    const [citizen] = (
      await population
        .query<{ pin: string }>(`SELECT pin FROM ${defaultSourceSchema}.citizen WHERE died_on IS NULL ORDER BY pin LIMIT 1`)
        .finally(() => population.end())
    ).rows;
    const caller = callerTrace();
    const answer = await post<{ citizen: { fullName: string; birthDate: string } }>(
      gatewayUrl,
      lookup,
      { pin: citizen!.pin },
      { authorization: `Bearer ${token}`, 'x-purpose': 'public-service', traceparent: caller.traceparent },
    );
    expect(answer.errors).toBeUndefined();
    const { fullName, birthDate } = answer.data!.citizen;
    // The same PIN as a literal in a GET's query string: the span of that request must not carry it either.
    const get = new URL(gatewayUrl);
    get.searchParams.set('query', `{ citizen(pin: "${citizen!.pin}") { fullName } }`);
    expect((await fetch(get, { headers: { authorization: `Bearer ${token}`, 'x-purpose': 'public-service' } })).status).toBe(200);
    expect(receiver.spans).toEqual([]);

    await stop(child);
    const trace = receiver.spans.filter((span) => span.traceId === caller.traceId);
    const [statement, ...chain] = chainFrom(
      trace,
      (span) => /^pg\.query:SELECT/.test(span.name) && /\bFROM citizen\b/.test(String(span.attributes['db.query.text'])),
    );
    expect(chain.map(describeSpan)).toEqual(fromStatementToCaller);
    // The gateway's request span continues the caller's trace; its subgraph call carried the trace on over HTTP.
    expect(chain.at(-1)!.parentSpanId).toBe(caller.spanId);
    expect(chain[2]!.attributes['url.full']).toBe(populationUrl);
    expect(chain[0]!.attributes['subgraph.name']).toBe('population');
    const request = chain.at(-2)!;
    for (const step of ['gateway.validate', 'gateway.plan'])
      expect(trace.filter((span) => span.name === step && span.parentSpanId === request.spanId)).toHaveLength(1);
    expect(statement.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.namespace': new URL(databases[agencies.indexOf('population')]!.url).pathname.slice(1),
      'server.port': 5432,
    });
    expect(statement.attributes['db.query.text']).toContain('$1');
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['gateway']));
    // The audit trail's record of the read goes to the embedded PGlite database through pg: its statements are spans of the trace too
    // (one insert, on its own in a transaction or within the one statement that also moves the chain head).
    expect(
      trace.filter(
        (span) => span.name.startsWith('pg.query:') && /INSERT INTO audit\.access_record/.test(String(span.attributes['db.query.text'])),
      ),
    ).toHaveLength(1);

    // No personal value in any span: not the PIN (a variable, then a literal in a URL), nor what was answered.
    const exported = JSON.stringify(receiver.spans);
    for (const value of [citizen!.pin, fullName, birthDate]) expect(exported).not.toContain(value);
    expect(receiver.spans.some((span) => span.attributes['url.query'] === 'query=REDACTED')).toBe(true);
    expect(receiver.refused).toEqual([]);

    // The request's log lines carry the trace id, the gateway's and the subgraph's.
    const [line] = logLines(output(), 'request').filter((entry) => entry.operationName === 'Lookup');
    expect(line).toMatchObject({ traceId: caller.traceId, requestId: answer.headers!.get('x-request-id') });
    expect(logLines(output(), 'subgraph request').filter((entry) => entry.requestId === line!.requestId)).toContainEqual(
      expect.objectContaining({ traceId: caller.traceId, subgraph: 'population' }),
    );
    // The watch on loaded modules sees the tracing code when it is there (so its silence below means something).
    const loaded = readFileSync(startVariables('traced').TEST_LOADED_MODULES_FILE, 'utf8');
    expect(loaded).toMatch(/platform\/telemetry-sdk\./);
    expect(loaded).toMatch(/@opentelemetry\/instrumentation-pg/);
    // The first start generates the demo dataset into the new databases: minutes on a loaded machine.
  }, 420_000);

  it("continues the trace in a subgraph run in a process of its own, under that process's service name", async () => {
    const signingSecret = randomBytes(24).toString('hex');
    let subgraphOutput = '';
    const subgraph = spawn('npm', ['run', 'subgraph', '--', 'population'], {
      cwd: projectRoot,
      env: userEnvironment({
        ...tracedTo(receiver.endpoint),
        POPULATION_DATABASE_URL: databases[agencies.indexOf('population')]!.url,
        DEPLOYMENT: 'development',
        SUBGRAPH_POPULATION_PORT: '0',
        GATEWAY_SIGNING_SECRET: signingSecret,
        DATABASE_CONNECT_TIMEOUT_MS: '30000',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(subgraph);
    subgraph.stdout!.on('data', (chunk: Buffer) => (subgraphOutput += chunk.toString()));
    subgraph.stderr!.on('data', (chunk: Buffer) => (subgraphOutput += chunk.toString()));
    const [, populationUrl] = await waitForOutput(subgraph, () => subgraphOutput, /^subgraph population (http:\/\/\S+)$/m, 240_000);
    const { child, output } = npmStart({
      ...startVariables('split'),
      ...tracedTo(receiver.endpoint),
      SUBGRAPH_POPULATION_URL: populationUrl!,
      GATEWAY_SIGNING_SECRET: signingSecret,
    });
    running.add(child);
    const [, gatewayUrl] = await waitForOutput(child, output, /gateway\s+(http:\/\/\S+\/graphql)/, 240_000);
    const caller = callerTrace();
    const answer = await post(gatewayUrl!, '{ areaStats(level: NATION, period: "2025") { unitCode eIdAdoption { value } } }', undefined, {
      traceparent: caller.traceparent,
    });
    expect(answer.errors).toBeUndefined();
    await stop(child);
    await stop(subgraph);

    const trace = receiver.spans.filter((span) => span.traceId === caller.traceId);
    const [statement, ...chain] = chainFrom(
      trace,
      (span) => span.name.startsWith('pg.query:') && String(span.attributes['db.query.text']).includes('population.'),
    );
    expect(chain.map(describeSpan)).toEqual(fromStatementToCaller);
    // The statement, the execution and the request are the subgraph process's; its caller and above, the gateway's.
    expect([statement, ...chain].map((span) => span.service)).toEqual([
      ...Array(3).fill('subgraph-population'),
      ...Array(5).fill('gateway'),
    ]);
    expect(chain.at(-1)!.parentSpanId).toBe(caller.spanId);
  }, 420_000);

  it('loads no tracing code and exports nothing when no endpoint is set; the log keeps the trace id the caller sent', async () => {
    const exportedBefore = receiver.spans.length;
    // A standard variable alone does not turn tracing on.
    const { child, output } = npmStart({ ...startVariables('untraced'), OTEL_SERVICE_NAME: 'gateway-untraced' });
    running.add(child);
    const [, gatewayUrl] = await waitForOutput(child, output, /gateway\s+(http:\/\/\S+\/graphql)/, 240_000);
    const caller = callerTrace();
    const answer = await post(gatewayUrl!, '{ areaStats(level: NATION, period: "2025") { unitCode } }', undefined, {
      traceparent: caller.traceparent,
    });
    expect(answer.errors).toBeUndefined();
    await stop(child);

    expect(receiver.spans).toHaveLength(exportedBefore);
    const modules = startVariables('untraced').TEST_LOADED_MODULES_FILE;
    expect(existsSync(modules) ? readFileSync(modules, 'utf8') : '').toBe('');
    expect(logLines(output(), 'request').find((entry) => entry.requestId === answer.headers!.get('x-request-id'))).toMatchObject({
      traceId: caller.traceId,
    });
  }, 300_000);
});

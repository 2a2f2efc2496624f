/**
 * `npm run test:flake-hunt [-- --runs N] [--load COMMAND | --no-load]`: runs the
 * whole suite N times in a row (10 by default) while another heavy job loads
 * the machine (by default the quick benchmark, restarted whenever it ends), and
 * reports every failed test of every run. A suite that passes once but fails
 * one run in ten blocks every landing; this is how such failures are found.
 * Each run's vitest JSON report and a summary go to reports/flake-hunt/.
 */
import './node-version.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { badUserInput } from '../platform/errors.js';
import { runCli } from './cli.js';

const usage = 'Usage: npm run test:flake-hunt -- [--runs N] [--load COMMAND | --no-load]';
const root = path.resolve(import.meta.dirname, '..');
const defaultLoad = 'npm run bench -- --quick';
const say = (line: string) => process.stderr.write(`${line}\n`);

interface RunOutcome {
  readonly run: number;
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly passed: number;
  readonly failed: readonly string[];
}

/** What vitest's JSON reporter writes, as far as this tool reads it. */
interface VitestReport {
  numPassedTests: number;
  testResults: Array<{ name: string; message?: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

function readArguments(): { runs: number; load: string | undefined } {
  let values;
  try {
    ({ values } = parseArgs({
      options: { runs: { type: 'string' }, load: { type: 'string' }, 'no-load': { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const runs = values.runs ?? '10';
  if (!/^\d+$/.test(runs) || Number(runs) < 1 || Number(runs) > 1_000)
    throw badUserInput(`--runs must be a whole number from 1 to 1000, got ${JSON.stringify(runs)}. ${usage}`);
  if (values['no-load'] && values.load !== undefined) throw badUserInput(`--load and --no-load exclude each other. ${usage}`);
  if (values.load !== undefined && values.load.trim() === '') throw badUserInput(`--load needs a command. ${usage}`);
  return { runs: Number(runs), load: values['no-load'] ? undefined : (values.load ?? defaultLoad) };
}

/** Keeps `command` running (restarting it when it ends) until stopped. */
function keepLoading(command: string): { stop(): Promise<void> } {
  let current: ChildProcess | undefined;
  let stopped = false;
  const start = () => {
    if (stopped) return;
    // A process group of its own, so stopping it stops everything it started.
    current = spawn(command, { cwd: root, shell: true, stdio: 'ignore', detached: true });
    current.once('exit', () => setImmediate(start));
  };
  start();
  return {
    async stop() {
      stopped = true;
      const child = current;
      if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(-child.pid, 'SIGINT');
      await exited;
    },
  };
}

async function runSuite(run: number, folder: string, signal: AbortSignal): Promise<RunOutcome> {
  const report = path.join(folder, `run-${run}.json`);
  const started = performance.now();
  // A process group of its own: stopping npm alone would leave vitest and its workers running.
  const suite = spawn('npm', ['test', '--', '--reporter=dot', '--reporter=json', `--outputFile=${report}`], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const stop = () => process.kill(-suite.pid!, 'SIGINT');
  signal.addEventListener('abort', stop, { once: true });
  const [exitCode] = (await once(suite, 'exit')) as [number | null];
  signal.removeEventListener('abort', stop);
  const seconds = Math.round((performance.now() - started) / 1000);
  let parsed: VitestReport | undefined;
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
  } catch {
    // No report: the run died before vitest wrote one; the exit code says so.
  }
  const failed = parsed
    ? parsed.testResults.flatMap((file) => {
        const tests = file.assertionResults
          .filter((test) => test.status === 'failed')
          .map((test) => `${path.relative(root, file.name)} > ${test.fullName}`);
        // A file that failed to load or in a hook has no failed test of its own.
        return tests.length === 0 && file.message ? [`${path.relative(root, file.name)}: ${file.message.split('\n')[0]}`] : tests;
      })
    : [`the run wrote no report (exit code ${exitCode})`];
  return { run, exitCode, seconds, passed: parsed?.numPassedTests ?? 0, failed: exitCode === 0 ? [] : failed };
}

runCli(async (signal) => {
  const { runs, load } = readArguments();
  const folder = path.join(root, 'reports', 'flake-hunt', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(folder, { recursive: true });
  say(
    `Flake hunt: ${runs} full runs of npm test${load ? `, loaded by \`${load}\`` : ', no load'}; reports in ${path.relative(root, folder)}`,
  );
  const loader = load ? keepLoading(load) : undefined;
  const outcomes: RunOutcome[] = [];
  try {
    for (let run = 1; run <= runs && !signal.aborted; run++) {
      const outcome = await runSuite(run, folder, signal);
      outcomes.push(outcome);
      say(
        `run ${run}/${runs}: ${outcome.exitCode === 0 ? 'passed' : 'FAILED'} (${outcome.passed} tests passed, ${outcome.seconds} s)${outcome.failed.map((name) => `\n  failed: ${name}`).join('')}`,
      );
    }
  } finally {
    await loader?.stop();
  }
  const failedRuns = outcomes.filter((outcome) => outcome.exitCode !== 0);
  writeFileSync(
    path.join(folder, 'summary.json'),
    `${JSON.stringify({ runs: outcomes.length, load: load ?? null, failedRuns: failedRuns.length, outcomes }, null, 2)}\n`,
  );
  say(`${outcomes.length - failedRuns.length} passed, ${failedRuns.length} failed`);
  if (failedRuns.length > 0) process.exitCode = 1;
});

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** A benchmark process: one target (or the subgraphs, or the load generator) in a process of its own. */
export interface Child<Info> {
  readonly pid: number;
  readonly info: Info;
  /** The last few kilobytes it wrote to stderr, for error messages. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Starts `script` (a .ts file under bench/) with tsx and waits for the line
 * `READY <json>` it prints when listening. What it writes to stderr is kept
 * for the error message if it dies first.
 */
export async function startChild<Info>(script: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Child<Info>> {
  // BENCH_PROFILE_DIR: every target writes a V8 CPU profile there when it stops (for finding what costs).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'bench', script)], {
    cwd: root,
    // As deployed: graphql-js, Apollo and the peers all run their production code paths (graphql's
    // development-mode type checks alone cost a tenth of a commune-level answer).
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const info = await new Promise<Info>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`${script} was not ready within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    const untilReady = (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^READY (.*)$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        // What it writes after (a gateway's log line per request) is read and dropped: kept and searched, it grew
        // without end and took the benchmark's process a core, beside the targets it measures.
        child.stdout!.off('data', untilReady);
        child.stdout!.resume();
        stdout = '';
        resolve(JSON.parse(line[1]!) as Info);
      }
    };
    child.stdout!.on('data', untilReady);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return { pid: child.pid!, info, errors: () => stderr, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** For a target: say where it listens, then stay up until told to stop. */
export function ready(info: object, stop: () => Promise<void>): void {
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
  const shutDown = () => void stop().finally(() => process.exit(0));
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

/** CPU time (user + system, ms) and peak resident memory (bytes) of a process, from /proc. */
export async function processUsage(pid: number): Promise<{ cpuMs: number; peakRssBytes: number }> {
  const { readFile } = await import('node:fs/promises');
  const cpuMs = cpuMsOf(await readFile(`/proc/${pid}/stat`, 'utf8'));
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const peakRssBytes = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
  return { cpuMs, peakRssBytes };
}

/**
 * Waits until these processes are idle (less than 2% of a core for a quarter
 * of a second): a target still working through the previous run's backlog
 * would otherwise slow the next one, on a machine they share.
 */
export async function settle(pids: readonly number[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const total = async () => (await Promise.all(pids.map((pid) => workingCpuMs(pid)))).reduce((sum, cpuMs) => sum + cpuMs, 0);
  let before = await total();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await total();
    if (now - before <= 10) return;
    before = now;
  }
}

/**
 * CPU time (ms) of a process's threads, but for V8's profiler thread: under
 * --cpu-prof (BENCH_PROFILE_DIR) that thread spins at a full core while the
 * process is idle, and a target would never look settled.
 */
async function workingCpuMs(pid: number): Promise<number> {
  const { readdir, readFile } = await import('node:fs/promises');
  let cpuMs = 0;
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const stat = await readFile(`/proc/${pid}/task/${task}/stat`, 'utf8').catch(() => undefined);
    if (stat && !stat.includes('(v8:ProfEvntProc)')) cpuMs += cpuMsOf(stat);
  }
  return cpuMs;
}

/** CPU time (ms) in a /proc stat line of a process or thread. */
function cpuMsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  // Fields 14 and 15 (utime, stime), counted from the state field (3): indexes 11 and 12, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * The processes of a topology, each the leader of a process group of its own
 * (detached), so that a stop reaches whatever it started, and Ctrl-C on the
 * terminal reaches only the topology's own process, which then stops them in
 * order. Whatever way this process exits, every group still alive is killed
 * (see the exit hook below): a failed start leaves no orphan behind.
 */
const alive = new Set<number>();
let hooked = false;

function killEveryGroupOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const pid of alive) signalGroup(pid, 'SIGKILL');
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export interface ServiceOptions {
  /** How it is named in messages, e.g. "gateway 2". */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Everything it writes (standard output and error) is appended here. */
  readonly logFile: string;
  /** Ready once its output so far matches; the first group is what `ready` resolves with. */
  readonly readyLine: RegExp;
  readonly readyTimeoutMs: number;
}

/** One process of the topology: started, watched until ready, stopped or killed with its group. */
export class Service {
  readonly #child: ChildProcess;
  readonly #log: WriteStream;
  #output = '';
  /** Resolves once the process has exited and its output is all read (never rejects). */
  readonly exited: Promise<void>;
  /** Resolves as soon as the process has died (its output may still be on its way). */
  readonly died: Promise<void>;
  /** Resolves with the ready line's first group; rejects with the process's last words if it exits or hangs first. */
  readonly ready: Promise<string>;

  constructor(readonly options: ServiceOptions) {
    killEveryGroupOnExit();
    this.#log = createWriteStream(options.logFile, { flags: 'a' });
    this.#child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = this.#child.pid;
    if (pid !== undefined) alive.add(pid);
    let started: (value: string) => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise<string>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    // Handled here, so that a process that dies after start-up is no unhandled rejection.
    this.ready.catch(() => undefined);
    const timer = setTimeout(
      () => failed(new Error(`${options.label} was not ready within ${options.readyTimeoutMs} ms; its last output:\n${this.tail()}`)),
      options.readyTimeoutMs,
    );
    const take = (chunk: Buffer) => {
      this.#log.write(chunk);
      // Drained always (a full pipe would stall the process); only the tail is kept, for messages.
      this.#output = (this.#output + chunk.toString()).slice(-16_000);
      const match = options.readyLine.exec(this.#output);
      if (match) {
        clearTimeout(timer);
        started(match[1] ?? match[0]);
      }
    };
    this.#child.stdout!.on('data', take);
    this.#child.stderr!.on('data', take);
    this.died = new Promise<void>((resolve) => {
      this.#child.once('exit', () => resolve());
      this.#child.once('error', () => resolve());
    });
    this.exited = new Promise<void>((resolve) => {
      const end = (why: string) => {
        clearTimeout(timer);
        if (pid !== undefined) alive.delete(pid);
        failed(new Error(`${options.label} ${why} before it was ready; its last output:\n${this.tail()}`));
        this.#log.end();
        resolve();
      };
      // close, not exit: it comes once its output is all read, so nothing is written to the log after its end.
      this.#child.once('close', (code, signal) => end(`exited (${code ?? signal})`));
      // Spawning itself failed (no such program): no exit event follows.
      this.#child.once('error', (error: NodeJS.ErrnoException) =>
        end(error.code === 'ENOENT' ? `could not start: ${options.command} was not found` : `could not start: ${error.message}`),
      );
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    const child = this.#child;
    return child.pid !== undefined && alive.has(child.pid) && child.exitCode === null && child.signalCode === null;
  }

  /** The last lines it wrote. */
  tail(lines = 20): string {
    return this.#output.split('\n').slice(-lines).join('\n');
  }

  /** kill -9 of its whole group, as a crash or an evicted machine would; resolves as soon as it has died. */
  async kill(): Promise<void> {
    if (this.running) signalGroup(this.#child.pid!, 'SIGKILL');
    await this.died;
  }

  /** SIGTERM to its group (it drains and exits), SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.running) return this.exited;
    signalGroup(this.#child.pid!, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.#child.pid!, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The process ids of every service of this process still running (a failed start must leave none). */
export const runningServices = (): readonly number[] => [...alive];

import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { classWeights, requestClasses, type RequestClass, type SoakRequest } from './requests.js';

/** One answered (or failed) request, as the soak saw it from the client's side. */
export interface Observation {
  readonly phase: string;
  readonly class: RequestClass | 'healthz';
  readonly name: string;
  /** When it was sent and when its answer was read (ms since the soak began). */
  readonly sentAt: number;
  readonly doneAt: number;
  /** HTTP status; 0 when no answer came (connection refused or reset, client deadline). */
  readonly status: number;
  /** ok, partial, stale, refused, failed or no-answer (see `outcomeOf`). */
  readonly outcome: string;
  /** The codes of the answer's errors, or the network error's. */
  readonly codes: readonly string[];
  readonly requestId: string | undefined;
  /** The first error's message, for the record of what failed. */
  readonly message: string | undefined;
  /** A lookup whose answer carried a citizen's data. */
  readonly personalAnswer: boolean;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
  extensions?: { stale?: unknown };
}

/** ok: data and no error; stale: a stand-in answer marked stale; partial: data with errors; refused: a 4xx; failed: any other error answer. */
export function outcomeOf(status: number, body: GraphQLBody | undefined): string {
  if (status === 0) return 'no-answer';
  if (status >= 400 && status < 500) return 'refused';
  const hasData = body?.data !== undefined && body.data !== null && Object.values(body.data).some((value) => value !== null);
  if (status === 200 && body?.extensions?.stale) return 'stale';
  if (status === 200 && hasData && !body?.errors?.length) return 'ok';
  if (status === 200 && hasData) return 'partial';
  return 'failed';
}

/** A client-side bound on every request: a gateway that never answers shows as no-answer, not as a hung soak. */
const clientDeadlineMs = 60_000;

export class Recorder {
  readonly observations: Observation[] = [];
  #phase = 'starting';
  readonly #origin = performance.now();

  get phase(): string {
    return this.#phase;
  }

  set phase(name: string) {
    this.#phase = name;
  }

  /** Milliseconds since the soak began. */
  now(): number {
    return performance.now() - this.#origin;
  }

  async send(url: string, request: SoakRequest): Promise<Observation> {
    const phase = this.#phase;
    const sentAt = this.now();
    let status = 0;
    let body: GraphQLBody | undefined;
    let codes: string[] = [];
    let requestId: string | undefined;
    let message: string | undefined;
    try {
      const response = await fetch(request.method === 'GET' ? `${url}?${request.body}` : url, {
        method: request.method,
        headers: request.headers,
        ...(request.method === 'POST' ? { body: request.body } : {}),
        signal: AbortSignal.timeout(clientDeadlineMs),
      });
      status = response.status;
      requestId = response.headers.get('x-request-id') ?? undefined;
      const text = await response.text();
      try {
        body = JSON.parse(text) as GraphQLBody;
      } catch {
        body = undefined;
      }
      codes = [...new Set((body?.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE'))];
      message = body?.errors?.[0]?.message ?? (body ? undefined : text.slice(0, 200));
    } catch (error) {
      status = 0;
      message = (error as Error).message;
      codes = [((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).name];
    }
    const citizen = request.class === 'lookup' ? (body?.data?.['citizen'] as Record<string, unknown> | null | undefined) : undefined;
    const observation: Observation = {
      phase,
      class: request.class,
      name: request.name,
      sentAt,
      doneAt: this.now(),
      status,
      outcome: outcomeOf(status, body),
      codes,
      requestId,
      message,
      personalAnswer: status === 200 && !!citizen && Object.values(citizen).some((value) => value !== null),
    };
    this.observations.push(observation);
    return observation;
  }

  /** A /healthz probe timed elsewhere (see `probeHealthElsewhere`), filed under the phase it was sent in. */
  recordHealth(sentAt: number, doneAt: number, status: number): void {
    this.observations.push({
      phase: this.#phase,
      class: 'healthz',
      name: 'healthz',
      sentAt,
      doneAt,
      status,
      outcome: status === 0 ? 'no-answer' : 'answered',
      codes: [],
      requestId: undefined,
      message: undefined,
      personalAnswer: false,
    });
  }
}

// Runs in a worker thread: GET /healthz every `everyMs`, posting each latency back.
const healthProbe = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
parentPort.on('message', () => (running = false));
(async () => {
  while (running) {
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(workerData.url, { signal: AbortSignal.timeout(60000) });
      status = response.status;
      await response.text();
    } catch {}
    const took = performance.now() - started;
    parentPort.postMessage({ took, status });
    if (workerData.everyMs > took) await new Promise((resolve) => setTimeout(resolve, workerData.everyMs - took));
  }
  parentPort.close();
})();
`;

/**
 * Probes /healthz from a worker thread of its own: timed on the load
 * generator's own event loop, busy parsing large answers, a fast /healthz
 * would look slow.
 */
export async function probeHealthElsewhere(url: string, everyMs: number, recorder: Recorder, signal: AbortSignal): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(healthProbe, { eval: true, workerData: { url, everyMs } });
  worker.on('message', ({ took, status }: { took: number; status: number }) => {
    const doneAt = recorder.now();
    recorder.recordHealth(doneAt - took, doneAt, status);
  });
  signal.addEventListener('abort', () => worker.postMessage('stop'), { once: true });
  await new Promise((resolve) => worker.once('exit', resolve));
}

/** Picks request classes by their weights. */
export function classPicker(random: () => number): () => RequestClass {
  const total = requestClasses.reduce((sum, name) => sum + classWeights[name], 0);
  return () => {
    let left = random() * total;
    for (const name of requestClasses) {
      left -= classWeights[name];
      if (left < 0) return name;
    }
    return requestClasses.at(-1)!;
  };
}

/**
 * Runs `workers` loops, each sending one request after another, until `signal`
 * aborts; the commune-level dashboard, the heaviest, runs in at most one loop at a time.
 */
export async function driveLoad(options: {
  readonly url: string;
  readonly recorder: Recorder;
  readonly workers: number;
  readonly pickClass: () => RequestClass;
  readonly make: (requestClass: RequestClass) => SoakRequest;
  readonly signal: AbortSignal;
}): Promise<void> {
  let communesRunning = false;
  const worker = async () => {
    while (!options.signal.aborted) {
      let requestClass = options.pickClass();
      if (requestClass === 'communes' && communesRunning) requestClass = 'dashboard';
      if (requestClass === 'communes') communesRunning = true;
      try {
        await options.recorder.send(options.url, options.make(requestClass));
      } finally {
        if (requestClass === 'communes') communesRunning = false;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
}

/** Waits `ms` (nothing when not positive), or less if `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** Calls `tick` every `everyMs` (never two at a time) until `signal` aborts. */
export async function every(everyMs: number, signal: AbortSignal, tick: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    const started = performance.now();
    await tick();
    await pause(everyMs - (performance.now() - started), signal);
  }
}

/** The resident memory of a process now (bytes), from /proc; 0 once it is gone. */
export async function residentBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

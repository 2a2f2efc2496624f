import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { CacheStore } from '../../gateway/cache/store.js';

/** The Redis server the machine runs for tests; keys of each run carry their own prefix. */
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * What tests that are not about Redis timeouts give each command: on a loaded
 * machine the event loop stalls past the production 250 ms, and a write that
 * times out is a miss the test did not intend. A stopped Redis still fails at once.
 */
export const patientCommandTimeoutMs = 5_000;

export const uniquePrefix = (label: string) => `test:${label}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** Deletes every key under a prefix (tests clean up after themselves). */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/**
 * A store that also lists every message its subscribers have handled, once
 * they have: a test waits for a gateway to have heard an invalidation, not for time.
 */
export function observedStore(store: CacheStore): { readonly store: CacheStore; readonly handled: string[] } {
  const handled: string[] = [];
  const subscribe: CacheStore['subscribe'] = (channel, onMessage) =>
    store.subscribe(channel, (message) => {
      onMessage(message);
      handled.push(message);
    });
  return { store: { ...store, subscribe }, handled };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** How long a redis-server may take to start, or a cluster to agree, on a loaded machine. */
const startTimeoutMs = 20_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; throws `failure` once `timeoutMs` has passed. */
async function until(check: () => Promise<boolean>, timeoutMs: number, failure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure());
    await pause(50);
  }
}

/** A redis-server that could not listen: another socket took its port (or bus port) between the check and the start. */
class PortTaken extends Error {}

/** A client that tries once: a server that is not up yet is an answer, not something to wait for. */
async function askOnce<T>(port: number, question: (client: Redis) => Promise<T>): Promise<T | undefined> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await question(client);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts redis-server on a port and resolves once that very process answers
 * (its process id, not merely something on the port). Throws PortTaken when
 * the port was taken meanwhile, with the server's own words otherwise.
 */
async function launch(port: number, extra: readonly string[] = []): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Drained always: a full pipe would stall the server.
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  try {
    await until(
      async () => gone() || (await askOnce(port, (client) => client.info('server')))?.includes(`process_id:${child.pid}\r`) === true,
      startTimeoutMs,
      () => `redis-server did not answer on port ${port} within ${startTimeoutMs} ms: ${output}`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (gone()) {
    if (/Address already in use/i.test(output)) throw new PortTaken(`port ${port} is taken: ${output}`);
    throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode}): ${output}`);
  }
  return child;
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A redis-server of the test's own on a free port, to stop and start at will. */
export class OwnRedis {
  #process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    for (let attempt = 1; ; attempt++) {
      const redis = new OwnRedis(await freePort());
      try {
        await redis.start();
        return redis;
      } catch (error) {
        // freePort() closes the port before redis-server binds it: another may take it meanwhile.
        if (!(error instanceof PortTaken) || attempt === 5) throw error;
      }
    }
  }

  /** Starts (or restarts) the server on its port; a port taken meanwhile is waited for, since clients know this address. */
  async start(): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      try {
        this.#process = await launch(this.port);
        return;
      } catch (error) {
        if (!(error instanceof PortTaken) || Date.now() > deadline) throw error;
        await pause(100);
      }
    }
  }

  async stop(): Promise<void> {
    await kill(this.#process);
  }
}

/** Cluster ports stay below 22767, so their bus ports (+10000) stay below Linux's ephemeral range (32768 and up). */
const clusterPorts = { lowest: 12_000, highest: 22_766 };

/** A three-node Redis Cluster of the test's own on free ports (and their bus ports, +10000). */
export class OwnRedisCluster {
  readonly #nodes: ChildProcess[] = [];
  readonly #directories: string[] = [];
  constructor(readonly ports: readonly number[]) {}

  get url(): string {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`).join(',');
  }

  static async start(): Promise<OwnRedisCluster> {
    for (let attempt = 1; ; attempt++) {
      const cluster = new OwnRedisCluster(await freeClusterPorts(3));
      try {
        await cluster.#start();
        return cluster;
      } catch (error) {
        await cluster.stop();
        if (!(error instanceof PortTaken) || attempt === 5) throw error;
      }
    }
  }

  async #start(): Promise<void> {
    for (const port of this.ports) {
      const directory = await mkdtemp(path.join(tmpdir(), `redis-cluster-${port}-`));
      this.#directories.push(directory);
      this.#nodes.push(await launch(port, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--dir', directory]));
    }
    const create = spawn(
      'redis-cli',
      ['--cluster', 'create', ...this.ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    create.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    create.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => create.on('exit', resolve));
    if (code !== 0) throw new Error(`redis-cli --cluster create failed with ${String(code)}: ${output}`);
    // Every node must know every slot's owner before a client can be routed.
    await until(
      async () =>
        (await Promise.all(this.ports.map((port) => askOnce(port, (client) => client.cluster('INFO'))))).every((info) =>
          String(info).includes('cluster_state:ok'),
        ),
      startTimeoutMs,
      () => `The Redis Cluster on ${this.ports.join(', ')} did not reach cluster_state:ok within ${startTimeoutMs} ms`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.#nodes.map(kill));
    await Promise.all(this.#directories.map((directory) => rm(directory, { recursive: true, force: true })));
  }
}

/** Distinct ports whose bus ports are free too, in the range that keeps bus ports out of the ephemeral range. */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = clusterPorts.lowest + Math.floor(Math.random() * (clusterPorts.highest - clusterPorts.lowest + 1));
    if (ports.includes(port) || !(await isFree(port)) || !(await isFree(port + 10_000))) continue;
    ports.push(port);
  }
  return ports;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

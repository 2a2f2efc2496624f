import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { Service } from './processes.js';

/** How long a node may take to start, or the cluster to agree, on a loaded machine. */
const startTimeoutMs = 30_000;

/** Cluster ports stay below 22767, so their bus ports (+10000) stay below Linux's ephemeral range (32768 and up). */
const portRange = { lowest: 12_000, highest: 22_766 };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `program --version`: resolves if it runs, else rejects with a message that names it and says what it is for. */
export async function requireProgram(program: string, purpose: string): Promise<void> {
  try {
    await promisify(execFile)(program, ['--version'], { timeout: 10_000 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      code === 'ENOENT'
        ? `${program} was not found on PATH: ${purpose} (Debian: apt-get install redis-server, Redis 7 or later)`
        : `${program} --version failed (${(error as Error).message}): ${purpose}`,
    );
  }
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeClusterPort(taken: readonly number[]): Promise<number> {
  for (;;) {
    const port = portRange.lowest + Math.floor(Math.random() * (portRange.highest - portRange.lowest + 1));
    if (!taken.includes(port) && (await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

/** Asks one node once; undefined when it does not answer (yet). */
async function ask<T>(port: number, password: string | undefined, question: (client: Redis) => Promise<T>): Promise<T | undefined> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    ...(password ? { password } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
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

/** redis-server and redis-cli, which the cluster needs; rejects naming the one missing. */
export async function requireRedisPrograms(): Promise<void> {
  await requireProgram('redis-server', 'the topology runs a Redis Cluster of its own');
  await requireProgram('redis-cli', 'the topology creates its Redis Cluster with redis-cli --cluster create');
}

/**
 * A Redis Cluster of three primaries (no replicas, no persistence), each node
 * in a process group of its own with its files in `directory`.
 */
export class RedisCluster {
  private constructor(
    readonly ports: readonly number[],
    private readonly nodes: readonly Service[],
    private readonly password: string | undefined,
  ) {}

  /** What REDIS_URL says to reach it: every node, comma-separated (with the password, if it has one). */
  get url(): string {
    const credentials = this.password ? `:${encodeURIComponent(this.password)}@` : '';
    return this.ports.map((port) => `redis://${credentials}127.0.0.1:${port}`).join(',');
  }

  /** A cluster whose nodes want `password` (requirepass), to show that clients bring it to every node. */
  static async start(directory: string, logDirectory: string, options: { readonly password?: string } = {}): Promise<RedisCluster> {
    const { password } = options;
    const authentication = password ? ['--requirepass', password, '--masterauth', password] : [];
    await requireRedisPrograms();
    const ports: number[] = [];
    const nodes: Service[] = [];
    try {
      for (let index = 1; index <= 3; index++) {
        for (let attempt = 1; ; attempt++) {
          const port = await freeClusterPort(ports);
          const home = path.join(directory, `redis-${index}`);
          await mkdir(home, { recursive: true });
          const node = new Service({
            label: `Redis node ${index} (port ${port})`,
            command: 'redis-server',
            // Settings as arguments, no persistence: the data of a run dies with it.
            args: [
              ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', home],
              ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
              ...authentication,
            ],
            env: process.env,
            logFile: path.join(logDirectory, `redis-${index}.log`),
            readyLine: /Ready to accept connections/,
            readyTimeoutMs: startTimeoutMs,
          });
          try {
            await node.ready;
            ports.push(port);
            nodes.push(node);
            break;
          } catch (error) {
            await node.kill().then(() => node.exited);
            // The port was free a moment ago; another process may have taken it (or its bus port) since.
            if (!/Address already in use/i.test(String(error)) || attempt === 5) throw error;
          }
        }
      }
      const cluster = new RedisCluster(ports, nodes, password);
      await cluster.#create();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.kill().then(() => node.exited)));
      throw error;
    }
  }

  async #create(): Promise<void> {
    const nodes = this.ports.map((port) => `127.0.0.1:${port}`);
    try {
      const authentication = this.password ? ['-a', this.password, '--no-auth-warning'] : [];
      await promisify(execFile)(
        'redis-cli',
        [...authentication, '--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'],
        {
          timeout: startTimeoutMs,
        },
      );
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`redis-cli --cluster create ${nodes.join(' ')} failed: ${failed.stderr || failed.stdout || failed.message}`);
    }
    // Every node must know every slot's owner before a client can be routed.
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const states = await Promise.all(this.ports.map((port) => ask(port, this.password, (client) => client.cluster('INFO'))));
      if (states.every((info) => String(info).includes('cluster_state:ok'))) return;
      if (Date.now() > deadline)
        throw new Error(`The Redis Cluster on ${nodes.join(', ')} did not reach cluster_state:ok within ${startTimeoutMs} ms`);
      await pause(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill().then(() => node.exited)));
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis server the machine runs for tests; keys of each run carry their own prefix. */
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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

/** A redis-server of the test's own on a free port, to stop and start at will. */
export class OwnRedis {
  #process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    this.#process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await this.waitUntilUp();
  }

  async waitUntilUp(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.#process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A three-node Redis Cluster of the test's own on free ports (and their bus ports, +10000). */
export class OwnRedisCluster {
  readonly #nodes: ChildProcess[] = [];
  constructor(readonly ports: readonly number[]) {}

  get url(): string {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`).join(',');
  }

  static async start(): Promise<OwnRedisCluster> {
    const ports: number[] = [];
    while (ports.length < 3) {
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      if (ports.includes(port) || !(await isFree(port)) || !(await isFree(port + 10_000))) continue;
      ports.push(port);
    }
    const cluster = new OwnRedisCluster(ports);
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    for (const port of ports) {
      const dir = await mkdtemp(path.join(tmpdir(), `redis-cluster-${port}-`));
      cluster.#nodes.push(
        spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }),
      );
    }
    for (const port of ports) await new OwnRedis(port).waitUntilUp();
    const create = spawn('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
    const code = await new Promise((resolve) => create.on('exit', resolve));
    if (code !== 0) throw new Error(`redis-cli --cluster create failed with ${code}`);
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new Redis(`redis://127.0.0.1:${ports[0]}`);
      const info = await client.cluster('INFO').catch(() => '');
      client.disconnect();
      if (String(info).includes('cluster_state:ok')) return cluster;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('The Redis Cluster did not reach cluster_state:ok');
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#nodes.map(async (node) => {
        if (node.exitCode !== null) return;
        const exited = new Promise((resolve) => node.once('exit', resolve));
        node.kill('SIGKILL');
        await exited;
      }),
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

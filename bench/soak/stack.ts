import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { subgraphUrlVariable } from '../../gateway/config.js';
import { subgraphNames, subgraphPortVariable, type SubgraphName } from '../../platform/config.js';
import { OwnRedis } from '../../test/support/redis.js';
import { TcpProxy, throughProxy } from '../../test/support/tcp-proxy.js';
import type { productionSecrets } from '../support/secrets.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A project command in a process of its own (`node --import tsx SCRIPT ARGS`),
 * ready once its stderr shows `readyLine`; what it printed last is kept for
 * the error message if it dies first.
 */
export class ManagedProcess {
  #child: ChildProcess | undefined;
  #output = '';

  constructor(
    readonly label: string,
    private readonly script: string,
    private readonly args: readonly string[],
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly readyLine: RegExp,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts it and resolves with the first group of its ready line. */
  async start(timeoutMs = 600_000): Promise<string> {
    this.#output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', this.script, ...this.args], {
      cwd: root,
      env: { ...process.env, ...this.env() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label} was not ready within ${timeoutMs} ms:\n${this.#output}`)), timeoutMs);
      child.stderr!.on('data', (chunk: Buffer) => {
        this.#output = (this.#output + chunk.toString()).slice(-8_000);
        const match = this.readyLine.exec(this.#output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.label} exited (${code ?? signal}) before it was ready:\n${this.#output}`));
      });
    });
  }

  /** Sends `signal` and waits for the exit (SIGKILL after 15 s of waiting for a SIGTERM). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface SoakStackOptions {
  /** *_DATABASE_URL per agency and AUDIT_DATABASE_URL. */
  readonly databases: Record<string, string>;
  readonly secrets: ReturnType<typeof productionSecrets>;
  /** The subgraph whose connection can be slowed. */
  readonly slowable: SubgraphName;
}

/**
 * The system as deployed in pieces: each subgraph in its own process
 * (`npm run subgraph`), the gateway in its own (`npm start` with every
 * SUBGRAPH_*_URL set), a Redis of the soak's own, and TCP proxies in front of
 * the audit database and of one subgraph, so that faults can be injected.
 */
export class SoakStack {
  readonly redis: OwnRedis;
  readonly auditProxy: TcpProxy;
  readonly subgraphs = new Map<SubgraphName, { process: ManagedProcess; port: number; url: string }>();
  slowProxy: TcpProxy | undefined;
  gateway: ManagedProcess | undefined;
  gatewayUrl = '';

  private constructor(
    private readonly options: SoakStackOptions,
    redis: OwnRedis,
    auditProxy: TcpProxy,
  ) {
    this.redis = redis;
    this.auditProxy = auditProxy;
  }

  static async start(options: SoakStackOptions, say: (line: string) => void): Promise<SoakStack> {
    const redis = await OwnRedis.start();
    const audit = new URL(options.databases.AUDIT_DATABASE_URL!);
    const auditProxy = new TcpProxy({ host: audit.hostname, port: Number(audit.port || 5432) });
    await auditProxy.start();
    const stack = new SoakStack(options, redis, auditProxy);
    try {
      for (const name of subgraphNames) {
        say(`  starting subgraph ${name}`);
        await stack.#startSubgraph(name, 0);
      }
      const slow = stack.subgraphs.get(options.slowable)!;
      stack.slowProxy = new TcpProxy({ host: '127.0.0.1', port: slow.port });
      await stack.slowProxy.start();
      say('  starting the gateway');
      const gatewayEnvironment = stack.#gatewayEnvironment();
      stack.gateway = new ManagedProcess('gateway', 'scripts/start.ts', [], () => gatewayEnvironment, /gateway\s+(http:\/\/\S+\/graphql)/);
      stack.gatewayUrl = await stack.gateway.start();
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  async #startSubgraph(name: SubgraphName, port: number): Promise<void> {
    // A restart asks for the port the gateway knows.
    const env = () => ({
      ...this.options.databases,
      GATEWAY_SIGNING_SECRET: this.options.secrets.signingSecret,
      [subgraphPortVariable(name)]: String(port),
    });
    const managed = new ManagedProcess(
      `subgraph ${name}`,
      'scripts/subgraph.ts',
      [name],
      env,
      new RegExp(`^subgraph ${name} (http://\\S+)$`, 'm'),
    );
    const url = await managed.start();
    this.subgraphs.set(name, { process: managed, port: Number(new URL(url).port), url });
  }

  #gatewayEnvironment(): Record<string, string> {
    const subgraphUrls = Object.fromEntries(
      [...this.subgraphs].map(([name, { url }]) => [
        subgraphUrlVariable(name),
        name === this.options.slowable ? throughProxy(url, this.slowProxy!) : url,
      ]),
    );
    return {
      ...this.options.databases,
      ...subgraphUrls,
      AUDIT_DATABASE_URL: throughProxy(this.options.databases.AUDIT_DATABASE_URL!, this.auditProxy),
      REDIS_URL: this.redis.url,
      CACHE_PREFIX: `soak-${process.pid}`,
      ...this.options.secrets.environment,
      // One load generator on one address stands for many clients: the per-client limits are
      // raised out of its way, but still counted in Redis, so a Redis outage reaches them.
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_FAILURES_PER_MINUTE: '1000000',
      PORT: '0',
    };
  }

  /** kill -9 a subgraph; `restart` brings it back on the same port and resolves when it listens. */
  async killSubgraph(name: SubgraphName): Promise<void> {
    await this.subgraphs.get(name)!.process.stop('SIGKILL');
  }

  async restartSubgraph(name: SubgraphName): Promise<void> {
    await this.#startSubgraph(name, this.subgraphs.get(name)!.port);
  }

  /** Ends every connection to the agencies' databases but the caller's, as a database restart or failover does. */
  async terminateAgencyConnections(): Promise<number> {
    const names = Object.entries(this.options.databases)
      .filter(([variable]) => variable !== 'AUDIT_DATABASE_URL')
      .map(([, url]) => new URL(url).pathname.slice(1));
    const client = new pg.Client({ connectionString: this.options.databases.AUDIT_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ terminated: boolean }>(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
        [names],
      );
      return rows.filter((row) => row.terminated).length;
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    await Promise.all([...this.subgraphs.values()].map(({ process }) => process.stop()));
    await this.slowProxy?.stop();
    await this.auditProxy.stop();
    await this.redis.stop();
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JwtVerification } from '../../gateway/auth/config.js';
import { signToken, type TokenClaims } from '../../gateway/auth/jwt.js';
import { subgraphUrlVariable } from '../../gateway/config.js';
import { subgraphNames, subgraphPortVariable, type SubgraphName } from '../../platform/config.js';
import { Balancer } from './balancer.js';
import { createTopologyDatabases, type TopologyDatabases } from './databases.js';
import { Service } from './processes.js';
import { RedisCluster, requireRedisPrograms } from './redis-cluster.js';

/** The project's root: the nearest folder up with a package.json (this file runs from scripts/ or from dist/scripts/). */
function projectRoot(): string {
  for (let folder = import.meta.dirname; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`No package.json above ${import.meta.dirname}`);
  }
}

const root = projectRoot();
/** Starts a project command from the source in development, from the build in production (scripts/launch.mjs). */
const launcher = path.join(root, 'scripts', 'launch.mjs');

export interface TopologyOptions {
  /** Gateway replicas, each in its own process. */
  readonly gateways: number;
  /** Citizens the agency databases are seeded with. */
  readonly citizens: number;
  /** The PostgreSQL server to make the run's databases on (an administrator's URL). */
  readonly postgresUrl: string;
  /** Where the balancer listens; 0: any free port. */
  readonly port: number;
  /** More settings for every gateway replica (a test raises the rate limit, quiets the logs). */
  readonly gatewayEnvironment?: Readonly<Record<string, string>>;
  /** How long a process may take to be ready (ms). */
  readonly readyTimeoutMs?: number;
  readonly say?: (line: string) => void;
  /** Aborted (Ctrl-C): the start stops after its current step, and what it started is stopped. */
  readonly signal?: AbortSignal;
}

export interface GatewayReplica {
  readonly label: string;
  readonly service: Service;
  /** Its own /graphql, bypassing the balancer. */
  readonly url: string;
}

/** The secret-key token verification every replica shares, so a token one replica accepts the others accept. */
type SharedJwt = Extract<JwtVerification, { kind: 'secret' }>;

/**
 * The system deployed in pieces on this machine: each subgraph in its own
 * process, N gateway replicas each in its own, a three-node Redis Cluster
 * they share (cache, invalidation channel, rate-limit leases), one audit
 * database they all append to, PostgreSQL databases of the run's own for the
 * agencies, and a round-robin balancer in front. `npm run topology` and the
 * topology tests start it the same way.
 */
export class Topology {
  readonly gateways: GatewayReplica[] = [];
  readonly subgraphs = new Map<SubgraphName, { readonly service: Service; readonly url: string }>();
  redis: RedisCluster | undefined;
  databases: TopologyDatabases | undefined;
  balancer: Balancer | undefined;
  /** What every gateway replica runs with (REDIS_URL, CACHE_PREFIX, AUDIT_DATABASE_URL, ...). */
  gatewayEnvironment: Record<string, string> = {};
  #stopped: Promise<void> | undefined;

  private constructor(
    readonly options: TopologyOptions,
    /** The run's files: the Redis nodes' and every process's log (logs/), removed at the end. */
    readonly directory: string,
    readonly jwt: SharedJwt,
    readonly signingSecret: string,
  ) {}

  /** CACHE_PREFIX of the run: its keys and channel never meet another run's. */
  get cachePrefix(): string {
    return `topology-${path.basename(this.directory)}`;
  }

  get logDirectory(): string {
    return path.join(this.directory, 'logs');
  }

  /** The balancer's /graphql: where clients go. */
  get url(): string {
    return `${this.balancer!.url}/graphql`;
  }

  static async start(options: TopologyOptions): Promise<Topology> {
    // Before anything is made: a machine without Redis hears so at once.
    await requireRedisPrograms();
    const directory = await mkdtemp(path.join(tmpdir(), 'topology-'));
    const jwt: SharedJwt = {
      kind: 'secret',
      secret: randomBytes(32).toString('base64url'),
      issuer: 'vn-gateway-topology',
      audience: 'vn-gateway',
      development: false,
    };
    const topology = new Topology(options, directory, jwt, randomBytes(32).toString('base64url'));
    try {
      await mkdir(topology.logDirectory);
      await topology.#start();
      return topology;
    } catch (error) {
      await topology.stop();
      throw error;
    }
  }

  async #start(): Promise<void> {
    const say = this.options.say ?? (() => undefined);
    say('Starting a three-node Redis Cluster and making the databases...');
    const [redis, databases] = await Promise.allSettled([
      RedisCluster.start(this.directory, this.logDirectory),
      createTopologyDatabases({ adminUrl: this.options.postgresUrl, citizens: this.options.citizens, say }),
    ]);
    if (redis.status === 'fulfilled') this.redis = redis.value;
    if (databases.status === 'fulfilled') this.databases = databases.value;
    if (redis.status === 'rejected') throw redis.reason;
    if (databases.status === 'rejected') throw databases.reason;

    this.options.signal?.throwIfAborted();
    say(`Starting the subgraphs, each in its own process: ${subgraphNames.join(', ')}...`);
    await Promise.all(subgraphNames.map((name) => this.#startSubgraph(name)));
    this.gatewayEnvironment = {
      ...this.databases!.environment,
      ...Object.fromEntries([...this.subgraphs].map(([name, { url }]) => [subgraphUrlVariable(name), url])),
      DEPLOYMENT: 'development',
      AUTH_JWT_SECRET: this.jwt.secret,
      AUTH_JWT_ISSUER: this.jwt.issuer,
      AUTH_JWT_AUDIENCE: this.jwt.audience,
      GATEWAY_SIGNING_SECRET: this.signingSecret,
      REDIS_URL: this.redis!.url,
      CACHE_PREFIX: this.cachePrefix,
      RATE_LIMIT_REPLICAS: String(this.options.gateways),
      DRAIN_TIMEOUT_MS: '5000',
      // The balancer probes /readyz each second (2 s at most per probe): the listener stays open past that.
      DRAIN_DELAY_MS: '3000',
      DATA_DIR: path.join(this.directory, 'data'),
      PORT: '0',
      ...this.options.gatewayEnvironment,
    };
    this.options.signal?.throwIfAborted();
    say(`Starting ${this.options.gateways} gateway replicas, each in its own process...`);
    await Promise.all(Array.from({ length: this.options.gateways }, (_, index) => this.#startGateway(index + 1)));
    this.options.signal?.throwIfAborted();
    this.balancer = new Balancer(this.gateways.map((gateway) => gateway.url));
    await this.balancer.start({ port: this.options.port });
  }

  #service(label: string, file: string, args: readonly string[], env: Record<string, string>, readyLine: RegExp): Service {
    return new Service({
      label,
      command: process.execPath,
      args: [launcher, ...args],
      cwd: root,
      env: { ...process.env, ...env },
      logFile: path.join(this.logDirectory, `${file}.log`),
      readyLine,
      readyTimeoutMs: this.options.readyTimeoutMs ?? 180_000,
    });
  }

  async #startSubgraph(name: SubgraphName): Promise<void> {
    const service = this.#service(
      `subgraph ${name}`,
      `subgraph-${name}`,
      ['subgraph', name],
      {
        ...this.databases!.environment,
        GATEWAY_SIGNING_SECRET: this.signingSecret,
        // A subgraph that refreshes its counts tells the gateways' caches, as in a deployment.
        REDIS_URL: this.redis!.url,
        CACHE_PREFIX: this.cachePrefix,
        [subgraphPortVariable(name)]: '0',
        DATA_DIR: path.join(this.directory, 'data'),
      },
      new RegExp(`^subgraph ${name} (http://\\S+)$`, 'm'),
    );
    this.subgraphs.set(name, { service, url: '' });
    this.subgraphs.set(name, { service, url: await service.ready });
  }

  #gatewayService(number: number, port: string): Service {
    return this.#service(
      `gateway ${number}`,
      `gateway-${number}`,
      ['start'],
      { ...this.gatewayEnvironment, PORT: port },
      /gateway\s+(http:\/\/\S+\/graphql)/,
    );
  }

  async #startGateway(number: number): Promise<void> {
    const placeholder = { label: `gateway ${number}`, service: this.#gatewayService(number, '0'), url: '' };
    this.gateways.push(placeholder);
    const url = await placeholder.service.ready;
    this.gateways[this.gateways.indexOf(placeholder)] = { ...placeholder, url };
  }

  /** Starts a replica that died or was stopped again, on its port: the balancer takes it back once its /readyz says 200. */
  async restartGateway(index: number): Promise<void> {
    const replica = this.gateways[index]!;
    if (replica.service.running) throw new Error(`${replica.label} is still running`);
    const service = this.#gatewayService(index + 1, new URL(replica.url).port);
    this.gateways[index] = { ...replica, service };
    await service.ready;
  }

  /** A token every replica accepts: the demo analyst's by default (as `npm start` prints in development). */
  token(claims: TokenClaims, lifetimeSeconds = 8 * 3_600): Promise<string> {
    return signToken(this.jwt, claims, lifetimeSeconds);
  }

  /** Stops everything, in order (balancer, gateways, subgraphs, Redis), drops the databases and removes the run's files. */
  stop(): Promise<void> {
    const say = this.options.say ?? (() => undefined);
    const timed = async (what: string, work: () => Promise<unknown>) => {
      const startedAt = performance.now();
      await work();
      say(`  ${what} (${Math.round(performance.now() - startedAt)} ms)`);
    };
    this.#stopped ??= (async () => {
      await this.balancer?.stop();
      await timed('gateway replicas drained and stopped', () => Promise.all(this.gateways.map(({ service }) => service.stop())));
      await timed('subgraphs stopped', () => Promise.all([...this.subgraphs.values()].map(({ service }) => service.stop())));
      await timed('Redis Cluster stopped', async () => this.redis?.stop());
      await timed('databases dropped', async () => this.databases?.drop());
      await rm(this.directory, { recursive: true, force: true });
    })();
    return this.#stopped;
  }
}

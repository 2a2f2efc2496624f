import { developmentDisclosureSecret, type SubgraphName } from '../../platform/config.js';
import { TcpProxy, throughProxy } from './tcp-proxy.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import type { CacheStore } from '../../gateway/cache/store.js';
import { startSystem, type RunningSystem } from '../../scripts/system.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server.js';
import { readSupergraph } from '../../gateway/supergraph.js';
import { findExampleData } from '../../scripts/start/example-data.js';
import { openSharedDatabases, openSharedDatabasesForSubgraphs } from './shared-dataset.js';
import type { TestDatabases } from './databases.js';
import { allScopes, createTestSecurity, type TestSecurity } from './security.js';

export interface GraphQLAnswer<Data = Record<string, unknown>> {
  readonly status: number;
  readonly headers?: Headers;
  readonly data?: Data | null;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** POSTs a GraphQL operation and returns the parsed answer with its HTTP status. */
export async function post<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

/** Headers of a caller with a bearer token and a declared purpose. */
export const bearer = (token: string, purpose = 'public-service'): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'x-purpose': purpose,
});

export interface TestSystem {
  readonly system: RunningSystem;
  /** The databases as tests read them (sources under the earlier names too, writable for test data). */
  readonly databases: AgencyDatabases;
  /** The databases as the subgraphs read them: on PostgreSQL, sources as a SELECT-only role. */
  readonly subgraphDatabases: AgencyDatabases;
  /** A living citizen of the shared dataset who is a serving civil servant with a health record. */
  readonly pin: string;
  readonly security: TestSecurity;
  /** Headers of an analyst holding every scope, with a purpose. */
  readonly analyst: Record<string, string>;
  /** As an analyst holding every scope, for the purpose public-service. */
  query<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<Data>>;
  /** With these headers only (none: an anonymous caller). */
  queryAs<Data = Record<string, unknown>>(
    headers: Record<string, string>,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer<Data>>;
  stop(): Promise<void>;
}

/** The real subgraphs and gateway on free ports, over the shared dataset on the PostgreSQL server. */
export interface TestSystemOptions {
  readonly disclosureMinimum?: number;
  /** The secret the published counts' noise is keyed with; the development one by default. */
  readonly disclosureSecret?: string;
  /**
   * Databases to serve (closed by stop); the shared dataset by default. Test
   * databases (openTestDatabases) are served as subgraphs see them in a
   * deployment: sources through a role that may only SELECT the contract.
   */
  readonly databases?: AgencyDatabases;
  /** Subgraphs connect with the databases' own handles, not as the SELECT-only role (tests about something else that need it). */
  readonly sourcesAsOwner?: boolean;
  readonly onQueryPlan?: (plan: unknown) => void;
  readonly cache?: {
    readonly store: CacheStore;
    readonly keyPrefix: string;
    readonly localSeconds?: number;
    readonly staleSeconds?: number;
  };
  /** Security settings (environment variables as the gateway reads them), or a security already made. */
  readonly securityEnvironment?: NodeJS.ProcessEnv;
  readonly security?: TestSecurity;
  /** The gateway's deadline for each subgraph fetch; a patient one by default (see patientSubgraphTimeoutMs). */
  readonly subgraphTimeoutMs?: number;
}

/**
 * The subgraph deadline of test systems whose tests are not about deadlines:
 * 10 s (the default) fired for a commune-level indicator query on a two-core
 * machine running other heavy jobs, in a flake hunt.
 */
export const patientSubgraphTimeoutMs = 60_000;

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const databases = options.databases ?? (await openSharedDatabases());
  const forSubgraphs = (databases as Partial<TestDatabases>).openForSubgraphs;
  const subgraphDatabases = options.sourcesAsOwner
    ? databases
    : options.databases
      ? forSubgraphs
        ? await forSubgraphs()
        : databases
      : await openSharedDatabasesForSubgraphs();
  const security =
    options.security ??
    (await createTestSecurity({ ...(options.securityEnvironment ? { environment: options.securityEnvironment } : {}) }));
  const analyst = bearer(await security.token({ scopes: allScopes }, 3_600));
  const system = await startSystem({
    databases: subgraphDatabases,
    host: '127.0.0.1',
    gatewayPort: 0,
    subgraphPorts: { population: 0, 'civil-service': 0, agriculture: 0, health: 0, indicators: 0 },
    settings: {
      disclosureMinimum: options.disclosureMinimum ?? 10,
      disclosureSecret: options.disclosureSecret ?? developmentDisclosureSecret,
    },
    supergraphSdl: readSupergraph(),
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? patientSubgraphTimeoutMs,
    ...(options.onQueryPlan ? { onQueryPlan: options.onQueryPlan } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    security: security.security,
  });
  return {
    system,
    databases,
    subgraphDatabases,
    pin: (await findExampleData(databases, { withPin: true })).pin ?? '',
    security,
    analyst,
    query: (query, variables) => post(system.gateway.url, query, variables, analyst),
    queryAs: (headers, query, variables) => post(system.gateway.url, query, variables, headers),
    stop: async () => {
      await system.stop();
      if (subgraphDatabases !== databases) await subgraphDatabases.close();
      await databases.close();
      if (!options.security) await security.close();
    },
  };
}

/** The URLs of the test system's own subgraphs, by name. */
export function subgraphUrlsOf(test: TestSystem): Record<string, string> {
  return Object.fromEntries([...test.system.subgraphs].map(([name, server]) => [name, server.url]));
}

/**
 * Another gateway in front of the same subgraphs, as a second replica behind a
 * load balancer would be: on a free port, with the test system's security unless
 * given its own; `subgraphUrls` replaces some of the subgraphs' addresses.
 */
export function startReplica(
  test: TestSystem,
  options: Partial<Omit<GatewayOptions, 'port' | 'host' | 'supergraphSdl'>> = {},
): Promise<RunningGateway> {
  return startGateway({
    port: 0,
    host: '127.0.0.1',
    supergraphSdl: readSupergraph(),
    security: test.security.security,
    subgraphTimeoutMs: patientSubgraphTimeoutMs,
    ...options,
    subgraphUrls: { ...subgraphUrlsOf(test), ...options.subgraphUrls },
  });
}

/** Retries `check` until it holds (messages between replicas take a moment), failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP proxy in front of one of the test system's subgraphs, and the URL that reaches the subgraph through it. */
export async function proxySubgraph(test: TestSystem, name: SubgraphName): Promise<{ proxy: TcpProxy; url: string }> {
  const subgraph = test.system.subgraphs.get(name)!;
  const proxy = new TcpProxy({ host: '127.0.0.1', port: subgraph.port });
  await proxy.start();
  return { proxy, url: throughProxy(subgraph.url, proxy) };
}

/** Another gateway of the test system whose way to one subgraph goes through a TCP proxy, and that proxy. */
export async function replicaBehindProxy(
  test: TestSystem,
  name: SubgraphName,
  options: Partial<Omit<GatewayOptions, 'port' | 'host' | 'supergraphSdl'>> = {},
): Promise<{ proxy: TcpProxy; gateway: RunningGateway }> {
  const { proxy, url } = await proxySubgraph(test, name);
  const gateway = await startReplica(test, { ...options, subgraphUrls: { ...options.subgraphUrls, [name]: url } });
  return { proxy, gateway };
}

/**
 * Security of its own for another gateway of the test system, with other
 * settings: the same audit database, and the signing secret its subgraphs know.
 */
export function securityBeside(
  test: TestSystem,
  environment: NodeJS.ProcessEnv,
  options: { readonly keyPrefix?: string } = {},
): Promise<TestSecurity> {
  return createTestSecurity({
    database: test.security.database,
    ...options,
    environment: { ...environment, GATEWAY_SIGNING_SECRET: test.security.config.signingSecret },
  });
}

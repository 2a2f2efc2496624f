import { parse } from 'graphql';
import { personalTypes, readAccessRules } from '../platform/access/rules.js';
import { listen, type RunningServer } from '../platform/listen.js';
import { startApollo } from './apollo.js';
import { createCaches, type CacheOptions } from './cache/index.js';
import { CacheStatistics } from './cache/store.js';
import type { ExampleData } from './explorer/examples.js';
import { createExplorer } from './explorer/index.js';
import { createSubgraphHealth } from './health.js';
import { createMetrics } from './metrics.js';
import { createProbes } from './probes.js';
import { createAdmission } from './routes/admission.js';
import { auditRecordsPath, createAuditRecordsRoute } from './routes/audit-records.js';
import { cacheAdminPath, createCacheAdminRoute } from './routes/cache-admin.js';
import { createDashboardRoutes } from './routes/dashboard.js';
import { createExportRoutes } from './routes/export.js';
import { createGraphqlRoute, createOperationRunner, graphqlPath } from './routes/graphql.js';
import { createRouter, toExplorer, type Route } from './routes/index.js';
import { createMetricsRoute, metricsPath } from './routes/metrics.js';
import { createProbeRoutes } from './routes/probes.js';
import type { GatewaySecurity } from './security.js';

export interface GatewayOptions {
  readonly port: number;
  readonly host: string;
  /** The composed supergraph (schema/supergraph.graphql): no introspection of subgraphs at start-up. */
  readonly supergraphSdl: string;
  /** Addresses that replace the supergraph's, by subgraph name. */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  /** What the explorer's example operations ask about. */
  readonly examples?: ExampleData;
  /** Called with each query plan the gateway makes (tests and diagnostics). */
  readonly onQueryPlan?: (plan: unknown) => void;
  /** Where answers are cached, under which key prefix; none: no cache. */
  readonly cache?: CacheOptions;
  /** Cache hits, misses and errors per layer. */
  readonly statistics?: CacheStatistics;
  /** Authentication, access rules, purposes, limits, signing and the audit trail. */
  readonly security: GatewaySecurity;
  /** Deadline of each subgraph fetch (ms; SUBGRAPH_TIMEOUT_MS); none: the default 10 s. */
  readonly subgraphTimeoutMs?: number;
  /** A circuit breaker in front of each subgraph, reset after this long (ms); none or 0: no breaker. */
  readonly breakerResetMs?: number;
  /** How long requests under way may take to finish when the gateway stops (ms); default 25 s. */
  readonly drainTimeoutMs?: number;
  /** How long the gateway keeps taking connections after /readyz turns 503, before refusing them (ms); default 0. */
  readonly drainDelayMs?: number;
}

export interface RunningGateway extends RunningServer {
  readonly subgraphUrls: ReadonlyMap<string, string>;
  readonly statistics: CacheStatistics;
}

/** The gateway: its caches, Apollo with its plugins, and the routes of its HTTP server. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { security, supergraphSdl } = options;
  const statistics = options.statistics ?? new CacheStatistics();
  const accessRules = readAccessRules(parse(supergraphSdl));
  const metrics = createMetrics(statistics);
  const caches = options.cache
    ? await createCaches(options.cache, { statistics, supergraphSdl, personalTypes: personalTypes(accessRules) })
    : undefined;
  const apollo = await startApollo({
    supergraphSdl,
    security,
    accessRules,
    metrics,
    ...(caches ? { caches } : {}),
    ...(options.subgraphUrls ? { subgraphUrls: options.subgraphUrls } : {}),
    ...(options.onQueryPlan ? { onQueryPlan: options.onQueryPlan } : {}),
    ...(options.subgraphTimeoutMs === undefined ? {} : { subgraphTimeoutMs: options.subgraphTimeoutMs }),
    ...(options.breakerResetMs ? { breakerResetMs: options.breakerResetMs } : {}),
  });

  const admit = createAdmission(security);
  const probes = createProbes({ auditDatabase: security.database });
  const subgraphHealth = createSubgraphHealth(apollo.subgraphUrls, apollo.circuits);
  const runOperation = createOperationRunner({
    apollo: apollo.server,
    security,
    admit,
    metrics,
    ...(caches ? { responseCache: caches.response } : {}),
  });
  const graphql = createGraphqlRoute({ apollo: apollo.server, security, admit, metrics }, runOperation);
  const cacheAdmin = caches
    ? createCacheAdminRoute({
        invalidation: caches.invalidation,
        supergraphSdl,
        subgraphNames: [...apollo.subgraphUrls.keys()],
        admit,
        maximumBodyBytes: security.maximumBodyBytes,
      })
    : undefined;
  const routes = new Map<string, Route>([
    [graphqlPath, graphql],
    ...(cacheAdmin ? [[cacheAdminPath, cacheAdmin] as const] : []),
    [auditRecordsPath, createAuditRecordsRoute({ database: security.database, trail: security.auditTrail, admit })],
    [metricsPath, createMetricsRoute(metrics)],
    // CSV and SDMX-JSON tables for analysts: GraphQL operations through the same pipeline.
    ...createExportRoutes(runOperation),
    ...createProbeRoutes({ probes, subgraphHealth }),
    ...createDashboardRoutes(),
    ['/', toExplorer],
  ]);
  const explorer = createExplorer({ endpoint: graphqlPath, examples: options.examples ?? {} });

  const server = await listen(createRouter(routes, explorer), {
    port: options.port,
    host: options.host,
    path: graphqlPath,
    onDrain: () => probes.drain(),
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
    ...(options.drainDelayMs === undefined ? {} : { drainDelayMs: options.drainDelayMs }),
    onStop: () => apollo.stop(),
  });
  return { ...server, subgraphUrls: apollo.subgraphUrls, statistics };
}

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { accessPlugin } from '../platform/access/plugin.js';
import type { AccessRules } from '../platform/access/rules.js';
import { formatError } from '../platform/graphql-errors.js';
import type { Caches } from './cache/index.js';
import type { GatewayContext } from './context.js';
import { SubgraphDataSource } from './data-source.js';
import type { Metrics } from './metrics.js';
import { createOperationLimits } from './operation-limits.js';
import { auditPlugin } from './plugins/audit.js';
import { demandControlPlugin } from './plugins/demand-control.js';
import { metricsPlugin } from './plugins/metrics.js';
import { queryPlanPlugin } from './plugins/query-plan.js';
import { responseCachePlugin } from './plugins/response-cache.js';
import { resultSizeLimitPlugin } from './plugins/result-size.js';
import { graphqlOverHttpPlugin } from './plugins/graphql-over-http.js';
import { trustedDocumentsPlugin } from './plugins/trusted-documents.js';
import { requestLogPlugin } from './plugins/request-log.js';
import type { TrustedDocuments } from './trusted-documents.js';
import { runnableOperationPlugin } from './plugins/runnable-operation.js';
import type { GatewaySecurity } from './security.js';
import type { CircuitState } from './subgraph-breaker.js';
import { supergraphForPlanner } from './supergraph.js';

// @apollo/gateway's telemetry probes cloud metadata addresses and reports to Apollo; its constructor reads only this variable.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

export interface ApolloOptions {
  readonly supergraphSdl: string;
  /** Addresses that replace the supergraph's, by subgraph name. */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  /** Called with each query plan the gateway makes (tests and diagnostics). */
  readonly onQueryPlan?: (plan: unknown) => void;
  readonly security: GatewaySecurity;
  readonly accessRules: AccessRules;
  readonly metrics: Metrics;
  readonly caches?: Caches;
  /** Deadline of each subgraph fetch (ms); none: the data source's default. */
  readonly subgraphTimeoutMs?: number;
  /** A circuit breaker in front of each subgraph, reset after this long (ms); none or 0: no breaker. */
  readonly breakerResetMs?: number;
  /** The operations clients bound to trusted documents may run; none: the security's (shipped manifests and TRUSTED_DOCUMENTS). */
  readonly trustedDocuments?: TrustedDocuments;
}

export interface RunningApollo {
  readonly server: ApolloServer<GatewayContext>;
  /** Each subgraph's address, as the gateway calls it. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  /** Each subgraph's circuit as it is now. */
  circuits(): ReadonlyMap<string, CircuitState>;
  stop(): Promise<void>;
}

/**
 * @apollo/gateway over the supergraph, reaching each subgraph through
 * SubgraphDataSource, inside an Apollo Server with the gateway's plugins in
 * order; started, so the subgraphs are known when this resolves.
 */
export async function startApollo(options: ApolloOptions): Promise<RunningApollo> {
  const { security, metrics, caches } = options;
  const subgraphUrls = new Map<string, string>();
  const dataSources = new Map<string, SubgraphDataSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForPlanner(options.supergraphSdl),
    // Shown only to holders of gateway:admin (plugins/query-plan.ts removes the header for others), whatever NODE_ENV says.
    __exposeQueryPlanExperimental: true,
    // Its spans (validate, plan, execute, fetch) carry the operation's name and type only: a document may hold a
    // PIN as a literal, an error message may quote one, and spans leave the process (docs/observability.md).
    telemetry: { includeDocument: false, recordExceptions: false },
    buildService: ({ name, url }) => {
      const address = options.subgraphUrls?.[name] ?? url;
      if (!address) throw new Error(`The supergraph gives no URL for subgraph ${name}`);
      subgraphUrls.set(name, address);
      const dataSource = new SubgraphDataSource({
        name,
        url: address,
        signingSecret: security.signingSecret,
        onFetch: metrics.observeFetch,
        ...(caches ? { entityCache: caches.entity } : {}),
        ...(options.subgraphTimeoutMs === undefined ? {} : { timeoutMs: options.subgraphTimeoutMs }),
        resultObjectLimit: security.resultObjects,
        ...(options.breakerResetMs ? { breaker: { resetMs: options.breakerResetMs } } : {}),
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
    ...(options.onQueryPlan
      ? { experimental_didResolveQueryPlan: ({ queryPlan }: { queryPlan: unknown }) => options.onQueryPlan!(queryPlan) }
      : {}),
  });
  const limits = createOperationLimits(security.limits);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatError('the gateway'),
    includeStacktraceInErrorResponses: false,
    // Introspection is decided per caller by the access plugin (schema:read, or development).
    introspection: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // The process owner (scripts/cli.ts) handles SIGINT/SIGTERM and stops servers in order.
    stopOnTerminationSignals: false,
    // Apollo's CSRF prevention refuses "simple" requests (a GET with no preflight header) because a browser
    // sends cookies with them. This gateway reads no cookie or other ambient credential: a token or API key
    // travels in a header no other site can make a browser send without a CORS preflight (gateway/cors.ts),
    // so a forged simple request is an anonymous one, which may read only what anyone may (public
    // aggregates), and GET runs queries only. Off, GET queries work as the GraphQL over HTTP spec says.
    csrfPrevention: false,
    plugins: [
      // Spec status codes: request errors are 200 under application/json.
      graphqlOverHttpPlugin(),
      // Apollo's default landing page loads from a CDN; the explorer (routes) is served locally.
      ApolloServerPluginLandingPageDisabled(),
      ...limits.plugins,
      runnableOperationPlugin(),
      queryPlanPlugin(),
      // Before the audit trail and the cache see the answer: one that outgrew its limit is neither recorded nor kept.
      resultSizeLimitPlugin({ limit: security.resultObjects, onProduced: metrics.observeProducedObjects }),
      // Priced before anything is planned.
      demandControlPlugin<GatewayContext>({
        supergraphSdl: options.supergraphSdl,
        budgets: security.demandControl,
        defaultListSize: security.demandControl.listSize,
        onEstimate: metrics.observeEstimatedCost,
      }),
      // Before access: a client bound to trusted documents is refused anything else, whatever its scopes.
      trustedDocumentsPlugin<GatewayContext>(options.trustedDocuments ?? security.trustedDocuments),
      accessPlugin<GatewayContext>({
        rules: options.accessRules,
        purposes: security.purposes,
        introspectionForAll: security.introspectionForAll,
      }),
      auditPlugin(security.auditTrail),
      ...(caches ? [responseCachePlugin()] : []),
      metricsPlugin(metrics),
      requestLogPlugin<GatewayContext>(),
    ],
    ...(caches ? { persistedQueries: { cache: caches.persistedQueries, ttl: 86_400 } } : {}),
  });
  await server.start();
  return {
    server,
    subgraphUrls,
    circuits: () => new Map([...dataSources].map(([name, dataSource]) => [name, dataSource.circuit])),
    stop: async () => {
      await server.stop();
      for (const dataSource of dataSources.values()) dataSource.shutdown();
    },
  };
}

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatError } from '../platform/graphql-errors.js';
import { executeGraphQL, failed, readRequestBody, sendError, sendJson, writeAnswer, type HttpAnswer } from '../platform/http.js';
import { AppError, ErrorCode } from '../platform/errors.js';
import { scopeKey, type Caller } from '../platform/access/caller.js';
import { accessPlugin } from '../platform/access/plugin.js';
import { personalTypes, readAccessRules } from '../platform/access/rules.js';
import { parse } from 'graphql';
import { carriesCredentials, rateLimitKey } from './auth/authenticate.js';
import { auditRecordsApi, auditRecordsPath } from './audit/api.js';
import { auditPlugin } from './plugins/audit.js';
import { createOperationLimits } from './operation-limits.js';
import { runnableOperationPlugin } from './plugins/runnable-operation.js';
import { demandControlPlugin } from './plugins/demand-control.js';
import { documentTooLarge, registersPersistedQuery } from './document-limit.js';
import { withDeadline } from './request-deadline.js';
import { resultSizeLimitPlugin } from './plugins/result-size.js';
import { queryPlanPlugin, wantsQueryPlan } from './plugins/query-plan.js';
import { createMetrics } from './metrics.js';
import { metricsPlugin } from './plugins/metrics.js';
import type { GatewaySecurity } from './security.js';
import { createInvalidation, entityKeyFields } from './cache/invalidation.js';
import { persistedQueryPrefix } from './cache/keys.js';
import { createEntityCache } from './cache/entity-cache.js';
import { cacheAdmin, cacheAdminPath } from './routes/cache-admin.js';
import { CacheStatistics, resilient, type CacheStore } from './cache/store.js';
import { newGatewayContext, type GatewayContext } from './context.js';
import { createResponseCache } from './cache/response-cache.js';
import { responseCachePlugin } from './plugins/response-cache.js';
import { keyValueCache } from './cache/key-value-cache.js';
import { listen, type RunningServer } from '../platform/listen.js';
import { SubgraphDataSource } from './data-source.js';
import { createExplorer } from './explorer/index.js';
import type { ExampleData } from './explorer/examples.js';
import { monitorSubgraphs } from './health.js';
import { createCors } from './cors.js';
import { createProbes } from './probes.js';
import { requestIdHeader, requestIdOf } from './request-id.js';
import { supergraphForPlanner } from './supergraph.js';

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
  /** localSeconds: how long the hottest answers stay in process (default 5). */
  readonly cache?: {
    readonly store: CacheStore;
    readonly keyPrefix: string;
    readonly localSeconds?: number;
    readonly staleSeconds?: number;
  };
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
}

export const graphqlPath = '/graphql';

export interface RunningGateway extends RunningServer {
  readonly subgraphUrls: ReadonlyMap<string, string>;
  readonly statistics: CacheStatistics;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // Unless this is set, @apollo/gateway probes cloud metadata addresses (AWS, GCP,
  // Azure, Alibaba) and reports usage to Apollo's servers: a national data gateway
  // sends nothing outside its own network.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const statistics = options.statistics ?? new CacheStatistics();
  const { security } = options;
  const accessRules = readAccessRules(parse(options.supergraphSdl));
  const metrics = createMetrics(statistics);
  const limits = createOperationLimits(security.limits);
  const cache = options.cache;
  // One store for every layer, its failures counted per layer.
  const store = cache ? resilient(cache.store, statistics, 'response') : undefined;
  const responseCache =
    store && cache
      ? createResponseCache({
          store,
          prefix: cache.keyPrefix,
          counters: statistics,
          ...(cache.localSeconds === undefined ? {} : { localSeconds: cache.localSeconds }),
          ...(cache.staleSeconds === undefined ? {} : { staleSeconds: cache.staleSeconds }),
        })
      : undefined;
  const entityCache = cache
    ? createEntityCache({
        store: resilient(cache.store, statistics, 'entity'),
        prefix: cache.keyPrefix,
        counters: statistics,
        keyFieldsOf: entityKeyFields(options.supergraphSdl),
        personalTypes: personalTypes(accessRules),
      })
    : undefined;
  const invalidation =
    store && cache && responseCache
      ? createInvalidation({
          stores: { response: store, entity: resilient(cache.store, statistics, 'entity') },
          keyPrefix: cache.keyPrefix,
          supergraphSdl: options.supergraphSdl,
          forgetLocal: () => responseCache.forgetLocal(),
        })
      : undefined;
  // Every replica drops what another (or a tool) says has changed.
  await invalidation?.subscribe();

  const subgraphUrls = new Map<string, string>();
  const dataSources = new Map<string, SubgraphDataSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForPlanner(options.supergraphSdl),
    // Shown only to holders of gateway:admin (plugins/query-plan.ts removes the header for others), whatever NODE_ENV says.
    __exposeQueryPlanExperimental: true,
    buildService: ({ name, url }) => {
      const address = options.subgraphUrls?.[name] ?? url;
      if (!address) throw new Error(`The supergraph gives no URL for subgraph ${name}`);
      subgraphUrls.set(name, address);
      const dataSource = new SubgraphDataSource({
        name,
        url: address,
        signingSecret: security.signingSecret,
        onFetch: metrics.observeFetch,
        ...(entityCache ? { entityCache } : {}),
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
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatError('the gateway'),
    includeStacktraceInErrorResponses: false,
    // Introspection is decided per caller by the access plugin (schema:read, or development).
    introspection: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // The process owner (scripts/cli.ts) handles SIGINT/SIGTERM and stops servers in order.
    stopOnTerminationSignals: false,
    // Apollo's default landing page loads from a CDN; the explorer below is served locally.
    // In order: limits, query plans for admins only, the result-size limit, demand control (priced before planning),
    // access (scopes, purpose), audit trail, response cache bookkeeping, metrics.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...limits.plugins,
      runnableOperationPlugin(),
      queryPlanPlugin(),
      // Before the audit trail and the cache see the answer: one that outgrew its limit is neither recorded nor kept.
      resultSizeLimitPlugin({ limit: security.resultObjects, onProduced: metrics.observeProducedObjects }),
      demandControlPlugin<GatewayContext>({
        supergraphSdl: options.supergraphSdl,
        budgets: security.demandControl,
        defaultListSize: security.demandControl.listSize,
        onEstimate: metrics.observeEstimatedCost,
      }),
      accessPlugin<GatewayContext>({ rules: accessRules, purposes: security.purposes, introspectionForAll: security.introspectionForAll }),
      auditPlugin(security.auditTrail),
      ...(responseCache ? [responseCachePlugin()] : []),
      metricsPlugin(metrics),
    ],
    // Automatic persisted queries in the shared store, so every replica knows a hash one has learned.
    ...(cache
      ? {
          persistedQueries: {
            cache: keyValueCache(resilient(cache.store, statistics, 'apq'), persistedQueryPrefix(cache.keyPrefix)),
            ttl: 86_400,
          },
        }
      : {}),
  });
  await apollo.start();
  /**
   * Who is asking, and whether they may ask now; on refusal the answer is written and undefined returned.
   * A request that registers a persisted query counts twice: it leaves something behind in the store.
   */
  const admit = async (request: IncomingMessage, response: ServerResponse, body?: unknown): Promise<Caller | undefined> => {
    const address = request.socket.remoteAddress ?? 'unknown';
    try {
      if (carriesCredentials(request)) security.authFailures?.check(address);
      const caller = await security.authenticate(request).catch(async (error: unknown) => {
        if (error instanceof AppError && error.code === ErrorCode.UNAUTHENTICATED) await security.authFailures?.failed(address);
        throw error;
      });
      await security.rateLimiter?.consume(rateLimitKey(caller, request));
      if (registersPersistedQuery(body)) await security.rateLimiter?.consume(rateLimitKey(caller, request));
      return caller;
    } catch (error) {
      const refusal =
        error instanceof AppError ? error : new AppError(ErrorCode.UNAUTHENTICATED, 'The credentials cannot be checked', { cause: error });
      const retryAfter = refusal.extensions.retryAfterSeconds;
      sendError(response, refusal, retryAfter === undefined ? [] : [['retry-after', String(retryAfter)]]);
      return undefined;
    }
  };
  const graphql = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    let cacheOutcome: 'hit' | 'miss' | 'none' = 'none';
    response.once('finish', () =>
      metrics.observeRequest({ status: response.statusCode, cache: cacheOutcome, seconds: (performance.now() - started) / 1000 }),
    );
    const body = await readRequestBody(request, response, security.maximumBodyBytes);
    if (body === failed) return;
    const caller = await admit(request, response, body.value);
    if (!caller) return;
    const oversized = documentTooLarge(
      request.method,
      body.value,
      new URL(request.url ?? '/', 'http://localhost').searchParams,
      security.documentBytes,
    );
    if (oversized) return sendError(response, oversized);
    const execute = async () => {
      const context = newGatewayContext(caller);
      return { answer: await executeGraphQL(apollo, request, body.value, context), context };
    };
    // Callers with the same scopes may share answers: a hit was authorised for exactly these scopes.
    const key = wantsQueryPlan(request, caller.scopes) ? undefined : responseCache?.keyFor(request.method, body.value, scopeKey(caller));
    const answer = async (): Promise<[HttpAnswer, ReadonlyArray<readonly [string, string]>]> => {
      if (!responseCache || !key) return [(await execute()).answer, []];
      const found = await responseCache.answer(key, execute);
      cacheOutcome = found.age === undefined ? 'miss' : 'hit';
      if (found.age === undefined) return [found, [['x-cache', 'MISS']]];
      return [
        found,
        [
          ['age', String(found.age)],
          ['x-cache', found.stale ? 'STALE' : 'HIT'],
        ],
      ];
    };
    let answered: [HttpAnswer, ReadonlyArray<readonly [string, string]>];
    try {
      answered = await withDeadline(security.requestTimeoutMs, answer);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.REQUEST_TIMEOUT) return sendError(response, error);
      throw error;
    }
    writeAnswer(response, ...answered);
  };
  const admin = invalidation && cacheAdmin({ invalidation, supergraphSdl: options.supergraphSdl, subgraphNames: [...subgraphUrls.keys()] });
  const auditRecords = auditRecordsApi(security.database, security.auditTrail);
  const cors = createCors(security.corsOrigins);
  const probes = createProbes({ auditDatabase: security.database });
  const subgraphHealth = monitorSubgraphs(
    subgraphUrls,
    () => new Map([...dataSources].map(([name, dataSource]) => [name, dataSource.circuit])),
  );
  const explorer = createExplorer({ endpoint: graphqlPath, examples: options.examples ?? {} });

  const server = await listen(
    async (request, response) => {
      // On every answer, refusals included: the id the audit trail records a request under, which a client can quote.
      response.setHeader(requestIdHeader, requestIdOf(request));
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (explorer.handle(request, response, path)) return;
      if (path === graphqlPath) return cors.handle(request, response) ? undefined : graphql(request, response);
      if (path === cacheAdminPath && admin) {
        const body = await readRequestBody(request, response, security.maximumBodyBytes);
        const caller = body === failed ? undefined : await admit(request, response);
        if (body !== failed && caller) await admin(request, response, body.value, caller);
        return;
      }
      if (path === auditRecordsPath) {
        const caller = await admit(request, response);
        if (caller) await auditRecords(request, response, caller);
        return;
      }
      if (path === '/metrics') {
        const { contentType, text } = await metrics.exposition();
        response.writeHead(200, { 'content-type': contentType }).end(text);
        return;
      }
      if (path === '/livez') return sendJson(response, 200, { status: 'alive' });
      if (path === '/readyz') {
        const readiness = await probes.readiness();
        return sendJson(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', ...readiness.checks });
      }
      if (path === '/healthz') {
        const health = await subgraphHealth.report();
        return sendJson(response, health.healthy ? 200 : 503, { status: health.healthy ? 'ok' : 'degraded', ...health });
      }
      if (path === '/') {
        response.writeHead(302, { location: graphqlPath }).end();
        return;
      }
      sendJson(response, 404, { error: `No route ${path}; GraphQL and the explorer are at ${graphqlPath}` });
    },
    {
      port: options.port,
      host: options.host,
      path: graphqlPath,
      onDrain: () => probes.drain(),
      ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
      onStop: async () => {
        await apollo.stop();
        for (const dataSource of dataSources.values()) dataSource.shutdown();
      },
    },
  );
  return { ...server, subgraphUrls, statistics };
}

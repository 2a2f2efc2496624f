import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agency, SubgraphSettings } from '../../platform/config.js';
import type { SubgraphContext } from './context.js';
import type { Database } from '../../platform/database/database.js';
import { formatError } from '../../platform/graphql-errors.js';
import { executeGraphQL, failed, readRequestBody, sendError, sendJson, writeAnswer } from '../../platform/http.js';
import { listen, type RunningServer } from '../../platform/listen.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { callerHeader, decodeCaller } from '../../platform/access/caller.js';
import { signatureHeader, verifySignature } from '../../platform/access/signing.js';
import { accessPlugin } from '../../platform/access/plugin.js';
import { readAccessRules } from '../../platform/access/rules.js';
import { CacheHints, cachePolicyPlugin } from './cache-policy.js';
import { compiledExecution } from './compiled-execution.js';
import { log } from '../../platform/log.js';
import { activeTraceId, inSpan } from '../../platform/telemetry.js';

/** What a subgraph folder provides; the runtime does the rest. */
export interface SubgraphDefinition<Loaders> {
  readonly name: string;
  /** The agency whose database it reads; null for a subgraph without one. */
  readonly agency: Agency | null;
  /** Its SDL, schema/<name>.graphql. */
  readonly schemaFile: URL;
  /** Resolvers, typed by the subgraph's generated resolver types. */
  readonly resolvers: object;
  /** New DataLoaders for one request, over its agency's source and the store. */
  readonly createLoaders: (database: Database, settings: SubgraphSettings, store: Database) => Loaders;
}

export interface SubgraphOptions {
  /** Its agency's source (read-only); none for a subgraph without one. */
  readonly database?: Database;
  /** The project's store (counts, PIN checks, reference data); needed with a source. */
  readonly store?: Database;
  readonly settings: SubgraphSettings;
  readonly port: number;
  readonly host?: string;
  /** The secret the gateway signs its requests with (GATEWAY_SIGNING_SECRET). */
  readonly signingSecret: string;
}

export const subgraphPath = '/graphql';

export async function startSubgraph<Loaders>(definition: SubgraphDefinition<Loaders>, options: SubgraphOptions): Promise<RunningServer> {
  if (definition.agency && !options.database) throw new Error(`The ${definition.name} subgraph needs the ${definition.agency} database`);
  if (definition.agency && !options.store) throw new Error(`The ${definition.name} subgraph needs the store of counts beside its source`);
  const database = options.database ?? noDatabase(definition.name);
  const store = options.store ?? noDatabase(definition.name);
  const typeDefs = parse(readFileSync(definition.schemaFile, 'utf8'));
  const apollo = new ApolloServer<SubgraphContext<Loaders>>({
    // Only the gateway, which signs, reaches this server; it may introspect.
    introspection: true,
    gateway: compiledExecution(buildSubgraphSchema([{ typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }])),
    formatError: formatError(`the ${definition.name} subgraph`),
    includeStacktraceInErrorResponses: false,
    // The gateway reaches subgraphs with POST only; a subgraph has no landing page.
    csrfPrevention: true,
    // The process owner (scripts/cli.ts) handles SIGINT/SIGTERM and stops servers in order.
    stopOnTerminationSignals: false,
    // Traces would go to Apollo's cloud, which this deployment never reaches.
    // Access is checked again here, against this subgraph's own SDL, for the caller the gateway vouches for.
    // Cache-Control comes from the operation (cache-policy.ts), not from a hook around every resolver.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin(),
      accessPlugin({ rules: readAccessRules(typeDefs), introspectionForAll: true }),
    ],
  });
  await apollo.start();
  const graphql = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readRequestBody(request, response);
    if (body === failed) return;
    const forwarded = String(request.headers[callerHeader] ?? '');
    const check = verifySignature(options.signingSecret, request.headers[signatureHeader] as string | undefined, forwarded, body.text);
    const caller = check.valid ? decodeCaller(forwarded) : undefined;
    if (!caller) {
      return sendError(
        response,
        new AppError(
          ErrorCode.UNAUTHENTICATED,
          `The ${definition.name} subgraph refuses the request: ${check.valid ? `the ${callerHeader} header is malformed` : check.reason}`,
        ),
      );
    }
    const started = performance.now();
    const traceId = activeTraceId();
    response.once('close', () =>
      log.info(
        {
          requestId: caller.requestId,
          ...(traceId ? { traceId } : {}),
          subgraph: definition.name,
          status: response.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'subgraph request',
      ),
    );
    const context: SubgraphContext<Loaders> = {
      database,
      store,
      loaders: definition.createLoaders(database, options.settings, store),
      settings: options.settings,
      caller,
      access: {},
      cacheHints: new CacheHints(),
    };
    // Its own span: the statements it sends are its children, apart from the HTTP request around it.
    const { operationName } = (body.value ?? {}) as { operationName?: unknown };
    const attributes = {
      'subgraph.name': definition.name,
      ...(typeof operationName === 'string' ? { 'graphql.operation.name': operationName } : {}),
    };
    writeAnswer(response, await inSpan('subgraph.execute', attributes, () => executeGraphQL(apollo, request, body.value, context)));
  };
  // Probes, as the gateway's: /livez the process answers; /readyz it can serve (not draining, its source and
  // store answer); /healthz the same databases, for people.
  let draining = false;
  const databasesAnswer = async (): Promise<string | undefined> => {
    const answers = (database: Database | undefined) =>
      database
        ? database.query('SELECT 1').then(
            () => true,
            () => false,
          )
        : Promise.resolve(true);
    const [source, ownStore] = await Promise.all([answers(options.database), answers(options.store)]);
    return !source ? 'source database unavailable' : !ownStore ? 'store unavailable' : undefined;
  };
  return listen(
    async (request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === subgraphPath) return graphql(request, response);
      if (path === '/livez') return sendJson(response, 200, { subgraph: definition.name, status: 'ok' });
      if (path === '/readyz' || path === '/healthz') {
        const problem = path === '/readyz' && draining ? 'draining' : await databasesAnswer();
        return sendJson(response, problem ? 503 : 200, { subgraph: definition.name, status: problem ?? 'ok' });
      }
      sendJson(response, 404, { error: `No route ${path}; GraphQL is at ${subgraphPath}` });
    },
    {
      port: options.port,
      host: options.host ?? '127.0.0.1',
      path: subgraphPath,
      onDrain: () => {
        draining = true;
      },
      onStop: () => apollo.stop(),
    },
  );
}

/** Stands in for the database of a subgraph that has none: any use is a programming error. */
function noDatabase(subgraph: string): Database {
  const refuse = () => Promise.reject(new Error(`The ${subgraph} subgraph has no database`));
  return { driver: 'postgres', query: refuse, transaction: refuse, onStatement: () => () => undefined, close: () => Promise.resolve() };
}

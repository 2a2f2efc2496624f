import { developmentDisclosureSecret, type Agency } from '../../platform/config.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import type { RunningServer } from '../../platform/listen.js';
import { startSubgraph } from '../../subgraphs/runtime/server.js';
import { subgraphOf } from '../../subgraphs/index.js';
import { openSharedDatabasesForSubgraphs } from './shared-dataset.js';
import type { GraphQLAnswer } from './system.js';
import { encodeCaller, type Caller } from '../../platform/access/caller.js';
import { gatewayHeaders } from '../../platform/access/signing.js';
import { allScopes } from './security.js';

/** The secret test subgraphs share with the tests that call them as the gateway would. */
export const testSigningSecret = 'test-signing-secret-of-at-least-32-characters';

/** A caller holding every scope, as the gateway would forward it. */
export const trustedCaller: Caller = {
  subject: 'test-gateway-caller',
  agency: 'test',
  authenticated: true,
  scopes: new Set(allScopes),
  purpose: 'public-service',
  via: 'jwt',
  requestId: 'test-request',
};

/** POSTs an operation to a subgraph signed as the gateway signs, for `caller`. */
export async function signedPost<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  caller: Caller = trustedCaller,
  secret = testSigningSecret,
): Promise<GraphQLAnswer<Data>> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...gatewayHeaders(secret, encodeCaller(caller), body) },
    body,
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

export interface TestSubgraph {
  readonly server: RunningServer;
  readonly databases: AgencyDatabases;
  query<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<Data>>;
  /** The SQL statements the subgraph sends to its source and the store while `work` runs. */
  statementsDuring(work: () => Promise<unknown>): Promise<string[]>;
  stop(): Promise<void>;
}

/** One real subgraph alone on a free port, over the shared dataset, its source read as the SELECT-only role. */
export async function startTestSubgraph(name: Agency): Promise<TestSubgraph> {
  const databases = await openSharedDatabasesForSubgraphs();
  const server = await startSubgraph(subgraphOf(name).definition, {
    database: databases.get(name),
    store: databases.store,
    port: 0,
    settings: { disclosureMinimum: 10, disclosureSecret: developmentDisclosureSecret },
    signingSecret: testSigningSecret,
  });
  return {
    server,
    databases,
    query: (query, variables) => signedPost(server.url, query, variables),
    async statementsDuring(work) {
      const statements: string[] = [];
      const record = (text: string) => statements.push(text.replace(/\s+/g, ' ').trim());
      // Its source and the store (administrative units, counts, PIN checks) alike.
      const stops = [databases.get(name).onStatement(record), databases.store.onStatement(record)];
      try {
        await work();
      } finally {
        for (const stop of stops) stop();
      }
      return statements;
    },
    stop: async () => {
      await server.stop();
      await databases.close();
    },
  };
}

/** An `_entities` query for the gateway-style representations of one type. */
export function entitiesQuery(selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`;
}

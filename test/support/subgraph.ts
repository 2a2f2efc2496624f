import type { Agency } from '../../subgraphs/runtime/config.js';
import type { AgencyDatabases } from '../../subgraphs/runtime/open-databases.js';
import type { RunningServer } from '../../subgraphs/runtime/listen.js';
import { startSubgraph } from '../../subgraphs/runtime/server.js';
import { subgraphOf } from '../../subgraphs/index.js';
import { openSharedDatabases } from './shared-dataset.js';
import { post, type GraphQLAnswer } from './system.js';

export interface TestSubgraph {
  readonly server: RunningServer;
  readonly databases: AgencyDatabases;
  query<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<Data>>;
  /** The SQL statements the subgraph sends while `work` runs. */
  statementsDuring(work: () => Promise<unknown>): Promise<string[]>;
  stop(): Promise<void>;
}

/** One real subgraph alone on a free port, over the shared dataset. */
export async function startTestSubgraph(name: Agency): Promise<TestSubgraph> {
  const databases = await openSharedDatabases();
  const server = await startSubgraph(subgraphOf(name).definition, { database: databases.get(name), port: 0, settings: { disclosureMinimum: 10 } });
  return {
    server,
    databases,
    query: (query, variables) => post(server.url, query, variables),
    async statementsDuring(work) {
      const statements: string[] = [];
      const stop = databases.get(name).onStatement((text) => statements.push(text.replace(/\s+/g, ' ').trim()));
      try {
        await work();
      } finally {
        stop();
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

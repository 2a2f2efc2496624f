/**
 * A bare @apollo/gateway in @apollo/server's standalone server over the same
 * supergraph: what a user would start with. Nothing added but the subgraph
 * request signature the project's subgraphs require.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { readSupergraph, supergraphForPlanner } from '../../gateway/supergraph.js';
import { ready } from '../support/child.js';
import { signedHeaders } from './peer-signing.js';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const urls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS!) as Record<string, string>;
const gateway = new ApolloGateway({
  supergraphSdl: supergraphForPlanner(readSupergraph()),
  buildService: ({ name }) =>
    new RemoteGraphQLDataSource({
      url: urls[name]!,
      fetcher: (async (url: string, init: { headers?: Record<string, string>; body?: string }) =>
        fetch(url, {
          ...init,
          headers: { ...init.headers, ...signedHeaders(init.body ?? '') },
        })) as unknown as RemoteGraphQLDataSource['fetcher'],
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
ready({ url }, () => server.stop());

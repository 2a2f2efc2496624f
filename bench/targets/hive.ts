/**
 * Hive Gateway (its runtime, @graphql-hive/gateway-runtime) on node:http over
 * the same supergraph: the peer a user would pick instead. Nothing added but
 * the subgraph request signature the project's subgraphs require. With
 * BENCH_HIVE_PLANNER=rust it plans with its Rust query planner
 * (@graphql-hive/router-runtime) instead of its stitching runtime.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { readSupergraph, supergraphForPlanner } from '../../gateway/supergraph.js';
import { ready } from '../support/child.js';
import { signedHeaders } from './peer-signing.js';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

const urls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS!) as Record<string, string>;
// The subgraphs listen on ports of this run: the supergraph's addresses are replaced, as SUBGRAPH_<NAME>_URL does for ours.
let supergraph = supergraphForPlanner(readSupergraph());
for (const [name, url] of Object.entries(urls)) {
  supergraph = supergraph.replace(new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]+(")`), `$1${url}$2`);
}
const gateway = createGatewayRuntime({
  supergraph,
  // Errors only: the benchmark reports why a request failed.
  logging: 'error',
  ...(process.env.BENCH_HIVE_PLANNER === 'rust' ? { unifiedGraphHandler } : {}),
  plugins: () => [
    {
      onFetch({ options, setOptions }) {
        const headers = Object.fromEntries(new Headers(options.headers as HeadersInit).entries());
        setOptions({ ...options, headers: { ...headers, ...signedHeaders(String(options.body ?? '')) } });
      },
    },
  ],
});
const server = createServer(gateway);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
ready({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` }, async () => {
  server.close();
  await gateway.dispose();
});

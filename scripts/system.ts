import type { Agency } from '../subgraphs/runtime/config.js';
import type { AgencyDatabases } from '../subgraphs/runtime/open-databases.js';
import type { RunningServer } from '../subgraphs/runtime/listen.js';
import { startSubgraph } from '../subgraphs/runtime/server.js';
import { subgraphs } from '../subgraphs/index.js';
import { startGateway, type GatewayOptions } from '../gateway/server.js';

export interface SystemOptions {
  readonly databases: AgencyDatabases;
  readonly host: string;
  readonly gatewayPort: number;
  /** Port per local subgraph; 0 picks a free one. Defaults to each subgraph's own port. */
  readonly subgraphPorts?: Partial<Record<Agency, number>>;
  /** Subgraphs that run elsewhere, by URL: these are not started here. */
  readonly remoteSubgraphUrls?: Partial<Record<Agency, string>>;
  readonly supergraphSdl: string;
  readonly examples?: GatewayOptions['examples'];
}

export interface RunningSystem {
  readonly gateway: RunningServer;
  readonly subgraphs: ReadonlyMap<Agency, RunningServer>;
  stop(): Promise<void>;
}

/** Starts every local subgraph on its agency's database, then the gateway in front of them, in this process. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const running = new Map<Agency, RunningServer>();
  const stopSubgraphs = () => Promise.all([...running.values()].map((server) => server.stop())).then(() => undefined);
  try {
    for (const { definition, defaultPort } of subgraphs) {
      if (options.remoteSubgraphUrls?.[definition.name]) continue;
      const port = options.subgraphPorts?.[definition.name] ?? defaultPort;
      running.set(definition.name, await startSubgraph(definition, { database: options.databases.get(definition.name), port, host: options.host }));
    }
    const gateway = await startGateway({
      port: options.gatewayPort,
      host: options.host,
      supergraphSdl: options.supergraphSdl,
      subgraphUrls: { ...Object.fromEntries([...running].map(([name, server]) => [name, server.url])), ...options.remoteSubgraphUrls },
      ...(options.examples ? { examples: options.examples } : {}),
    });
    return {
      gateway,
      subgraphs: running,
      stop: async () => {
        await gateway.stop();
        await stopSubgraphs();
      },
    };
  } catch (error) {
    await stopSubgraphs();
    throw error;
  }
}

import type { SubgraphName, SubgraphSettings } from '../platform/config.js';
import type { AgencyDatabases } from '../platform/database/open-databases.js';
import type { RunningServer } from '../platform/listen.js';
import { startSubgraph } from '../subgraphs/runtime/server.js';
import { agencyCounts } from '../subgraphs/agencies.js';
import { countsDatabasesOf } from '../subgraphs/runtime/refresh-counts.js';
import { scheduleRefresh, type RefreshSchedule } from '../subgraphs/runtime/refresh-schedule.js';
import { announceDataChange } from '../gateway/cache/announce.js';
import { subgraphs } from '../subgraphs/index.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/server.js';
import type { GatewaySecurity } from '../gateway/security.js';

export interface SystemOptions {
  readonly databases: AgencyDatabases;
  readonly host: string;
  readonly gatewayPort: number;
  readonly settings: SubgraphSettings;
  /** Seconds between incremental refreshes of each local agency's counts (REFRESH_INTERVAL); none or 0: no schedule (tests). */
  readonly refreshIntervalSeconds?: number;
  /** Port per local subgraph; 0 picks a free one. Defaults to each subgraph's own port. */
  readonly subgraphPorts?: Partial<Record<SubgraphName, number>>;
  /** Subgraphs that run elsewhere, by URL: these are not started here. */
  readonly remoteSubgraphUrls?: Partial<Record<SubgraphName, string>>;
  readonly supergraphSdl: string;
  readonly examples?: GatewayOptions['examples'];
  readonly onQueryPlan?: GatewayOptions['onQueryPlan'];
  readonly cache?: GatewayOptions['cache'];
  readonly security: GatewaySecurity;
  /** Deadline of each subgraph fetch (ms); none: the gateway's default. */
  readonly subgraphTimeoutMs?: number;
  /** A circuit breaker in front of each subgraph, reset after this long (ms); none or 0: no breaker. */
  readonly breakerResetMs?: number;
  /** How long requests under way may take to finish when the gateway stops (ms). */
  readonly drainTimeoutMs?: number;
  /** How long the gateway keeps taking connections after /readyz turns 503 (ms). */
  readonly drainDelayMs?: number;
}

export interface RunningSystem {
  readonly gateway: RunningGateway;
  readonly subgraphs: ReadonlyMap<SubgraphName, RunningServer>;
  stop(): Promise<void>;
}

/** Starts every local subgraph on its agency's database, then the gateway in front of them, in this process. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const running = new Map<SubgraphName, RunningServer>();
  const schedules: RefreshSchedule[] = [];
  const stopSubgraphs = async () => {
    await Promise.all(schedules.map((schedule) => schedule.stop()));
    await Promise.all([...running.values()].map((server) => server.stop()));
  };
  try {
    for (const { definition, defaultPort } of subgraphs) {
      const name = definition.name as SubgraphName;
      if (options.remoteSubgraphUrls?.[name]) continue;
      const port = options.subgraphPorts?.[name] ?? defaultPort;
      const database = definition.agency ? options.databases.get(definition.agency) : undefined;
      running.set(
        name,
        await startSubgraph(definition, {
          ...(database ? { database, store: options.databases.store } : {}),
          settings: options.settings,
          port,
          host: options.host,
          signingSecret: options.security.signingSecret,
        }),
      );
      // Its counts follow its source: rows changed since the last refresh are read on a schedule, and the caches told.
      const agency = definition.agency;
      if (agency && options.refreshIntervalSeconds)
        schedules.push(
          scheduleRefresh(countsDatabasesOf(options.databases, agency), agencyCounts[agency], {
            agency,
            intervalSeconds: options.refreshIntervalSeconds,
            onChanged: () => announceDataChange([agency]),
          }),
        );
    }
    const gateway = await startGateway({
      port: options.gatewayPort,
      host: options.host,
      supergraphSdl: options.supergraphSdl,
      subgraphUrls: { ...Object.fromEntries([...running].map(([name, server]) => [name, server.url])), ...options.remoteSubgraphUrls },
      ...(options.examples ? { examples: options.examples } : {}),
      ...(options.onQueryPlan ? { onQueryPlan: options.onQueryPlan } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
      security: options.security,
      ...(options.subgraphTimeoutMs === undefined ? {} : { subgraphTimeoutMs: options.subgraphTimeoutMs }),
      ...(options.breakerResetMs ? { breakerResetMs: options.breakerResetMs } : {}),
      ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
      ...(options.drainDelayMs === undefined ? {} : { drainDelayMs: options.drainDelayMs }),
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

import { lastKnown } from './last-known.js';
import type { CircuitState } from './subgraph-breaker.js';

export interface SubgraphHealthReport {
  readonly healthy: boolean;
  readonly subgraphs: Record<string, string>;
}

export interface SubgraphHealth {
  /** The last probe of each subgraph, with circuits as they are now: answers at once, whatever the subgraphs do. */
  report(): Promise<SubgraphHealthReport>;
}

/** Asks one subgraph's /healthz; one that does not answer within `timeoutMs` counts as down. */
async function probe(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? 'ok' : `unhealthy (HTTP ${response.status})`;
  } catch (error) {
    // fetch reports the network reason (ECONNREFUSED...) as its cause; a timeout as TimeoutError.
    const reason = ((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).name;
    return `unreachable (${reason})`;
  }
}

/**
 * /healthz answers from memory: each subgraph's last probe, renewed in the
 * background at most once per `intervalMs` (last-known.ts). So a slow or hung
 * subgraph never makes the gateway's own health check slow (a load balancer
 * would take the gateway out), and callers of /healthz, who need no
 * credentials, cannot make the gateway call the subgraphs more than once per
 * interval. Only the very first report waits, for the first probes.
 * A subgraph whose circuit is open counts as down: the gateway is not calling it.
 */
export function createSubgraphHealth(
  urls: ReadonlyMap<string, string>,
  circuits: () => ReadonlyMap<string, CircuitState>,
  options: { readonly intervalMs?: number; readonly timeoutMs?: number } = {},
): SubgraphHealth {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const statuses = [...urls].map(([name, url]) => [name, lastKnown(() => probe(url, timeoutMs), options.intervalMs ?? 1_000)] as const);
  return {
    async report() {
      const probed = await Promise.all(statuses.map(async ([name, status]) => [name, await status()] as const));
      const open = circuits();
      const subgraphs = Object.fromEntries(
        probed.map(([name, status]) => [name, open.get(name) === 'open' ? 'circuit open (the gateway is not calling it for now)' : status]),
      );
      return { healthy: Object.values(subgraphs).every((status) => status === 'ok'), subgraphs };
    },
  };
}

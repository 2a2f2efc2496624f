export type CircuitState = 'closed' | 'open' | 'half-open';

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
 * /healthz answers from memory: each report starts, in the background, a new
 * probe of every subgraph whose last one is older than `intervalMs` and is not
 * still running, and returns what the last probes found. So a slow or hung
 * subgraph never makes the gateway's own health check slow (a load balancer
 * would take the gateway out), and callers of /healthz, who need no
 * credentials, cannot make the gateway call the subgraphs more than once per
 * interval. Only the very first report waits, for the first probes.
 * A subgraph whose circuit is open counts as down: the gateway is not calling it.
 */
export function monitorSubgraphs(
  urls: ReadonlyMap<string, string>,
  circuits: () => ReadonlyMap<string, CircuitState>,
  options: { readonly intervalMs?: number; readonly timeoutMs?: number } = {},
): SubgraphHealth {
  const intervalMs = options.intervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const latest = new Map<string, { status: string; at: number }>();
  const running = new Map<string, Promise<void>>();
  const refresh = (name: string, url: string): Promise<void> => {
    const inFlight = running.get(name);
    if (inFlight) return inFlight;
    const started = probe(url, timeoutMs).then((status) => {
      latest.set(name, { status, at: performance.now() });
      running.delete(name);
    });
    running.set(name, started);
    return started;
  };
  return {
    async report() {
      const now = performance.now();
      const firstProbes: Promise<void>[] = [];
      for (const [name, url] of urls) {
        const last = latest.get(name);
        if (last && now - last.at < intervalMs) continue;
        const probing = refresh(name, url);
        if (!last) firstProbes.push(probing);
      }
      await Promise.all(firstProbes);
      const open = circuits();
      const subgraphs = Object.fromEntries(
        [...urls.keys()].map((name) => [
          name,
          open.get(name) === 'open' ? 'circuit open (the gateway is not calling it for now)' : latest.get(name)!.status,
        ]),
      );
      return { healthy: Object.values(subgraphs).every((status) => status === 'ok'), subgraphs };
    },
  };
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface SubgraphHealthReport {
  readonly healthy: boolean;
  readonly subgraphs: Record<string, string>;
}

export interface SubgraphHealth {
  /** The last probe of each subgraph, with circuits as they are now: answers at once, whatever the subgraphs do. */
  report(): Promise<SubgraphHealthReport>;
  stop(): void;
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
 * Probes every subgraph in the background, each at most once per `intervalMs`
 * and never twice at a time, so that /healthz answers from memory: a slow or
 * hung subgraph must not make the gateway's own health check slow (a load
 * balancer would take the gateway out), and an anonymous caller must not be
 * able to make the gateway call every subgraph per request.
 * A subgraph whose circuit is open counts as down: the gateway is not calling it.
 */
export function monitorSubgraphs(
  urls: ReadonlyMap<string, string>,
  circuits: () => ReadonlyMap<string, CircuitState>,
  options: { readonly intervalMs?: number; readonly timeoutMs?: number } = {},
): SubgraphHealth {
  const intervalMs = options.intervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const latest = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const probeForever = async (name: string, url: string) => {
    const started = performance.now();
    latest.set(name, await probe(url, timeoutMs));
    if (stopped) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void probeForever(name, url);
      },
      Math.max(0, intervalMs - (performance.now() - started)),
    );
    timer.unref();
    timers.add(timer);
  };
  // The first round is awaited by the first report: a gateway just started is not called healthy unchecked.
  const firstRound = Promise.all([...urls].map(([name, url]) => probeForever(name, url)));
  return {
    async report() {
      await firstRound;
      const open = circuits();
      const subgraphs = Object.fromEntries(
        [...urls.keys()].map((name) => [name, open.get(name) === 'open' ? 'circuit open (the gateway is not calling it for now)' : latest.get(name)!]),
      );
      return { healthy: Object.values(subgraphs).every((status) => status === 'ok'), subgraphs };
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * Asks each subgraph's /healthz; a subgraph that does not answer in time counts
 * as down, and so does one whose circuit is open (the gateway is not calling it).
 */
export async function checkSubgraphs(
  urls: ReadonlyMap<string, string>,
  circuits: ReadonlyMap<string, 'closed' | 'open' | 'half-open'> = new Map(),
  timeoutMs = 2_000,
): Promise<{ healthy: boolean; subgraphs: Record<string, string> }> {
  const results = await Promise.all(
    [...urls].map(async ([name, url]) => {
      const circuit = circuits.get(name);
      if (circuit === 'open') return [name, 'circuit open (the gateway is not calling it for now)'] as const;
      try {
        const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
        return [name, response.ok ? 'ok' : `unhealthy (HTTP ${response.status})`] as const;
      } catch (error) {
        // fetch reports the network reason (ECONNREFUSED...) as its cause; a timeout as TimeoutError.
        const reason = ((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).name;
        return [name, `unreachable (${reason})`] as const;
      }
    }),
  );
  return { healthy: results.every(([, status]) => status === 'ok'), subgraphs: Object.fromEntries(results) };
}

/** Asks each subgraph's /healthz; a subgraph that does not answer in time counts as down. */
export async function checkSubgraphs(urls: ReadonlyMap<string, string>, timeoutMs = 2_000): Promise<{ healthy: boolean; subgraphs: Record<string, string> }> {
  const results = await Promise.all(
    [...urls].map(async ([name, url]) => {
      try {
        const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
        return [name, response.ok ? 'ok' : `unhealthy (HTTP ${response.status})`] as const;
      } catch (error) {
        return [name, `unreachable (${(error as Error).cause ? String((error as { cause: { code?: string } }).cause.code ?? error) : (error as Error).name})`] as const;
      }
    }),
  );
  return { healthy: results.every(([, status]) => status === 'ok'), subgraphs: Object.fromEntries(results) };
}

/**
 * The last result of a check that may be slow or hang (a subgraph's /healthz,
 * the audit database), for probes that must answer at once: each read starts a
 * new check in the background when the last one is older than `intervalMs` and
 * none is under way, and returns the last result. Only the first read waits.
 * `check` must not throw: it says what it found.
 */
export function lastKnown(check: () => Promise<string>, intervalMs: number): () => Promise<string> {
  let last: { status: string; at: number } | undefined;
  let running: Promise<void> | undefined;
  const refresh = () =>
    (running ??= check().then((status) => {
      last = { status, at: performance.now() };
      running = undefined;
    }));
  return async () => {
    if (!last) await refresh();
    else if (performance.now() - last.at >= intervalMs) void refresh();
    return last!.status;
  };
}

import type { Database } from '../platform/database/database.js';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: { readonly draining: boolean; readonly auditDatabase: string };
}

/**
 * What an orchestrator asks: `/livez` (the process answers: restart it if
 * not) and `/readyz` (send it traffic: it is not draining and its audit
 * database answers; no optional subgraph decides it, or every replica would
 * be taken out for one agency's outage). The audit database is asked in the
 * background, at most once per `intervalMs`, so a probe never waits on it
 * but the first.
 */
export function createProbes(options: { readonly auditDatabase: Database; readonly intervalMs?: number }) {
  const intervalMs = options.intervalMs ?? 1_000;
  let draining = false;
  let last: { status: string; at: number } | undefined;
  let running: Promise<void> | undefined;
  const checkAudit = () =>
    (running ??= options.auditDatabase
      .query('SELECT 1')
      .then(
        () => 'ok',
        (error: unknown) => `unreachable (${(error as Error).message})`,
      )
      .then((status) => {
        last = { status, at: performance.now() };
        running = undefined;
      }));
  return {
    /** From now on the gateway is not ready: it is finishing what it has and will stop. */
    drain(): void {
      draining = true;
    },
    async readiness(): Promise<Readiness> {
      if (!last) await checkAudit();
      else if (performance.now() - last.at >= intervalMs) void checkAudit();
      const auditDatabase = last!.status;
      return { ready: !draining && auditDatabase === 'ok', checks: { draining, auditDatabase } };
    },
  };
}

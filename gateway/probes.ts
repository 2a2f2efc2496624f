import type { Database } from '../platform/database/database.js';
import { lastKnown } from './last-known.js';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: { readonly draining: boolean; readonly auditDatabase: string };
}

/**
 * What an orchestrator asks: `/livez` (the process answers: restart it if
 * not) and `/readyz` (send it traffic: it is not draining and its audit
 * database answers; no optional subgraph decides it, or every replica would
 * be taken out for one agency's outage). The audit database is asked in the
 * background, at most once per `intervalMs` (see last-known.ts).
 */
export function createProbes(options: { readonly auditDatabase: Database; readonly intervalMs?: number }) {
  let draining = false;
  const auditDatabase = lastKnown(
    () =>
      options.auditDatabase.query('SELECT 1').then(
        () => 'ok',
        (error: unknown) => `unreachable (${(error as Error).message})`,
      ),
    options.intervalMs ?? 1_000,
  );
  return {
    /** From now on the gateway is not ready: it is finishing what it has and will stop. */
    drain(): void {
      draining = true;
    },
    async readiness(): Promise<Readiness> {
      const audit = await auditDatabase();
      return { ready: !draining && audit === 'ok', checks: { draining, auditDatabase: audit } };
    },
  };
}

export type Probes = ReturnType<typeof createProbes>;

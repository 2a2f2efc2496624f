import { log } from '../../platform/log.js';
import type { MonthlyCounts } from './monthly-counts.js';
import type { CountsDatabases, RefreshReport } from './refresh-counts.js';
import { refreshIncremental } from './refresh-incremental.js';

export interface RefreshSchedule {
  /** Waits for a refresh under way, then stops. */
  stop(): Promise<void>;
}

/**
 * Refreshes an agency's counts incrementally every `intervalSeconds` inside
 * its subgraph's process (REFRESH_INTERVAL), and calls `onChanged` after a
 * refresh that changed some count, so that the caches are told. A failed
 * refresh is logged and tried again at the next tick.
 */
export function scheduleRefresh(
  databases: CountsDatabases,
  spec: MonthlyCounts,
  options: {
    readonly agency: string;
    readonly intervalSeconds: number;
    readonly onChanged: (report: RefreshReport) => Promise<unknown>;
  },
): RefreshSchedule {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    current = (async () => {
      const started = performance.now();
      try {
        const report = await refreshIncremental(databases, spec);
        const milliseconds = Math.round(performance.now() - started);
        if (report.cellsChanged > 0) {
          log.info({ agency: options.agency, ...report, milliseconds }, 'counts refreshed');
          await options.onChanged(report);
        }
      } catch (error) {
        log.warn({ agency: options.agency, error: (error as Error).message }, 'counts refresh failed; trying again at the next interval');
      }
    })();
    void current.then(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalSeconds * 1_000).unref();
    });
  };
  timer = setTimeout(tick, options.intervalSeconds * 1_000).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

import { sendJson } from '../../platform/http.js';
import type { SubgraphHealth } from '../health.js';
import type { Probes } from '../probes.js';
import type { Route } from './index.js';

/** What orchestrators ask: /livez, /readyz (probes.ts) and /healthz, every subgraph's last probe (health.ts). */
export function createProbeRoutes(options: { readonly probes: Probes; readonly subgraphHealth: SubgraphHealth }): Array<[string, Route]> {
  return [
    ['/livez', (_request, response) => sendJson(response, 200, { status: 'alive' })],
    [
      '/readyz',
      async (_request, response) => {
        const readiness = await options.probes.readiness();
        sendJson(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', ...readiness.checks });
      },
    ],
    [
      '/healthz',
      async (_request, response) => {
        const health = await options.subgraphHealth.report();
        sendJson(response, health.healthy ? 200 : 503, { status: health.healthy ? 'ok' : 'degraded', ...health });
      },
    ],
  ];
}

import type { Metrics } from '../metrics.js';
import type { Route } from './index.js';

export const metricsPath = '/metrics';

/** GET /metrics: Prometheus's text of the gateway's metrics (metrics.ts). */
export function createMetricsRoute(metrics: Metrics): Route {
  return async (_request, response) => {
    const { contentType, text } = await metrics.exposition();
    response.writeHead(200, { 'content-type': contentType }).end(text);
  };
}

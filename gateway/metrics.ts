import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { CacheStatistics } from './cache/store.js';

/** What one answered HTTP request tells the metrics. */
export interface RequestOutcome {
  readonly status: number;
  /** hit, miss, or none when the response cache was not asked. */
  readonly cache: 'hit' | 'miss' | 'none';
  readonly seconds: number;
}

/**
 * Prometheus metrics (prom-client) in one registry per gateway: requests by
 * status and cache outcome with their durations, GraphQL errors by code,
 * subgraph fetches by subgraph, the estimated and actual cost of operations, cache hits, misses and errors by layer, and
 * Node's own process metrics. Told by the GraphQL route, the data sources and
 * the plugins (plugins/metrics.ts); served at /metrics (routes/metrics.ts).
 * Nothing personal is in it.
 */
export function createMetrics(statistics: CacheStatistics) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'GraphQL requests answered by the gateway, by HTTP status and response cache outcome',
    labelNames: ['status', 'cache'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'Errors in GraphQL answers, by extensions.code',
    labelNames: ['code'],
    registers: [registry],
  });
  const fetches = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Fetches from subgraphs, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const estimatedCost = new Histogram({
    name: 'gateway_operation_estimated_cost',
    help: 'The estimated cost (demand control) of every operation priced, refused ones included',
    buckets: [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000],
    registers: [registry],
  });
  const producedObjects = new Histogram({
    name: 'gateway_operation_received_objects',
    help: 'The objects each operation received from the subgraphs (its actual cost)',
    buckets: [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000],
    registers: [registry],
  });
  new Counter({
    name: 'gateway_cache_events_total',
    help: 'Cache lookups by layer (response, entity, apq) and event (hit, miss, error)',
    labelNames: ['layer', 'event'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [layer, counts] of Object.entries(statistics.snapshot())) {
        this.inc({ layer, event: 'hit' }, counts.hits);
        this.inc({ layer, event: 'miss' }, counts.misses);
        this.inc({ layer, event: 'error' }, counts.errors);
      }
    },
  });

  return {
    observeRequest(outcome: RequestOutcome): void {
      requests.observe({ status: String(outcome.status), cache: outcome.cache }, outcome.seconds);
    },
    observeFetch(subgraph: string, outcome: 'ok' | 'failed', seconds: number): void {
      fetches.observe({ subgraph, outcome }, seconds);
    },
    observeEstimatedCost(cost: number): void {
      estimatedCost.observe(cost);
    },
    observeProducedObjects(objects: number): void {
      producedObjects.observe(objects);
    },
    observeError(code: string): void {
      errors.inc({ code });
    },
    /** The Prometheus text of every metric, and its content type. */
    async exposition(): Promise<{ readonly contentType: string; readonly text: string }> {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

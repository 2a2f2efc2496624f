import { IncomingMessage } from 'node:http';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { log } from './log.js';
import type { TelemetryConfig } from './telemetry-config.js';

/**
 * The tracing SDK, loaded only when traces are exported (telemetry.ts):
 * W3C trace context in and out, spans for every HTTP request served (gateway
 * and subgraphs, from the caller's `traceparent`), every fetch (the gateway's
 * subgraph calls, which carry `traceparent` on), every SQL statement through
 * `pg` (agency servers and the embedded PGlite alike), and @apollo/gateway's
 * own spans (validate, plan, execute, fetch), batched to an OTLP/HTTP endpoint.
 */
type Enabled = Extract<TelemetryConfig, { enabled: true }>;

/** Probes and metrics are asked every few seconds by machines: a trace each would bury the requests. */
const unsampledPaths = new Set(['/livez', '/readyz', '/healthz', '/metrics']);

const pathOf = (url: string | undefined) => (url ?? '/').split('?')[0]!;

/**
 * A GET request carries its GraphQL document and variables in the query
 * string, and a variable may be a PIN: every value is replaced, the names kept.
 */
function redactedQuery(url: string | undefined): string | undefined {
  const query = url?.split('?')[1];
  if (!query) return undefined;
  return [...new URLSearchParams(query).keys()].map((name) => `${encodeURIComponent(name)}=REDACTED`).join('&');
}

function samplerFor({ name, ratio }: Enabled['sampler']): Sampler {
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

export function startTracing(config: Enabled, serviceName: string): { stop(): Promise<void> } {
  // Export failures (a collector down) are worth a warning in the logs, not a crash or silence.
  diag.setLogger(
    {
      error: (message) => log.warn({ component: 'tracing' }, message),
      warn: (message) => log.warn({ component: 'tracing' }, message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ 'service.name': serviceName }));
  const exporter =
    config.protocol === 'http/json' ? new JsonExporter({ url: config.tracesUrl }) : new ProtobufExporter({ url: config.tracesUrl });
  const provider = new TracerProvider({
    resource,
    sampler: samplerFor(config.sampler),
    spanProcessors: [new BatchSpanProcessor({ exporter, ...config.batch })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => unsampledPaths.has(pathOf(request.url)),
        requestHook: (span, request) => {
          const query = request instanceof IncomingMessage ? redactedQuery(request.url) : undefined;
          if (query) span.setAttribute('url.query', query);
        },
      }),
      new UndiciInstrumentation(),
      // Statements without a request around them (migrations, refreshes at start-up) would each be a trace of their own.
      // Bound values are never recorded (enhancedDatabaseReporting stays off): the statement's text has placeholders only.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  return {
    stop: async () => {
      unregister();
      // Bounded: a collector that does not answer must not keep a stopping process alive past its export timeout.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, config.batch.exportTimeoutMillis).unref();
      });
      await Promise.race([
        provider.shutdown().catch((error: unknown) => log.warn({ component: 'tracing', error: String(error) }, 'flushing spans failed')),
        timedOut,
      ]);
      clearTimeout(timer);
    },
  };
}

import { isSpanContextValid, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { readTelemetryConfig } from './telemetry-config.js';

/**
 * Traces (OpenTelemetry, docs/observability.md). The serving processes
 * (`npm start`, `npm run subgraph`) call `startTelemetry` before anything else
 * is imported (scripts/launch.mjs): when an OTLP endpoint is set it registers
 * the module hooks that let the instrumentations patch `http` and `pg`, then
 * loads the SDK (telemetry-sdk.ts). When none is set, nothing but the
 * OpenTelemetry API (a no-op without an SDK) is ever loaded.
 */

/** The modules the instrumentations patch on import: only these are wrapped by the module hooks. */
const instrumentedModules = ['http', 'node:http', 'https', 'node:https', 'pg', 'pg-pool'];

let running: { stop(): Promise<void> } | undefined;

/**
 * Starts tracing when the configuration asks for it; `serviceName` is the
 * process's own name, used unless OTEL_SERVICE_NAME is set. Resolves with
 * whether traces are exported.
 */
export async function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const config = readTelemetryConfig(env);
  if (!config.enabled || running) return config.enabled;
  // In-thread module hooks (Node 24): `pg`, imported later by an ES module, reaches the pg instrumentation's hook.
  const { register } = await import('import-in-the-middle/register-hooks.mjs');
  register({ include: instrumentedModules });
  const { startTracing } = await import('./telemetry-sdk.js');
  running = startTracing(config, config.serviceName ?? serviceName);
  return true;
}

/** Exports the spans still held and stops tracing; the process exits after it (scripts/cli.ts). Nothing to do when off. */
export async function stopTelemetry(): Promise<void> {
  const stopping = running;
  running = undefined;
  await stopping?.stop();
}

/** The trace the current request belongs to (its server span's), when tracing is on. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}

const tracer = trace.getTracer('vn-national-data-gateway');

/**
 * Runs `work` in a span of its own (a child of the current one). A failure
 * marks the span as an error with the error's code only: a message may quote
 * a PIN or another personal value, and spans leave the process.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown; extensions?: { code?: unknown } }).extensions?.code ?? (error as { code?: unknown }).code;
      span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'failed' });
      throw error;
    } finally {
      span.end();
    }
  });
}

import { z } from 'zod';
import { emptyAsUnset, parseEnvironment } from './environment.js';

/**
 * Tracing configuration, from the standard OpenTelemetry variables, read once
 * at start-up. Traces are exported only when an OTLP endpoint is set; unset,
 * no tracing code is even loaded. A wrong value stops start-up with a message
 * naming the variable. Variables the OTLP exporter reads for itself (headers,
 * timeout, compression, certificates) are left to it.
 */
const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL, e.g. http://otel-collector:4318');

export const otlpProtocols = ['http/protobuf', 'http/json'] as const;
const protocol = z.enum(otlpProtocols, { error: `must be ${otlpProtocols.join(' or ')} (OTLP over HTTP; grpc is not supported)` });

export const samplerNames = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;

/** The specification's booleans: `true` in any case is true, anything else false. */
const lowerCase = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const count = (min: number, fallback: number) =>
  z.preprocess(emptyAsUnset, z.coerce.number().int().min(min).max(1_000_000).default(fallback));

const schema = z.object({
  OTEL_SDK_DISABLED: z.preprocess((value) => lowerCase(emptyAsUnset(value)), z.string().optional()),
  OTEL_TRACES_EXPORTER: z.preprocess(
    (value) => lowerCase(emptyAsUnset(value)),
    z.enum(['otlp', 'none'], { error: 'must be otlp or none' }).default('otlp'),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUnset, httpUrl.optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(emptyAsUnset, httpUrl.optional()),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(emptyAsUnset, protocol.default('http/protobuf')),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.preprocess(emptyAsUnset, protocol.optional()),
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUnset, z.string().trim().min(1).max(255).optional()),
  OTEL_TRACES_SAMPLER: z.preprocess(
    (value) => lowerCase(emptyAsUnset(value)),
    z.enum(samplerNames, { error: `must be one of ${samplerNames.join(', ')}` }).default('parentbased_always_on'),
  ),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(emptyAsUnset, z.coerce.number().min(0).max(1).optional()),
  OTEL_BSP_SCHEDULE_DELAY: count(0, 5_000),
  OTEL_BSP_EXPORT_TIMEOUT: count(1, 30_000),
  OTEL_BSP_MAX_QUEUE_SIZE: count(1, 2_048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count(1, 512),
});

export type TelemetryConfig =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** Where spans are sent: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
      readonly tracesUrl: string;
      readonly protocol: (typeof otlpProtocols)[number];
      /** OTEL_SERVICE_NAME; unset: the process's own (gateway, subgraph-<name>). */
      readonly serviceName: string | undefined;
      readonly sampler: { readonly name: (typeof samplerNames)[number]; readonly ratio: number };
      readonly batch: {
        readonly scheduledDelayMillis: number;
        readonly exportTimeoutMillis: number;
        readonly maxQueueSize: number;
        readonly maxExportBatchSize: number;
      };
    };

export function readTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const values = parseEnvironment(
    schema.refine((values) => values.OTEL_BSP_MAX_EXPORT_BATCH_SIZE <= values.OTEL_BSP_MAX_QUEUE_SIZE, {
      path: ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'],
      message: 'must not be larger than OTEL_BSP_MAX_QUEUE_SIZE',
    }),
    env,
  );
  const base = values.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl || values.OTEL_SDK_DISABLED === 'true' || values.OTEL_TRACES_EXPORTER === 'none') return { enabled: false };
  return Object.freeze({
    enabled: true,
    tracesUrl,
    protocol: values.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? values.OTEL_EXPORTER_OTLP_PROTOCOL,
    serviceName: values.OTEL_SERVICE_NAME,
    sampler: { name: values.OTEL_TRACES_SAMPLER, ratio: values.OTEL_TRACES_SAMPLER_ARG ?? 1 },
    batch: {
      scheduledDelayMillis: values.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMillis: values.OTEL_BSP_EXPORT_TIMEOUT,
      maxQueueSize: values.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: values.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    },
  } as const);
}

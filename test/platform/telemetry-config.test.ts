import { describe, expect, it } from 'vitest';
import { readTelemetryConfig } from '../../platform/telemetry-config.js';

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

describe('the tracing configuration (OTEL_* variables)', () => {
  it('is off without an endpoint, whatever else is set', () => {
    expect(readTelemetryConfig({})).toEqual({ enabled: false });
    expect(readTelemetryConfig({ OTEL_SERVICE_NAME: 'gateway-a', OTEL_TRACES_SAMPLER: 'always_on' })).toEqual({ enabled: false });
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toEqual({ enabled: false });
  });

  it('is off when the SDK is disabled or the exporter is none, even with an endpoint', () => {
    expect(readTelemetryConfig({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toEqual({ enabled: false });
    expect(readTelemetryConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({ enabled: false });
    expect(readTelemetryConfig({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toMatchObject({ enabled: true });
  });

  it('sends to <endpoint>/v1/traces over http/protobuf by default, the specification defaults otherwise', () => {
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/' })).toEqual({
      enabled: true,
      tracesUrl: 'https://collector.example:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: undefined,
      sampler: { name: 'parentbased_always_on', ratio: 1 },
      batch: { scheduledDelayMillis: 5_000, exportTimeoutMillis: 30_000, maxQueueSize: 2_048, maxExportBatchSize: 512 },
    });
  });

  it('takes the traces endpoint as it is, the traces protocol over the general one, and the sampler with its ratio', () => {
    expect(
      readTelemetryConfig({
        ...endpoint,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/otlp/v1/traces',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'gateway-eu',
        OTEL_TRACES_SAMPLER: 'ParentBased_TraceIdRatio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toMatchObject({
      tracesUrl: 'http://tempo:4318/otlp/v1/traces',
      protocol: 'http/json',
      serviceName: 'gateway-eu',
      sampler: { name: 'parentbased_traceidratio', ratio: 0.25 },
    });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http/],
    [
      { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      /OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json \(OTLP over HTTP; grpc is not supported\)/,
    ],
    [{ ...endpoint, OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER must be one of parentbased_always_on/],
    [{ ...endpoint, OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG/],
    [{ ...endpoint, OTEL_BSP_SCHEDULE_DELAY: 'soon' }, /OTEL_BSP_SCHEDULE_DELAY/],
    [
      { ...endpoint, OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' },
      /OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not be larger than OTEL_BSP_MAX_QUEUE_SIZE/,
    ],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => readTelemetryConfig(env)).toThrow(message);
  });
});

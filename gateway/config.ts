import { z } from 'zod';
import { subgraphUrlVariable } from '../platform/agencies.js';
import { subgraphNames, type SubgraphName } from '../platform/config.js';
import { emptyAsUnset, parseEnvironment, portNumber } from '../platform/environment.js';
import { readSecurityConfig, type SecurityConfig } from './auth/config.js';

/** The gateway's configuration, read once from the environment and frozen. */
export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** Per subgraph, an address that replaces the one in the supergraph. */
  readonly subgraphUrls: Readonly<Partial<Record<SubgraphName, string>>>;
  /** Redis URL (or comma-separated cluster nodes); none: an in-process cache. */
  readonly redisUrl: string | undefined;
  /** Prefix of every cache key and channel, so deployments sharing a Redis never meet. */
  readonly cachePrefix: string;
  /** Whether the gateway caches answers at all (off for a cold benchmark). */
  readonly cacheEnabled: boolean;
  /**
   * The stale window (s): how long past its max-age, or after an invalidation,
   * an aggregate answer is served, marked stale, while one recomputation renews
   * it, and while a failing subgraph keeps it from being renewed.
   */
  readonly staleIfErrorSeconds: number;
  /** Deadline of every subgraph fetch (ms): a hung agency fails its own fields, not every request. */
  readonly subgraphTimeoutMs: number;
  /** How long the gateway stops calling a subgraph that keeps failing (ms); 0: never stops. */
  readonly breakerResetMs: number;
  /** On SIGTERM, how long requests under way may take to finish before their connections are cut (ms). */
  readonly drainTimeoutMs: number;
  /** On SIGTERM, how long new connections are still taken after /readyz turns 503 (ms). */
  readonly drainDelayMs: number;
  /** Authentication, scopes, purposes, audit, signing and limits. */
  readonly security: SecurityConfig;
}

/** The stale window when STALE_IF_ERROR_SECONDS is not set (s). */
export const defaultStaleSeconds = 3_600;

/** How long a subgraph fetch may take when SUBGRAPH_TIMEOUT_MS is not set (ms). */
export const defaultSubgraphTimeoutMs = 10_000;

export { subgraphUrlVariable } from '../platform/agencies.js';

const httpUrl = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .refine(
      (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
      'must be an http:// or https:// URL, e.g. http://127.0.0.1:4001/graphql',
    )
    .optional(),
);

const cacheSchema = z.object({
  REDIS_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine(
        (value) => value.split(',').every((url) => URL.canParse(url.trim()) && /^rediss?:$/.test(new URL(url.trim()).protocol)),
        'must be a redis:// URL, or several separated by commas for a Redis Cluster',
      )
      // A cluster's connections all use the first URL's scheme and credentials: a list that differs would mislead.
      .refine((value) => {
        const urls = value.split(',').map((url) => url.trim());
        // A URL that does not parse is the first check's to report.
        if (!urls.every((url) => URL.canParse(url))) return true;
        const [first, ...others] = urls.map((url) => new URL(url));
        return others.every(
          (url) => url.protocol === first!.protocol && url.username === first!.username && url.password === first!.password,
        );
      }, 'lists the nodes of one Redis Cluster: every URL must have the same scheme (redis:// or rediss://) and credentials')
      .optional(),
  ),
  CACHE_PREFIX: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
      .default('vn-gateway'),
  ),
  CACHE: z.preprocess(emptyAsUnset, z.enum(['on', 'off']).default('on')),
  STALE_IF_ERROR_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(604_800).default(defaultStaleSeconds)),
});

const schema = cacheSchema.extend({
  PORT: z.preprocess(emptyAsUnset, portNumber.default(4000)),
  HOST: z.preprocess(emptyAsUnset, z.string().default('127.0.0.1')),
  // No 0 for "none": a fetch without a deadline is what this setting exists to prevent.
  SUBGRAPH_TIMEOUT_MS: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds from 1 to 300000' })
      .int('must be a whole number of milliseconds from 1 to 300000')
      .min(1, 'must be at least 1 (every subgraph fetch has a deadline)')
      .max(300_000, 'must be at most 300000 (5 minutes)')
      .default(defaultSubgraphTimeoutMs),
  ),
  // Short: a subgraph back after a restart is called again within this (the soak measured 6.9 s of recovery at 10 s).
  // Below Kubernetes' default 30 s grace period, so the process exits on its own.
  DRAIN_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(600_000).default(25_000)),
  // 0: Kubernetes' preStop pause takes balancers off the pod before SIGTERM (deploy/). A balancer that only
  // probes /readyz needs the listener open for one probe interval after it turns 503, or a connection it
  // makes then is refused, or reset if it lands in the kernel's queue as the listener closes.
  DRAIN_DELAY_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(600_000).default(0)),
  SUBGRAPH_BREAKER_RESET_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(600_000).default(2_000)),
  ...Object.fromEntries(subgraphNames.map((name) => [subgraphUrlVariable(name), httpUrl])),
});

/** Where the shared cache is, for the tools that invalidate it (seed, reconcile): they need nothing else of the gateway's. */
export function readCacheConfig(env: NodeJS.ProcessEnv = process.env): Pick<GatewayConfig, 'redisUrl' | 'cachePrefix'> {
  const values = parseEnvironment(cacheSchema, env);
  return Object.freeze({ redisUrl: values.REDIS_URL, cachePrefix: values.CACHE_PREFIX });
}

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const values = parseEnvironment(schema, env) as Record<string, unknown>;
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of subgraphNames) {
    const url = values[subgraphUrlVariable(name)];
    if (typeof url === 'string') subgraphUrls[name] = url;
  }
  return Object.freeze({
    port: values.PORT as number,
    host: values.HOST as string,
    subgraphUrls: Object.freeze(subgraphUrls),
    redisUrl: values.REDIS_URL as string | undefined,
    cachePrefix: values.CACHE_PREFIX as string,
    cacheEnabled: values.CACHE === 'on',
    staleIfErrorSeconds: values.STALE_IF_ERROR_SECONDS as number,
    subgraphTimeoutMs: values.SUBGRAPH_TIMEOUT_MS as number,
    breakerResetMs: values.SUBGRAPH_BREAKER_RESET_MS as number,
    drainTimeoutMs: values.DRAIN_TIMEOUT_MS as number,
    drainDelayMs: values.DRAIN_DELAY_MS as number,
    security: readSecurityConfig(env, Object.keys(subgraphUrls).length > 0),
  });
}

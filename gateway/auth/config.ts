import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { emptyAsUnset, parseEnvironment } from '../../platform/environment.js';
import { databaseUrlVariables } from '../../platform/config.js';

/** How bearer tokens are verified. */
export type JwtVerification =
  | { readonly kind: 'jwks'; readonly url: string; readonly issuer: string; readonly audience: string }
  | { readonly kind: 'public-key'; readonly pem: string; readonly algorithm: string; readonly issuer: string; readonly audience: string }
  | { readonly kind: 'secret'; readonly secret: string; readonly issuer: string; readonly audience: string; readonly development: boolean };

export interface SecurityConfig {
  /** development: a generated token secret, a demo token, introspection for all; production: none of these. */
  readonly deployment: 'development' | 'production';
  /** None: only API keys (and anonymous callers) are accepted. */
  readonly jwt: JwtVerification | undefined;
  /** What callers without credentials may read; every caller holds these too. */
  readonly anonymousScopes: ReadonlySet<string>;
  /** Purposes accepted for reading personal data. */
  readonly purposes: ReadonlySet<string>;
  /** Shared with the subgraphs: the gateway signs every request to them with it. */
  readonly signingSecret: string;
  /** The audit trail's (and API keys') PostgreSQL; none: embedded PGlite under DATA_DIR. */
  readonly auditDatabaseUrl: string | undefined;
  readonly maximumBodyBytes: number;
  /** Requests per minute per client (subject, API key or address); 0: no limit. */
  readonly rateLimitPerMinute: number;
  /**
   * Replicas assumed to share one client's budget: each reserves in Redis at most 1/this of what the
   * client has left, and admits that much without asking Redis again; 0: every request asks Redis.
   */
  readonly rateLimitReplicas: number;
  /** Failed authentications per minute per address before its credentials are no longer checked; 0: no limit. */
  readonly authFailuresPerMinute: number;
  readonly limits: {
    readonly depth: number;
    readonly aliases: number;
    readonly tokens: number;
    readonly directives: number;
    readonly cost: number;
  };
  /** Demand control: the largest estimated cost per caller class (0: none), and the length of a list the schema does not size. */
  /** How long one request may take, all its subgraph fetches included (ms). */
  readonly requestTimeoutMs: number;
  /** Objects one operation may receive from the subgraphs before it is stopped (0: no limit). */
  readonly resultObjects: number;
  /** Largest query document in bytes, comments included (0: none). */
  readonly documentBytes: number;
  readonly demandControl: { readonly anonymous: number; readonly authenticated: number; readonly listSize: number };
  /** Origins whose browser pages may call /graphql (CORS); `*`: any, development only; empty: none. */
  readonly corsOrigins: readonly string[];
  /** A manifest of trusted documents, or a folder of them, added to those shipped with the gateway (TRUSTED_DOCUMENTS). */
  readonly trustedDocumentsPath?: string;
}

export const defaultPurposes = [
  'public-service',
  'health-care',
  'social-insurance',
  'civil-service-management',
  'agricultural-support',
  'data-reconciliation',
  'statistics',
  'law-enforcement',
];

const scopeList = z
  .string()
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .refine(
    (scopes) => scopes.every((scope) => /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/.test(scope)),
    'must be scopes like indicators:read, separated by spaces or commas',
  );
const secret = (what: string) => z.preprocess(emptyAsUnset, z.string().min(32, `must be at least 32 characters (${what})`).optional());
const count = (fallback: number, maximum: number) =>
  z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(maximum).default(fallback));

const auditDatabaseUrl = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .refine(
      (value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol),
      'must be a URL of the form postgres://user@host:port/database',
    )
    .optional(),
);

/** AUDIT_DATABASE_URL alone, for the tools that open the gateway's database. */
export function readAuditDatabaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  return parseEnvironment(z.object({ AUDIT_DATABASE_URL: auditDatabaseUrl }), env).AUDIT_DATABASE_URL;
}

const schema = z.object({
  DEPLOYMENT: z.preprocess(emptyAsUnset, z.enum(['development', 'production']).default('development')),
  AUTH_JWKS_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')
      .optional(),
  ),
  AUTH_JWT_PUBLIC_KEY: z.preprocess(
    emptyAsUnset,
    z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)' }).optional(),
  ),
  AUTH_JWT_ALGORITHM: z.preprocess(emptyAsUnset, z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']).default('RS256')),
  AUTH_JWT_SECRET: secret('an HMAC key for HS256 tokens'),
  AUTH_JWT_ISSUER: z.preprocess(emptyAsUnset, z.string().optional()),
  AUTH_JWT_AUDIENCE: z.preprocess(emptyAsUnset, z.string().optional()),
  ANONYMOUS_SCOPES: z.preprocess((value) => (value === undefined ? 'indicators:read' : value), scopeList),
  PURPOSES: z.preprocess(
    (value) => (value === undefined || value === '' ? defaultPurposes.join(',') : value),
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((purpose) => purpose.trim())
          .filter(Boolean),
      )
      .refine(
        (purposes) => purposes.every((purpose) => /^[a-z][a-z0-9-]{1,63}$/.test(purpose)),
        'must be purpose codes like health-care, separated by commas',
      ),
  ),
  GATEWAY_SIGNING_SECRET: secret('a random secret shared with the subgraphs'),
  AUDIT_DATABASE_URL: auditDatabaseUrl,
  MAX_BODY_BYTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1_024).max(16_777_216).default(262_144)),
  RATE_LIMIT_PER_MINUTE: count(1_200, 1_000_000),
  // More replicas than this never admit more than the limit either; they only strand more of it (docs/security.md).
  RATE_LIMIT_REPLICAS: count(4, 1_000),
  AUTH_FAILURES_PER_MINUTE: count(30, 1_000_000),
  LIMIT_DEPTH: count(12, 100),
  LIMIT_ALIASES: count(30, 1_000),
  LIMIT_TOKENS: count(2_000, 100_000),
  LIMIT_DIRECTIVES: count(20, 1_000),
  LIMIT_COST: count(20_000, 10_000_000),
  // A dashboard of every indicator of the 3,321 communes costs about 33,000-60,000.
  LIMIT_COST_ANONYMOUS: count(100_000, 1_000_000_000),
  LIMIT_COST_AUTHENTICATED: count(500_000, 1_000_000_000),
  LIMIT_DOCUMENT_BYTES: count(32_768, 16_777_216),
  // Two rounds of subgraph fetches (population, then the agencies) at their 10 s deadline, and a margin.
  REQUEST_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(100).max(600_000).default(30_000)),
  // A dashboard of every indicator of the 3,321 communes receives about 45,000.
  LIMIT_RESULT_OBJECTS: count(200_000, 100_000_000),
  LIMIT_LIST_SIZE: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(100_000).default(100)),
  TRUSTED_DOCUMENTS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((path) => existsSync(path), 'must be a trusted-documents manifest (JSON) or a folder of them')
      .optional(),
  ),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .refine(
      (origins) =>
        origins.every(
          (origin) =>
            origin === '*' || (URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) && new URL(origin).origin === origin),
        ),
      'must be origins like https://dashboard.gov.vn (scheme, host and port; no path, no trailing slash), separated by commas, or *',
    ),
});

export const developmentIssuer = 'vn-gateway-development';
export const developmentAudience = 'vn-gateway';

export function readSecurityConfig(env: NodeJS.ProcessEnv, subgraphsElsewhere: boolean): SecurityConfig {
  const values = parseEnvironment(schema, env);
  const production = values.DEPLOYMENT === 'production';
  const stop = (message: string) => {
    throw new AppError(ErrorCode.CONFIG_INVALID, `Invalid configuration: ${message}`);
  };
  // Development is the default only on the embedded databases: pointed at real ones, a start that fell
  // into it would print a token holding every personal-data scope and leave introspection open.
  const databaseVariables = [...Object.values(databaseUrlVariables), 'AUDIT_DATABASE_URL'].filter((variable) => env[variable]?.trim());
  if (!env.DEPLOYMENT && databaseVariables.length > 0) {
    stop(
      `DEPLOYMENT must be set (production, or development for test databases) when a database URL is given (${databaseVariables.join(', ')})`,
    );
  }
  const verifiers = [
    values.AUTH_JWKS_URL && 'AUTH_JWKS_URL',
    values.AUTH_JWT_PUBLIC_KEY && 'AUTH_JWT_PUBLIC_KEY',
    values.AUTH_JWT_SECRET && 'AUTH_JWT_SECRET',
  ].filter(Boolean);
  if (verifiers.length > 1) stop(`set only one of ${verifiers.join(', ')}: tokens are verified one way`);
  let jwt: JwtVerification | undefined;
  if (verifiers.length === 1) {
    if (!values.AUTH_JWT_ISSUER) stop(`AUTH_JWT_ISSUER must be set with ${verifiers[0]}: tokens from any issuer would be accepted`);
    if (!values.AUTH_JWT_AUDIENCE)
      stop(`AUTH_JWT_AUDIENCE must be set with ${verifiers[0]}: tokens meant for other services would be accepted`);
    const issuer = values.AUTH_JWT_ISSUER!;
    const audience = values.AUTH_JWT_AUDIENCE!;
    if (values.AUTH_JWKS_URL) jwt = { kind: 'jwks', url: values.AUTH_JWKS_URL, issuer, audience };
    else if (values.AUTH_JWT_PUBLIC_KEY)
      jwt = { kind: 'public-key', pem: values.AUTH_JWT_PUBLIC_KEY, algorithm: values.AUTH_JWT_ALGORITHM, issuer, audience };
    else jwt = { kind: 'secret', secret: values.AUTH_JWT_SECRET!, issuer, audience, development: false };
  } else if (!production) {
    // Development: tokens signed with a secret born with this process (npm start prints a demo one).
    jwt = {
      kind: 'secret',
      secret: randomBytes(32).toString('base64url'),
      issuer: developmentIssuer,
      audience: developmentAudience,
      development: true,
    };
  }
  // A key set fetched over plain HTTP can be swapped by anyone on the path, who could then mint tokens with every scope.
  if (production && values.AUTH_JWKS_URL && new URL(values.AUTH_JWKS_URL).protocol !== 'https:')
    stop('AUTH_JWKS_URL must be an https URL in production');
  // Any page on the web, calling with its visitors' browsers, is not a production setting.
  if (production && values.CORS_ORIGINS.includes('*')) stop('CORS_ORIGINS cannot be * in production: list the dashboard origins');
  if (production && !values.GATEWAY_SIGNING_SECRET)
    stop('GATEWAY_SIGNING_SECRET must be set in production (a random secret of 32 or more characters, shared with the subgraphs)');
  if (subgraphsElsewhere && !values.GATEWAY_SIGNING_SECRET) {
    stop(
      'GATEWAY_SIGNING_SECRET must be set when SUBGRAPH_*_URL points to subgraphs in other processes: they must know the secret the gateway signs with',
    );
  }
  return Object.freeze({
    deployment: values.DEPLOYMENT,
    jwt,
    anonymousScopes: new Set(values.ANONYMOUS_SCOPES),
    purposes: new Set(values.PURPOSES),
    signingSecret: values.GATEWAY_SIGNING_SECRET ?? randomBytes(32).toString('base64url'),
    auditDatabaseUrl: values.AUDIT_DATABASE_URL,
    maximumBodyBytes: values.MAX_BODY_BYTES,
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    rateLimitReplicas: values.RATE_LIMIT_REPLICAS,
    authFailuresPerMinute: values.AUTH_FAILURES_PER_MINUTE,
    limits: {
      depth: values.LIMIT_DEPTH,
      aliases: values.LIMIT_ALIASES,
      tokens: values.LIMIT_TOKENS,
      directives: values.LIMIT_DIRECTIVES,
      cost: values.LIMIT_COST,
    },
    documentBytes: values.LIMIT_DOCUMENT_BYTES,
    requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
    resultObjects: values.LIMIT_RESULT_OBJECTS,
    demandControl: {
      anonymous: values.LIMIT_COST_ANONYMOUS,
      authenticated: values.LIMIT_COST_AUTHENTICATED,
      listSize: values.LIMIT_LIST_SIZE,
    },
    corsOrigins: values.CORS_ORIGINS,
    ...(values.TRUSTED_DOCUMENTS ? { trustedDocumentsPath: values.TRUSTED_DOCUMENTS } : {}),
  });
}

import { loadShippedTrustedDocuments, loadTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';
import type { Cluster, Redis } from 'ioredis';
import type { Database } from '../platform/database/database.js';
import type { SecurityConfig } from './auth/config.js';
import { createApiKeyVerifier } from './auth/api-keys.js';
import { createAuthenticator, type Authenticator } from './auth/authenticate.js';
import { createTokenVerifier } from './auth/jwt.js';
import { createAuditTrail, type AuditTrail } from './audit/trail.js';
import { createRateLimiter, type RateLimiter } from './auth/rate-limit.js';
import { createAuthFailureLimit, type AuthFailureLimit } from './auth/failure-limit.js';

/** Everything the gateway needs to decide who may do what, and to record it. */
export interface GatewaySecurity {
  readonly authenticate: Authenticator;
  /** Purposes accepted for personal data. */
  readonly purposes: ReadonlySet<string>;
  /** Development: anyone may introspect; production: holders of schema:read. */
  readonly introspectionForAll: boolean;
  readonly signingSecret: string;
  readonly maximumBodyBytes: number;
  readonly limits: SecurityConfig['limits'];
  readonly demandControl: SecurityConfig['demandControl'];
  readonly documentBytes: number;
  readonly resultObjects: number;
  readonly requestTimeoutMs: number;
  readonly corsOrigins: readonly string[];
  /** What a client bound to trusted documents may run: the shipped manifests and TRUSTED_DOCUMENTS. */
  readonly trustedDocuments: TrustedDocuments;
  readonly rateLimiter: RateLimiter | undefined;
  readonly authFailures: AuthFailureLimit | undefined;
  readonly auditTrail: AuditTrail;
  /** The gateway's database: audit trail and API keys. */
  readonly database: Database;
}

export async function createGatewaySecurity(
  config: SecurityConfig,
  dependencies: { readonly database: Database; readonly redis?: Redis | Cluster; readonly keyPrefix: string },
): Promise<GatewaySecurity> {
  return {
    authenticate: createAuthenticator({
      verifyToken: config.jwt ? await createTokenVerifier(config.jwt) : undefined,
      verifyApiKey: createApiKeyVerifier(dependencies.database),
      anonymousScopes: config.anonymousScopes,
    }),
    purposes: config.purposes,
    introspectionForAll: config.deployment === 'development',
    signingSecret: config.signingSecret,
    maximumBodyBytes: config.maximumBodyBytes,
    limits: config.limits,
    demandControl: config.demandControl,
    documentBytes: config.documentBytes,
    resultObjects: config.resultObjects,
    requestTimeoutMs: config.requestTimeoutMs,
    corsOrigins: config.corsOrigins,
    trustedDocuments: new Map([
      ...loadShippedTrustedDocuments(),
      ...(config.trustedDocumentsPath ? loadTrustedDocuments(config.trustedDocumentsPath) : []),
    ]),
    rateLimiter: createRateLimiter({
      perMinute: config.rateLimitPerMinute,
      assumedReplicas: config.rateLimitReplicas,
      keyPrefix: dependencies.keyPrefix,
      ...(dependencies.redis ? { redis: dependencies.redis } : {}),
    }),
    authFailures: createAuthFailureLimit({
      perMinute: config.authFailuresPerMinute,
      keyPrefix: dependencies.keyPrefix,
      ...(dependencies.redis ? { redis: dependencies.redis } : {}),
    }),
    auditTrail: createAuditTrail(dependencies.database),
    database: dependencies.database,
  };
}

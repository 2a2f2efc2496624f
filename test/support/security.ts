import type { Cluster, Redis } from 'ioredis';
import { readSecurityConfig, type SecurityConfig } from '../../gateway/auth/config.js';
import { signToken, type TokenClaims } from '../../gateway/auth/jwt.js';
import { openGatewayDatabase } from '../../gateway/database.js';
import { createGatewaySecurity, type GatewaySecurity } from '../../gateway/security.js';
import type { Database } from '../../platform/database/database.js';
import { createTestDatabase } from './postgres.js';

/** Every scope the schema knows: what the tests' default caller holds. */
export const allScopes = [
  'indicators:read',
  'population:pii',
  'civil-service:pii',
  'agriculture:pii',
  'health:pii',
  'schema:read',
  'audit:read',
  'cache:admin',
];

export interface TestSecurity {
  readonly config: SecurityConfig;
  readonly security: GatewaySecurity;
  readonly database: Database;
  /** A bearer token signed with the gateway's development secret. */
  token(claims: Partial<TokenClaims> & { scopes: readonly string[] }, lifetimeSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * The gateway's security on development settings (a generated token secret),
 * with its own audit database on the PostgreSQL server, unless one is given.
 */
export async function createTestSecurity(
  options: {
    readonly environment?: NodeJS.ProcessEnv;
    readonly database?: Database;
    readonly keyPrefix?: string;
    readonly redis?: Redis | Cluster;
  } = {},
): Promise<TestSecurity> {
  // A patient request deadline: tests about deadlines set their own (a loaded machine is slow, not hung).
  const config = readSecurityConfig(
    { RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURES_PER_MINUTE: '0', REQUEST_TIMEOUT_MS: '180000', ...options.environment },
    false,
  );
  const own = options.database ? undefined : await createTestDatabase('gateway');
  const database = options.database ?? (await openGatewayDatabase({ url: own!.url, dataDir: '' }));
  const security = await createGatewaySecurity(config, {
    database,
    keyPrefix: options.keyPrefix ?? 'test',
    ...(options.redis ? { redis: options.redis } : {}),
  });
  const jwt = config.jwt;
  return {
    config,
    security,
    database,
    async token(claims, lifetimeSeconds = 600) {
      if (jwt?.kind !== 'secret') throw new Error('These test settings verify no shared-secret tokens');
      return signToken(
        jwt,
        {
          subject: claims.subject ?? 'test-analyst',
          agency: claims.agency ?? 'test',
          scopes: claims.scopes,
          purpose: claims.purpose ?? null,
        },
        lifetimeSeconds,
      );
    },
    async close() {
      if (own) {
        await database.close();
        await own.drop();
      }
    },
  };
}

import { z } from 'zod';
import { agencies, databaseUrlVariable, subgraphUrlVariable, type Agency } from './agencies.js';
import { emptyAsUnset, parseEnvironment } from './environment.js';
import { AppError, ErrorCode } from './errors.js';

// The agency names and the variables derived from them live in the registry.
export {
  agencies,
  databaseUrlVariables,
  subgraphNames,
  subgraphPortVariable,
  type Agency,
  type SubgraphName,
} from './agencies.js';

const postgresUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a URL of the form postgres://user@host:port/database')
  .optional();

/**
 * Database configuration, read once from the environment and frozen. A wrong
 * value stops start-up with a message that names the variable.
 */
const schema = z.object({
  ...(Object.fromEntries(agencies.map((agency) => [databaseUrlVariable(agency), z.preprocess(emptyAsUnset, postgresUrl)])) as Record<
    string,
    z.ZodType<string | undefined>
  >),
  // The project's own database: counts, PIN check results, load records (an embedded one in DATA_DIR when unset).
  STORE_DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl),
  // Where the agencies' contract relations live (docs/source-contract.md).
  SOURCE_SCHEMA: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a schema name: lower-case letters, digits and _, not starting with a digit')
      .default('gateway_source'),
  ),
  // Seconds between incremental refreshes of the counts inside each subgraph; 0: none.
  REFRESH_INTERVAL: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(86_400).default(300)),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('.data')),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(200).default(10)),
  DATABASE_CONNECT_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(100).max(120_000).default(5_000)),
  // As long as the gateway waits for a subgraph (SUBGRAPH_TIMEOUT_MS): a statement it has given up on only holds a connection.
  DATABASE_STATEMENT_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(100).max(600_000).default(10_000)),
});

export interface DatabaseConfig {
  /** Server URL per agency; an agency without one uses the embedded database. */
  readonly urls: Readonly<Partial<Record<Agency, string>>>;
  /** The store's server; unset: the embedded database. */
  readonly storeUrl: string | undefined;
  /** The schema of the agencies' contract relations. */
  readonly sourceSchema: string;
  /** Seconds between incremental refreshes of the counts in each subgraph; 0: none. */
  readonly refreshIntervalSeconds: number;
  /** Where the embedded PGlite database lives (`<DATA_DIR>/pglite`). */
  readonly dataDir: string;
  readonly poolSize: number;
  /** How long opening a new server connection may take before the statement waiting for it fails (ms). */
  readonly connectTimeoutMs: number;
  /** How long one statement sent while answering may run on a server before the server cancels it (ms). */
  readonly statementTimeoutMs: number;
}

export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const values = parseEnvironment(schema, env);
  const urls: Partial<Record<Agency, string>> = {};
  for (const agency of agencies) {
    const url = (values as Record<string, unknown>)[databaseUrlVariable(agency)] as string | undefined;
    if (url) urls[agency] = url;
  }
  return Object.freeze({
    urls: Object.freeze(urls),
    storeUrl: values.STORE_DATABASE_URL as string | undefined,
    sourceSchema: values.SOURCE_SCHEMA,
    refreshIntervalSeconds: values.REFRESH_INTERVAL,
    dataDir: values.DATA_DIR,
    poolSize: values.DATABASE_POOL_SIZE,
    connectTimeoutMs: values.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
  });
}

/** The disclosure secret of development and tests: fixed, so figures stay put across restarts; never one for production. */
export const developmentDisclosureSecret = 'development-disclosure-secret-not-for-production';

const subgraphSchema = z.object({
  DISCLOSURE_MIN_COUNT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(1000).default(10)),
  // Keys the noise of every published count (docs/disclosure.md): whoever knows it can take the noise off.
  DISCLOSURE_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, 'must be 32 characters or more (a random secret)').optional()),
  DEPLOYMENT: z.preprocess(emptyAsUnset, z.enum(['development', 'production']).default('development')),
});

/** What every subgraph's resolvers may depend on beyond their database. */
export interface SubgraphSettings {
  /** Published counts of people below this are never shown (disclosure control). */
  readonly disclosureMinimum: number;
  /** The secret the noise of published counts is keyed with (docs/disclosure.md). */
  readonly disclosureSecret: string;
}

/**
 * `publishesCounts`: whether this process serves an agency subgraph, which publishes counts of people and so
 * needs the secret in production. By default, as `npm start` decides: some agency subgraph runs here (its
 * SUBGRAPH_<AGENCY>_URL unset). The indicators subgraph alone publishes none.
 */
export function readSubgraphSettings(
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly publishesCounts?: boolean } = {},
): SubgraphSettings {
  const values = parseEnvironment(subgraphSchema, env);
  const publishesCounts = options.publishesCounts ?? agencies.some((agency) => !env[subgraphUrlVariable(agency)]?.trim());
  if (values.DEPLOYMENT === 'production' && !values.DISCLOSURE_SECRET && publishesCounts)
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      'Invalid configuration: DISCLOSURE_SECRET must be set in production (a random secret of 32 or more characters, the same in every replica): with a known one, anyone can take the noise off published counts',
    );
  return Object.freeze({
    disclosureMinimum: values.DISCLOSURE_MIN_COUNT,
    disclosureSecret: values.DISCLOSURE_SECRET ?? developmentDisclosureSecret,
  });
}

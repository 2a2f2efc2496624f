import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Database } from '../../platform/database/database.js';
import { AppError, badUserInput, ErrorCode } from '../../platform/errors.js';

/** A machine client's key: `vnk_<id>_<secret>`; the id finds the row, the secret proves possession. */
const keyFormat = /^vnk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly agency: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  agency: string;
  scopes: string[];
  secret_sha256: Buffer;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  agency: row.agency,
  scopes: row.scopes,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

/** Creates a key; the returned secret is shown once and never stored. */
export async function createApiKey(
  database: Database,
  spec: { name: string; agency: string; scopes: readonly string[]; expiresAt?: Date },
): Promise<{ key: string; apiKey: ApiKey }> {
  if (spec.name.trim() === '') throw badUserInput('An API key needs a name (whose system it is)');
  if (spec.agency.trim() === '') throw badUserInput('An API key needs the agency it acts for');
  const invalid = spec.scopes.filter((scope) => !/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/.test(scope));
  if (spec.scopes.length === 0 || invalid.length > 0) throw badUserInput(`Scopes look like health:pii; got ${JSON.stringify(spec.scopes)}`);
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const [row] = await database.query<ApiKeyRow>(
    `INSERT INTO access.api_key (id, name, agency, scopes, secret_sha256, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [id, spec.name.trim(), spec.agency.trim(), [...spec.scopes], sha256(secret), spec.expiresAt ?? null],
  );
  return { key: `vnk_${id}_${secret}`, apiKey: toApiKey(row!) };
}

export async function listApiKeys(database: Database): Promise<ApiKey[]> {
  return (await database.query<ApiKeyRow>('SELECT * FROM access.api_key ORDER BY created_at, id')).map(toApiKey);
}

export async function revokeApiKey(database: Database, id: string): Promise<ApiKey> {
  const [row] = await database.query<ApiKeyRow>(
    'UPDATE access.api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *',
    [id],
  );
  if (!row) throw badUserInput(`No API key has the id ${JSON.stringify(id)}`);
  return toApiKey(row);
}

/**
 * Checks presented keys against the database. A key found valid is trusted
 * for `cacheSeconds` without asking again, so a revocation takes that long to
 * reach every replica; unknown keys are never cached.
 */
export function createApiKeyVerifier(database: Database, cacheSeconds = 30) {
  const verified = new LRUCache<string, ApiKey>({ max: 10_000, ttl: cacheSeconds * 1000 });
  return async (presented: string): Promise<ApiKey> => {
    const match = keyFormat.exec(presented);
    if (!match)
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'The API key is malformed (keys look like vnk_<12 hex digits>_<43 characters>)');
    const fingerprint = sha256(presented).toString('base64url');
    const known = verified.get(fingerprint);
    if (known && (!known.expiresAt || known.expiresAt > new Date())) return known;
    let row: ApiKeyRow | undefined;
    try {
      [row] = await database.query<ApiKeyRow>('SELECT * FROM access.api_key WHERE id = $1', [match[1]]);
    } catch (error) {
      // Not the caller's fault and not a refusal of the key: a 503 to retry, not counted as a failed authentication.
      throw new AppError(ErrorCode.CREDENTIALS_UNAVAILABLE, 'API keys cannot be checked now (the gateway database is unavailable)', {
        cause: error,
      });
    }
    if (!row || !timingSafeEqual(row.secret_sha256, sha256(match[2]!)))
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'The API key is not known');
    if (row.revoked_at)
      throw new AppError(ErrorCode.UNAUTHENTICATED, `The API key ${row.id} was revoked on ${row.revoked_at.toISOString()}`);
    if (row.expires_at && row.expires_at <= new Date())
      throw new AppError(ErrorCode.UNAUTHENTICATED, `The API key ${row.id} expired on ${row.expires_at.toISOString()}`);
    const apiKey = toApiKey(row);
    verified.set(fingerprint, apiKey);
    return apiKey;
  };
}

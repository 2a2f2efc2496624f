import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyVerifier } from '../../../gateway/auth/api-keys.js';
import { createAuthenticator } from '../../../gateway/auth/authenticate.js';
import { createAdmission } from '../../../gateway/routes/admission.js';
import type { GatewaySecurity } from '../../../gateway/security.js';
import type { Database } from '../../../platform/database/database.js';

/** A gateway database that answers (with the key's row) until `down` is set, then fails every statement. */
function flakyDatabase(row: Record<string, unknown>) {
  const state = { down: false };
  const database = {
    driver: 'postgres',
    query: async () => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return [row];
    },
  } as unknown as Database;
  return { database, state };
}

const id = '0123456789ab';
const secret = 'S'.repeat(43);
const key = `vnk_${id}_${secret}`;
const row = {
  id,
  name: 'HIS Bạch Mai',
  agency: 'health',
  scopes: ['health:pii'],
  secret_sha256: createHash('sha256').update(secret).digest(),
  created_at: new Date(),
  expires_at: null,
  revoked_at: null,
};

describe('an API key that cannot be checked (the gateway database is down)', () => {
  it('is CREDENTIALS_UNAVAILABLE, 503: the client should retry, its key was not refused', async () => {
    const { database, state } = flakyDatabase(row);
    state.down = true;
    await expect(createApiKeyVerifier(database)(key)).rejects.toMatchObject({
      code: 'CREDENTIALS_UNAVAILABLE',
      httpStatus: 503,
      message: 'API keys cannot be checked now (the gateway database is unavailable)',
    });
  });

  it('does not stop a key checked in the last 30 seconds', async () => {
    const { database, state } = flakyDatabase(row);
    const verify = createApiKeyVerifier(database);
    await verify(key);
    state.down = true;
    await expect(verify(key)).resolves.toMatchObject({ id, agency: 'health' });
  });

  describe('through admission', () => {
    let server: Server;
    const failures: string[] = [];
    beforeAll(async () => {
      const { database, state } = flakyDatabase(row);
      state.down = true;
      const security = {
        authenticate: createAuthenticator({
          verifyToken: undefined,
          verifyApiKey: createApiKeyVerifier(database),
          anonymousScopes: new Set(['indicators:read']),
        }),
        rateLimiter: undefined,
        authFailures: { check: () => {}, failed: async (address: string) => void failures.push(address) },
      } as unknown as GatewaySecurity;
      const admit = createAdmission(security);
      server = createServer(async (request, response) => {
        if (await admit(request, response)) response.end('admitted');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

    it('answers 503 with the code, and does not count it as a failed authentication of the address', async () => {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, { headers: { 'x-api-key': key } });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'API keys cannot be checked now (the gateway database is unavailable)',
            extensions: { code: 'CREDENTIALS_UNAVAILABLE' },
          },
        ],
      });
      expect(failures).toEqual([]);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyVerifier } from '../../gateway/auth/api-keys.js';
import { openGatewayDatabase } from '../../gateway/database.js';
import { runScript } from '../support/command.js';
import { createTestDatabase } from '../support/postgres.js';
import { eventually } from '../support/system.js';

describe('npm run api-key', () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase('api_key_cli');
  });
  afterAll(() => database?.drop());

  const apiKey = async (...args: string[]) => {
    const result = await runScript('scripts/api-key.ts', args, { AUDIT_DATABASE_URL: database.url });
    if (result.code !== 0) throw new Error(`api-key ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
    return result;
  };

  it('creates a key shown once, lists it, and revokes it', async () => {
    const created = await apiKey('create', '--name', 'HIS Bạch Mai', '--agency', 'health', '--scopes', 'health:pii,indicators:read');
    const key = /^(vnk_\S+)$/m.exec(created.stdout)![1]!;
    const id = key.slice(4, 16);
    expect(created.stdout).toContain(`Created API key ${id} for HIS Bạch Mai (health), scopes health:pii indicators:read`);
    expect((await apiKey('list')).stdout).toMatch(new RegExp(`^${id}  HIS Bạch Mai  health  health:pii indicators:read  active$`, 'm'));
    const gatewayDatabase = await openGatewayDatabase({ url: database.url, dataDir: '' });
    try {
      // One verifier, as a running gateway has, trusting a verified key for a second (production: 30 s).
      const verify = createApiKeyVerifier(gatewayDatabase, 1);
      expect((await verify(key)).id).toBe(id);
      expect((await apiKey('revoke', '--id', id)).stdout).toBe(
        `Revoked API key ${id} (HIS Bạch Mai); replicas stop accepting it within 30 seconds.\n`,
      );
      const [{ revoked_at: revokedAt }] = (await gatewayDatabase.query<{ revoked_at: Date }>(
        'SELECT revoked_at FROM access.api_key WHERE id = $1',
        [id],
      )) as [{ revoked_at: Date }];
      const refusal = `The API key ${id} was revoked on ${revokedAt.toISOString()}`;
      const refused = () =>
        verify(key).then(
          () => false,
          (error: { code?: string; message?: string }) => error.code === 'UNAUTHENTICATED' && error.message === refusal,
        );
      // Refused once the cached verification lapses; a loaded machine gets a few seconds more.
      expect(await eventually(refused, 1_000 + 6_000)).toBe(true);
      expect((await apiKey('list')).stdout).toBe(
        `${id}  HIS Bạch Mai  health  health:pii indicators:read  revoked ${revokedAt.toISOString()}\n`,
      );
    } finally {
      await gatewayDatabase.close();
    }
  });
});

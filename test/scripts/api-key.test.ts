import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyVerifier } from '../../gateway/auth/api-keys.js';
import { openGatewayDatabase } from '../../gateway/database.js';
import { runScript } from '../support/command.js';
import { createTestDatabase } from '../support/postgres.js';

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
      expect((await apiKeyVerifier(gatewayDatabase)(key)).id).toBe(id);
      expect((await apiKey('revoke', '--id', id)).stdout).toContain(`Revoked API key ${id}`);
      await expect(apiKeyVerifier(gatewayDatabase)(key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await gatewayDatabase.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyVerifier, createApiKey, listApiKeys, revokeApiKey } from '../../../gateway/auth/api-keys.js';
import { createAuthenticator } from '../../../gateway/auth/authenticate.js';
import { createTokenVerifier } from '../../../gateway/auth/jwt.js';
import { openGatewayDatabase } from '../../../gateway/database.js';
import type { RunningGateway } from '../../../gateway/server.js';
import type { Database } from '../../../platform/database/database.js';
import { createTestDatabase } from '../../support/postgres.js';
import { createTestSecurity, type TestSecurity } from '../../support/security.js';
import { bearer, eventually, post, startTestSystem, type TestSystem, startReplica } from '../../support/system.js';

const healthLookup = 'query ($pin: ID!) { citizen(pin: $pin) { healthRecord { createdAt } } }';

describe('API keys', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase('api_keys');
    drop = created.drop;
    database = await openGatewayDatabase({ url: created.url, dataDir: '' });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('keeps only a hash of the secret, and knows the key by it', async () => {
    const { key, apiKey } = await createApiKey(database, { name: 'HIS Bạch Mai', agency: 'health', scopes: ['health:pii'] });
    expect(key).toMatch(/^vnk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const [row] = await database.query<Record<string, unknown>>('SELECT * FROM access.api_key WHERE id = $1', [apiKey.id]);
    expect(JSON.stringify(row)).not.toContain(key.slice(17));
    expect(await createApiKeyVerifier(database)(key)).toMatchObject({ id: apiKey.id, agency: 'health', scopes: ['health:pii'] });
    expect((await listApiKeys(database)).map((listed) => listed.id)).toContain(apiKey.id);
  });

  it.each([
    ['a malformed key', () => 'secret123', /malformed/],
    ['an unknown key', () => `vnk_000000000000_${'A'.repeat(43)}`, /not known/],
  ])('refuses %s', async (_name, key, reason) => {
    await expect(createApiKeyVerifier(database)(key())).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(reason),
    });
  });

  it('refuses a right id with a wrong secret, a revoked key and an expired one', async () => {
    const { key, apiKey } = await createApiKey(database, { name: 'Sở Y tế', agency: 'health', scopes: ['health:pii'] });
    await expect(createApiKeyVerifier(database)(key.replace(/.$/, key.endsWith('A') ? 'B' : 'A'))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await revokeApiKey(database, apiKey.id);
    await expect(createApiKeyVerifier(database)(key)).rejects.toMatchObject({ message: expect.stringMatching(/revoked/) });
    const expiring = await createApiKey(database, {
      name: 'short-lived',
      agency: 'health',
      scopes: ['health:pii'],
      expiresAt: new Date(Date.now() + 1_000),
    });
    await database.query(`UPDATE access.api_key SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiring.apiKey.id]);
    await expect(createApiKeyVerifier(database)(expiring.key)).rejects.toMatchObject({ message: expect.stringMatching(/expired/) });
  });

  it('refuses to create keys without a name, agency or well-formed scopes', async () => {
    await expect(createApiKey(database, { name: ' ', agency: 'health', scopes: ['health:pii'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(createApiKey(database, { name: 'x', agency: 'health', scopes: ['everything'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(revokeApiKey(database, 'ffffffffffff')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('an agency system with an API key, through the gateway', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem();
  });
  afterAll(() => test?.stop());

  it('reads what its scopes allow, as its agency, and is refused the rest', async () => {
    const { key } = await createApiKey(test.security.database, { name: 'HIS', agency: 'health', scopes: ['health:pii'] });
    const headers = { 'x-api-key': key, 'x-purpose': 'health-care' };
    const allowed = await test.queryAs(headers, 'query ($pin: ID!) { citizen(pin: $pin) { healthRecord { createdAt } } }', {
      pin: test.pin,
    });
    expect(allowed.errors).toBeUndefined();
    const refused = await test.queryAs(headers, 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }', { pin: test.pin });
    expect(refused).toMatchObject({ status: 403, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    const both = await test.queryAs({ ...headers, ...bearer('x') }, '{ tasks { number } }');
    expect(both).toMatchObject({
      status: 401,
      errors: [{ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/not both/) }],
    });
  });

  it('refuses a key that expires while the gateway still trusts it from its cache', async () => {
    // The gateway trusts a verified key for 30 s (createGatewaySecurity's default); this one expires well before.
    const expiresAt = new Date(Date.now() + 5_000);
    const { key, apiKey } = await createApiKey(test.security.database, {
      name: 'HIS',
      agency: 'health',
      scopes: ['health:pii'],
      expiresAt,
    });
    const headers = { 'x-api-key': key, 'x-purpose': 'health-care' };
    const cachedUntil = Date.now() + 30_000;
    const accepted = await test.queryAs(headers, healthLookup, { pin: test.pin });
    expect(accepted.status).toBe(200);
    expect(accepted.errors).toBeUndefined();
    // Refused soon after it expires, and long before the cache would have asked the database again.
    const deadline = expiresAt.getTime() + 15_000;
    expect(
      await eventually(async () => (await test.queryAs(headers, healthLookup, { pin: test.pin })).status === 401, deadline - Date.now()),
    ).toBe(true);
    expect(Date.now()).toBeLessThan(cachedUntil);
    expect(await test.queryAs(headers, healthLookup, { pin: test.pin })).toMatchObject({
      status: 401,
      errors: [{ message: `The API key ${apiKey.id} expired on ${expiresAt.toISOString()}`, extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });
});

/** The gateway's security with verified API keys trusted for `seconds` (production: 30) instead. */
async function trustingKeysFor(base: TestSecurity, seconds: number): Promise<TestSecurity> {
  const authenticate = createAuthenticator({
    verifyToken: base.config.jwt ? await createTokenVerifier(base.config.jwt) : undefined,
    verifyApiKey: createApiKeyVerifier(base.database, seconds),
    anonymousScopes: base.config.anonymousScopes,
  });
  return { ...base, security: { ...base.security, authenticate } };
}

describe('a revoked API key on running replicas', () => {
  const cacheSeconds = 2;
  let primarySecurity: TestSecurity;
  let replicaSecurity: TestSecurity;
  let test: TestSystem;
  let replica: RunningGateway;
  beforeAll(async () => {
    primarySecurity = await trustingKeysFor(await createTestSecurity(), cacheSeconds);
    test = await startTestSystem({ security: primarySecurity });
    // Its own key cache over the shared gateway database, signing subgraph requests as the primary does.
    replicaSecurity = await trustingKeysFor(
      await createTestSecurity({
        database: primarySecurity.database,
        environment: { GATEWAY_SIGNING_SECRET: primarySecurity.config.signingSecret },
      }),
      cacheSeconds,
    );
    replica = await startReplica(test, {
      security: replicaSecurity.security,
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
    await replicaSecurity?.close();
    await primarySecurity?.close();
  });

  it('is refused by every replica within the lifetime of their verified-key caches', async () => {
    const { key, apiKey } = await createApiKey(primarySecurity.database, { name: 'HIS', agency: 'health', scopes: ['health:pii'] });
    const headers = { 'x-api-key': key, 'x-purpose': 'health-care' };
    const urls = [test.system.gateway.url, replica.url];
    // Both replicas verify the key and keep it in their caches.
    for (const url of urls) expect((await post(url, healthLookup, { pin: test.pin }, headers)).status).toBe(200);
    const { revokedAt } = await revokeApiKey(primarySecurity.database, apiKey.id);
    const refusedEverywhere = async () =>
      (await Promise.all(urls.map((url) => post(url, healthLookup, { pin: test.pin }, headers)))).every((answer) => answer.status === 401);
    // A loaded machine gets a few seconds beyond the cache lifetime; a cache that never lets go fails here.
    expect(await eventually(refusedEverywhere, cacheSeconds * 1_000 + 6_000)).toBe(true);
    for (const url of urls) {
      expect(await post(url, healthLookup, { pin: test.pin }, headers)).toMatchObject({
        status: 401,
        errors: [
          { message: `The API key ${apiKey.id} was revoked on ${revokedAt!.toISOString()}`, extensions: { code: 'UNAUTHENTICATED' } },
        ],
      });
    }
  });
});

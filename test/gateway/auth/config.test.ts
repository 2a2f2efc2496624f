import { describe, expect, it } from 'vitest';
import { readSecurityConfig } from '../../../gateway/auth/config.js';

const secret = 'a-secret-of-at-least-thirty-two-characters';

describe('readSecurityConfig', () => {
  it('defaults to development: a generated token secret and signing secret, anonymous indicators, the listed purposes', () => {
    const config = readSecurityConfig({}, false);
    expect(config).toMatchObject({
      deployment: 'development',
      jwt: { kind: 'secret', development: true },
      signingSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      rateLimitPerMinute: 1_200,
    });
    expect([...config.anonymousScopes]).toEqual(['indicators:read']);
    expect(config.purposes.has('health-care')).toBe(true);
    expect(config.demandControl).toEqual({ anonymous: 100_000, authenticated: 500_000, listSize: 100 });
    // A fresh secret each start: tokens of an earlier run are not accepted.
    expect(readSecurityConfig({}, false).signingSecret).not.toBe(config.signingSecret);
  });

  it('has no token secret of its own in production', () => {
    const config = readSecurityConfig({ DEPLOYMENT: 'production', GATEWAY_SIGNING_SECRET: secret }, false);
    expect(config.jwt).toBeUndefined();
    expect(config.signingSecret).toBe(secret);
  });

  it('takes a JWKS URL, a public key or a secret, each with issuer and audience', () => {
    const common = { AUTH_JWT_ISSUER: 'https://id.gov.vn', AUTH_JWT_AUDIENCE: 'vn-gateway' };
    expect(readSecurityConfig({ ...common, AUTH_JWKS_URL: 'https://id.gov.vn/jwks.json' }, false).jwt).toMatchObject({
      kind: 'jwks',
      issuer: 'https://id.gov.vn',
    });
    // Plain HTTP only outside production (a local identity provider while developing).
    expect(readSecurityConfig({ ...common, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }, false).jwt).toMatchObject({ kind: 'jwks' });
    expect(readSecurityConfig({ ...common, AUTH_JWT_SECRET: secret }, false).jwt).toMatchObject({ kind: 'secret', development: false });
    expect(readSecurityConfig({ ANONYMOUS_SCOPES: '' }, false).anonymousScopes.size).toBe(0);
    // Test databases in development, when said so.
    expect(readSecurityConfig({ DEPLOYMENT: 'development', POPULATION_DATABASE_URL: 'postgres://127.0.0.1/test' }, false).deployment).toBe(
      'development',
    );
    expect([...readSecurityConfig({ ANONYMOUS_SCOPES: 'indicators:read, schema:read' }, false).anonymousScopes]).toEqual([
      'indicators:read',
      'schema:read',
    ]);
  });

  it.each([
    [{ DEPLOYMENT: 'staging' }, /^Invalid configuration: DEPLOYMENT /],
    // Pointed at real databases, a start never falls into development by default.
    [
      { POPULATION_DATABASE_URL: 'postgres://db.bca.gov.vn/population' },
      /DEPLOYMENT must be set \(production, or development for test databases\) when a database URL is given \(POPULATION_DATABASE_URL\)/,
    ],
    [
      { HEALTH_DATABASE_URL: 'postgres://db/health', AUDIT_DATABASE_URL: 'postgres://db/audit', DEPLOYMENT: '' },
      /DEPLOYMENT must be set .*\(HEALTH_DATABASE_URL, AUDIT_DATABASE_URL\)/,
    ],
    [{ DEPLOYMENT: 'production' }, /GATEWAY_SIGNING_SECRET must be set in production/],
    [{ GATEWAY_SIGNING_SECRET: 'short' }, /GATEWAY_SIGNING_SECRET must be at least 32 characters .*\(got 5 characters\)/],
    [{ AUTH_JWT_SECRET: secret }, /AUTH_JWT_ISSUER must be set/],
    [{ AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: 'x' }, /AUTH_JWT_AUDIENCE must be set/],
    [{ AUTH_JWT_SECRET: secret, AUTH_JWKS_URL: 'https://x/jwks' }, /set only one of AUTH_JWKS_URL, AUTH_JWT_SECRET/],
    [{ AUTH_JWKS_URL: 'file:///etc/keys' }, /^Invalid configuration: AUTH_JWKS_URL /],
    [{ AUTH_JWT_PUBLIC_KEY: 'ssh-rsa AAAA' }, /^Invalid configuration: AUTH_JWT_PUBLIC_KEY /],
    [{ ANONYMOUS_SCOPES: 'everything' }, /^Invalid configuration: ANONYMOUS_SCOPES /],
    [{ PURPOSES: 'Health Care' }, /^Invalid configuration: PURPOSES /],
    [{ AUDIT_DATABASE_URL: 'mysql://x/y' }, /^Invalid configuration: AUDIT_DATABASE_URL /],
    [{ MAX_BODY_BYTES: '10' }, /^Invalid configuration: MAX_BODY_BYTES /],
    [{ LIMIT_DEPTH: '-1' }, /^Invalid configuration: LIMIT_DEPTH /],
    [{ LIMIT_COST_ANONYMOUS: 'lots' }, /^Invalid configuration: LIMIT_COST_ANONYMOUS /],
    [{ LIMIT_LIST_SIZE: '0' }, /^Invalid configuration: LIMIT_LIST_SIZE /],
    [
      {
        DEPLOYMENT: 'production',
        GATEWAY_SIGNING_SECRET: secret,
        AUTH_JWKS_URL: 'http://id.gov.vn/jwks.json',
        AUTH_JWT_ISSUER: 'https://id.gov.vn',
        AUTH_JWT_AUDIENCE: 'vn-gateway',
      },
      /AUTH_JWKS_URL must be an https URL in production/,
    ],
  ])('stops on %j, naming the variable', (environment, message) => {
    expect(() => readSecurityConfig(environment as NodeJS.ProcessEnv, false)).toThrow(message);
  });

  it('needs a shared signing secret when subgraphs run elsewhere', () => {
    expect(() => readSecurityConfig({}, true)).toThrow(/GATEWAY_SIGNING_SECRET must be set when SUBGRAPH_\*_URL/);
    expect(readSecurityConfig({ GATEWAY_SIGNING_SECRET: secret }, true).signingSecret).toBe(secret);
  });
});

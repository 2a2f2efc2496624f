import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecurityConfig } from '../../gateway/auth/config.js';
import { corsExposedHeaders, corsRequestHeaders } from '../../gateway/cors.js';
import type { RunningGateway } from '../../gateway/server.js';
import type { TestSecurity } from '../support/security.js';
import { startReplica, startTestSystem, type TestSystem, securityBeside } from '../support/system.js';

const dashboard = 'https://dashboard.gov.vn';
const elsewhere = 'https://evil.example';
const body = JSON.stringify({ query: '{ tasks { number } }' });

describe('CORS on /graphql', () => {
  let test: TestSystem;
  let security: TestSecurity;
  let gateway: RunningGateway;
  beforeAll(async () => {
    test = await startTestSystem();
    security = await securityBeside(test, { CORS_ORIGINS: `${dashboard}, http://localhost:5173` });
    gateway = await startReplica(test, { security: security.security });
  });
  afterAll(async () => {
    await gateway?.stop();
    await security?.close();
    await test?.stop();
  });

  const preflight = (origin: string, requestHeaders = 'content-type, authorization, x-purpose') =>
    fetch(gateway.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
    });

  it('answers the preflight of an allowed origin with its origin, the methods and headers the API takes, and a max age', async () => {
    const response = await preflight(dashboard);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(dashboard);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')?.split(', ')).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'x-purpose', 'x-api-key']),
    );
    expect(response.headers.get('access-control-allow-headers')?.split(', ')).toEqual(corsRequestHeaders);
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toMatch(/^Origin\b/);
    expect((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('gives an origin not on the list no CORS header, neither on the preflight nor on the answer', async () => {
    const refused = await preflight(elsewhere);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toMatchObject({
      errors: [
        {
          message: `Pages from ${elsewhere} may not call this API from a browser (it is not in CORS_ORIGINS)`,
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    // Near misses of an allowed origin are other origins.
    for (const origin of [`${dashboard}:8443`, 'http://dashboard.gov.vn', 'https://dashboard.gov.vn.evil.example', 'null']) {
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
    const answer = await fetch(gateway.url, { method: 'POST', headers: { origin: elsewhere, 'content-type': 'application/json' }, body });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('vary')).toBe('Origin');
  });

  it('lets an allowed page read the answer and its request id, and says the answer varies by origin', async () => {
    const answer = await fetch(gateway.url, { method: 'POST', headers: { origin: dashboard, 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(dashboard);
    expect(answer.headers.get('access-control-expose-headers')?.split(', ')).toEqual(corsExposedHeaders);
    expect(answer.headers.get('vary')).toBe('Origin');
    expect(((await answer.json()) as { data: { tasks: unknown[] } }).data.tasks).toHaveLength(18);
  });

  it('answers OPTIONS without an origin with what it allows', async () => {
    const response = await fetch(gateway.url, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  const secret = 'a-production-secret-of-32-characters!';
  it('takes exact origins, and * only in development', () => {
    expect(readSecurityConfig({}, false).corsOrigins).toEqual([]);
    expect(readSecurityConfig({ CORS_ORIGINS: ' https://a.gov.vn ,http://localhost:5173' }, false).corsOrigins).toEqual([
      'https://a.gov.vn',
      'http://localhost:5173',
    ]);
    expect(readSecurityConfig({ CORS_ORIGINS: '*' }, false).corsOrigins).toEqual(['*']);
  });

  it.each([
    [{ CORS_ORIGINS: '*', DEPLOYMENT: 'production', GATEWAY_SIGNING_SECRET: secret }, /CORS_ORIGINS cannot be \* in production/],
    [{ CORS_ORIGINS: 'https://a.gov.vn/' }, /^Invalid configuration: CORS_ORIGINS .*no trailing slash/],
    [{ CORS_ORIGINS: 'https://a.gov.vn/dashboard' }, /^Invalid configuration: CORS_ORIGINS /],
    [{ CORS_ORIGINS: 'a.gov.vn' }, /^Invalid configuration: CORS_ORIGINS /],
    [{ CORS_ORIGINS: 'ftp://a.gov.vn' }, /^Invalid configuration: CORS_ORIGINS /],
  ])('stops on %j, naming CORS_ORIGINS', (env, message) => {
    expect(() => readSecurityConfig(env, false)).toThrow(message);
  });
});

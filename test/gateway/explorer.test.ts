import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../gateway/server.js';
import { readSupergraph } from '../../gateway/supergraph.js';
import type { RunningServer } from '../../platform/listen.js';
import { createTestSecurity, type TestSecurity } from '../support/security.js';

describe('explorer', () => {
  let gateway: RunningServer;
  let security: TestSecurity;
  beforeAll(async () => {
    security = await createTestSecurity();
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: readSupergraph(),
      examples: { pin: '079185000123', communeCode: '00004' },
      security: security.security,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await security?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, gateway.url), { headers });

  it('serves GraphiQL to a browser at /graphql, every asset from the gateway itself, under a strict CSP', async () => {
    const page = await get('/graphql', { accept: 'text/html' });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) expect((await get(asset)).status, asset).toBe(200);
  });

  it('serves the editor workers and the example operations, with the example data', async () => {
    for (const worker of ['editor', 'json', 'graphql']) expect((await get(`/explorer/worker/${worker}.js`)).status).toBe(200);
    const start = await (await get('/explorer/start.js')).text();
    expect(start).toContain('CitizenAcrossAgencies');
    expect(start).toContain('ProvinceIndicators');
    expect(start).toContain('079185000123');
    expect(start).toContain('00004');
    // The personal-data tabs show where the token and the purpose go.
    expect(start).toContain('Bearer <paste the token npm start printed, or your own>');
    expect(start).toContain('x-purpose');
    expect((await get('/explorer/nothing-here.js')).status).toBe(404);
  });

  it('compresses the bundle with brotli and answers a revalidation with 304', async () => {
    const bundle = await get('/explorer/graphiql.js', { 'accept-encoding': 'br' });
    expect(bundle.headers.get('content-encoding')).toBe('br');
    const plain = await get('/explorer/graphiql.js');
    const size = (await plain.arrayBuffer()).byteLength;
    expect(size).toBeGreaterThan(5_000_000);
    const again = await get('/explorer/graphiql.js', { 'if-none-match': plain.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('leaves GraphQL requests to the API and turns @apollo/gateway telemetry off', async () => {
    const answer = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});

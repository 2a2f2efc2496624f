import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardRoutes, dashboardContentSecurityPolicy } from '../../../gateway/routes/dashboard.js';
import { createRouter } from '../../../gateway/routes/index.js';

/** The dashboard's routes over a build made up here, and over none. */
describe('the dashboard routes', () => {
  let folder: string;
  let server: Server;
  let origin: string;
  const page = '<!doctype html><title>t</title><script type="module" src="/dashboard/assets/index-Ab12.js"></script>';
  const script = `console.log(${JSON.stringify('x'.repeat(4_000))});`;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'dashboard-build-'));
    await mkdir(path.join(folder, 'assets'));
    await writeFile(path.join(folder, 'index.html'), page);
    await writeFile(path.join(folder, 'assets', 'index-Ab12.js'), script);
    await writeFile(path.join(folder, '.source-hash'), 'abc\n');
    const routes = new Map([
      ...createDashboardRoutes({ directory: folder }),
      ...createDashboardRoutes({ directory: path.join(folder, 'none') }).map(
        ([route, handler]) => [route.replace('/dashboard', '/unbuilt'), handler] as const,
      ),
    ]);
    server = createServer(createRouter(routes, { handle: () => false }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the page at /dashboard, /dashboard/ and /dashboard/index.html, revalidated, under the policy', async () => {
    for (const route of ['/dashboard', '/dashboard/', '/dashboard/index.html']) {
      const response = await fetch(`${origin}${route}`);
      expect(response.status, route).toBe(200);
      expect(await response.text()).toBe(page);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(dashboardContentSecurityPolicy);
    }
  });

  it('keeps hashed assets a year, compresses them, answers HEAD and If-None-Match, and serves no dotfile', async () => {
    const asset = await fetch(`${origin}/dashboard/assets/index-Ab12.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(await asset.text()).toBe(script);
    const head = await fetch(`${origin}/dashboard/assets/index-Ab12.js`, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(script));
    expect(await head.text()).toBe('');
    const again = await fetch(`${origin}/dashboard/assets/index-Ab12.js`, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${origin}/dashboard/.source-hash`)).status).toBe(404);
    expect((await fetch(`${origin}/dashboard/assets/index-Ab12.js`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 503 with the command to run when there is no build', async () => {
    const response = await fetch(`${origin}/unbuilt`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:dashboard');
  });
});

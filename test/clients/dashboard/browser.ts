import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { dashboardBuild } from '../../../gateway/routes/dashboard.js';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Builds the dashboard when its build is missing or older than its sources
 * (the build is not in git); test files starting together build it once.
 */
export async function buildDashboardIfStale(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build-dashboard.mjs'), '--if-stale', '--quiet'], {
    cwd: root,
    timeout: 600_000,
  });
}

/** Debian's chromium (CHROMIUM_PATH to use another): nothing is downloaded. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // Tests run as root in CI, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/**
 * A page whose waits (navigation, clicks, selects, locators) allow 90 s rather
 * than Playwright's 30: a loaded two-core machine is slow, never stuck.
 */
export async function newPage(browser: Browser, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  page.setDefaultTimeout(90_000);
  page.setDefaultNavigationTimeout(90_000);
  return page;
}

/** Waits until the view has drawn its figures (or failed), however loaded the machine is. */
export async function viewReady(page: Page, state: 'true' | 'error' = 'true'): Promise<void> {
  await page.locator(`#view .view[data-ready="${state}"]`).waitFor({ state: 'attached', timeout: 90_000 });
}

/** Violations of axe-core's rules that are serious or critical, by rule, with the elements. */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact!, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
}

/** Records the page's Content-Security-Policy violations (from the moment it loads). */
export async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/**
 * A page on another origin: a tiny static server of the dashboard's build whose
 * page reads the gateway at the endpoint given to `pointAt`, as a dashboard
 * hosted elsewhere would. It listens first, so that its origin can be put in
 * the gateway's CORS_ORIGINS before the gateway starts.
 */
export async function serveDashboardElsewhere(): Promise<{
  origin: string;
  pointAt(endpoint: string): Promise<void>;
  close(): Promise<void>;
}> {
  let page = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/dashboard' || url.pathname === '/dashboard/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const name = path.normalize(url.pathname.replace(/^\/dashboard\//, ''));
    if (!url.pathname.startsWith('/dashboard/assets/') || name.startsWith('..')) {
      response.writeHead(404).end();
      return;
    }
    readFile(path.join(dashboardBuild, name)).then(
      (body) => response.writeHead(200, { 'content-type': name.endsWith('.css') ? 'text/css' : 'text/javascript' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async pointAt(endpoint) {
      const built = await readFile(path.join(dashboardBuild, 'index.html'), 'utf8');
      page = built.replace('<meta name="graphql-endpoint" content="/graphql" />', `<meta name="graphql-endpoint" content="${endpoint}" />`);
      if (page === built) throw new Error('the built page has no graphql-endpoint meta to point elsewhere');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

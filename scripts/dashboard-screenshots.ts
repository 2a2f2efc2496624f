/**
 * `npm run docs:screenshots`: screenshots of each view of the dashboard for
 * docs/dashboard.md (docs/images/dashboard-*.png), and its measurements: the
 * built JavaScript and CSS, gzipped and with brotli, and the time to the
 * scorecard's figures on screen with a warm cache (the median of five loads
 * after a first one filled the browser's cache and the gateway's).
 *
 * By default it runs `npm start` itself on a data folder of its own
 * (.data/screenshots: the first run generates the demo dataset, later ones
 * reuse it) on free ports, and stops it at the end; `--url URL` uses a
 * dashboard already running instead (e.g. http://127.0.0.1:4000/dashboard).
 * Chromium is Debian's (`--chromium PATH`, default /usr/bin/chromium).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'data-dir': { type: 'string', default: path.join(root, '.data', 'screenshots') },
  },
});
const images = path.join(root, 'docs', 'images');
const say = (line: string) => process.stderr.write(`${line}\n`);

/** Starts `npm start` on free ports and returns the dashboard URL it prints. */
async function startSystem(): Promise<{ url: string; child: ChildProcess }> {
  mkdirSync(options['data-dir']!, { recursive: true });
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: options['data-dir'],
      PORT: '0',
      SUBGRAPH_POPULATION_PORT: '0',
      SUBGRAPH_CIVIL_SERVICE_PORT: '0',
      SUBGRAPH_AGRICULTURE_PORT: '0',
      SUBGRAPH_HEALTH_PORT: '0',
      SUBGRAPH_INDICATORS_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /^\s+dashboard\s+(http:\/\/\S+)/m.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => {
      read(chunk);
      if (/First run|Built the dashboard|Ready:/.test(chunk.toString())) say(chunk.toString().trimEnd());
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)));
  });
  return { url, child };
}

async function settled(page: Page): Promise<void> {
  await page.locator('#view .view[data-ready="true"]').waitFor({ state: 'attached', timeout: 120_000 });
}

/** A screenshot of the header and the view, without the definitions below it, and at most 2,400 pixels tall. */
async function shoot(page: Page, name: string): Promise<void> {
  // Evaluated in the page (as text: this file is compiled without the DOM's types).
  const box = await page.evaluate<{ height: number; width: number }>(`(() => {
    const view = document.getElementById('view').getBoundingClientRect();
    return { height: Math.min(2400, Math.ceil(view.bottom + window.scrollY + 8)), width: document.documentElement.clientWidth };
  })()`);
  const file = path.join(images, `dashboard-${name}.png`);
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width: box.width, height: box.height }, fullPage: true });
  say(`wrote ${path.relative(root, file)}`);
}

function builtSizes(): { file: string; bytes: number; gzip: number; brotli: number }[] {
  const assets = path.join(root, 'clients', 'dashboard', 'dist', 'assets');
  return readdirSync(assets)
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => {
      const body = readFileSync(path.join(assets, name));
      return { file: name, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length, brotli: brotliCompressSync(body).length };
    });
}

const started = options.url ? undefined : await startSystem();
const dashboard = options.url ?? started!.url;
const browser = await chromium.launch({ executablePath: options.chromium, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  mkdirSync(images, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const views: Array<[string, string]> = [
    ['scorecard', ''],
    ['provinces', '?view=provinces&indicator=ehrCoverage'],
    ['communes', '?view=communes&indicator=eIdAdoption&area=22'],
    ['trend', '?view=trend&indicator=eIdAdoption&area=01&period=2025-Q4'],
    ['scorecard-en', '?lang=en'],
  ];
  for (const [name, query] of views) {
    await page.goto(`${dashboard}${query}`);
    await settled(page);
    await shoot(page, name);
  }

  // Warm: the browser holds the page's assets, the gateway its persisted queries and answers.
  const drawn: number[] = [];
  const contentful: number[] = [];
  for (let run = 0; run < 6; run++) {
    await page.goto(dashboard);
    await settled(page);
    const timing = await page.evaluate<{ drawn: number; contentful: number }>(`({
      drawn: performance.getEntriesByName('dashboard:drawn')[0]?.startTime ?? Number.NaN,
      contentful: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    })`);
    if (run === 0) continue;
    drawn.push(timing.drawn);
    contentful.push(timing.contentful);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const sizes = builtSizes();
  const total = (key: 'bytes' | 'gzip' | 'brotli', extension: string) =>
    sizes.filter((size) => size.file.endsWith(extension)).reduce((sum, size) => sum + size[key], 0);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    [
      `JavaScript: ${kib(total('bytes', '.js'))}, ${kib(total('gzip', '.js'))} gzipped, ${kib(total('brotli', '.js'))} with brotli`,
      `CSS: ${kib(total('bytes', '.css'))}, ${kib(total('gzip', '.css'))} gzipped`,
      `Scorecard with a warm cache, median of ${drawn.length} loads: first contentful paint ${median(contentful).toFixed(0)} ms, figures drawn ${median(drawn).toFixed(0)} ms after navigation (all: ${drawn.map((value) => value.toFixed(0)).join(', ')} ms)`,
    ].join('\n'),
  );
} finally {
  await browser.close();
  if (started?.child.pid) {
    const exited = new Promise((resolve) => started.child.on('exit', resolve));
    process.kill(-started.child.pid, 'SIGINT');
    await exited;
  }
}

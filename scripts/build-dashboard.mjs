/**
 * `npm run build:dashboard`: builds the dashboard (clients/dashboard, Vite)
 * into clients/dashboard/dist/, which the gateway serves under /dashboard
 * (gateway/routes/dashboard.ts). The build output is not in git: `npm start`,
 * `npm run build` and the browser tests run this with --if-stale, which
 * builds only when the sources (or the Vite and ECharts versions) changed
 * since the last build, and does nothing where Vite is not installed (a
 * production install, which serves the build that `npm run build` made).
 * Plain JavaScript: it runs before anything else, without tsx.
 *
 * Concurrent runs (test files starting together) build once: the first takes
 * a lock, the others wait for it and find the build fresh.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'clients', 'dashboard');
const out = path.join(source, 'dist');
const stampFile = path.join(out, '.source-hash');
const lock = path.join(source, '.build-lock');
const ifStale = process.argv.includes('--if-stale');
const quiet = process.argv.includes('--quiet');
const say = (line) => quiet || process.stderr.write(`${line}\n`);

/** Every source file of the dashboard, and the versions of what builds it. */
function sourceHash() {
  const hash = createHash('sha256');
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name.endsWith('.md')) continue;
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(path.relative(source, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  };
  walk(source);
  // How this script builds: changed when the way of building changes, so that older builds count as stale.
  hash.update('production build, v2\0');
  const require = createRequire(path.join(root, 'package.json'));
  for (const name of ['vite', 'echarts', 'zrender']) hash.update(`${name}@${require(`${name}/package.json`).version}\0`);
  return hash.digest('hex');
}

const fresh = (hash) => existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash;

// Whoever runs this (vitest sets NODE_ENV=test), the build is a production one: Vite and ECharts read NODE_ENV,
// and anything else keeps ECharts' development checks and warnings in the bundle (16 KiB more).
process.env.NODE_ENV = 'production';
let vite;
try {
  vite = await import('vite');
} catch {
  if (ifStale) process.exit(0);
  console.error(
    'error: Vite is not installed (a production install): build the dashboard where the development dependencies are, with `npm run build`.',
  );
  process.exit(1);
}

const hash = sourceHash();
if (ifStale && fresh(hash)) process.exit(0);

/** Whether the build that took the lock is gone (its process ended, or the lock is older than 5 minutes). */
function abandoned() {
  try {
    if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) return true;
    const owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
    process.kill(owner, 0);
    return false;
  } catch (error) {
    // ESRCH: no such process; a lock without its pid yet is being taken right now.
    return error.code === 'ESRCH';
  }
}

// One build at a time; a lock left by a build that died is taken over.
const deadline = Date.now() + 10 * 60_000;
for (;;) {
  try {
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), String(process.pid));
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    if (abandoned()) rmSync(lock, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`another dashboard build holds ${lock} for too long; remove it if no build runs`);
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
try {
  if (ifStale && fresh(hash)) process.exit(0);
  say('Building the dashboard (clients/dashboard)...');
  const started = Date.now();
  // Built beside, then moved in place: a gateway reading dist/ never sees half a build.
  const building = path.join(source, `.dist-${process.pid}`);
  await vite.build({ configFile: path.join(source, 'vite.config.ts'), build: { outDir: building, emptyOutDir: true }, logLevel: 'warn' });
  writeFileSync(path.join(building, '.source-hash'), `${hash}\n`);
  const old = path.join(source, `.dist-old-${process.pid}`);
  if (existsSync(out)) renameSync(out, old);
  renameSync(building, out);
  rmSync(old, { recursive: true, force: true });
  say(`Built the dashboard into clients/dashboard/dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  rmSync(lock, { recursive: true, force: true });
}

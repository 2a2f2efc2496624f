import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { Route } from './index.js';

/**
 * The dashboard (clients/dashboard), served from its build under /dashboard:
 * a client of the public API like any other, on the gateway's own origin so
 * that it needs no CORS. Built by `npm run build:dashboard` (which `npm start`
 * and `npm run build` run when the sources changed); the files are read once,
 * when the gateway starts, and a route is made for each, as the route table
 * matches exact paths.
 *
 * Like the explorer, it runs under a strict Content-Security-Policy: scripts
 * and styles from this origin only (no inline script or style: the charts draw
 * on canvas), requests to this origin only (/graphql), no frames, no forms, no
 * plugins.
 */
export const dashboardPath = '/dashboard';

/** Where the build is, relative to this module: the same from the source tree and from dist/ (npm run build copies it). */
export const dashboardBuild = path.resolve(import.meta.dirname, '../../clients/dashboard/dist');

export const dashboardContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
/** Vite names what it emits under assets/ by content hash: such a name never changes content, so browsers may keep it a year. */
const hashedAssets = 'assets/';
const year = 31_536_000;

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
  brotli?: Buffer;
  gzip?: Buffer;
}

/** The dashboard's routes for the gateway's route table: its page (/dashboard) and each file of its build. */
export function createDashboardRoutes(options: { readonly directory?: string } = {}): Array<[string, Route]> {
  const directory = options.directory ?? dashboardBuild;
  const files = readBuild(directory);
  const page = files.get('index.html');
  if (!page) {
    const notBuilt: Route = (_request, response) => {
      response
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        .end('The dashboard is not built: run `npm run build:dashboard` (npm start does it) and start the gateway again.\n');
    };
    return [
      [dashboardPath, notBuilt],
      [`${dashboardPath}/`, notBuilt],
    ];
  }
  const serve =
    (file: StaticFile): Route =>
    (request, response) =>
      send(request, response, file);
  return [
    [dashboardPath, serve(page)],
    [`${dashboardPath}/`, serve(page)],
    ...[...files].map(([name, file]): [string, Route] => [`${dashboardPath}/${name}`, serve(file)]),
  ];
}

function readBuild(directory: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(path.join(directory, 'index.html'))) return files;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(file);
        continue;
      }
      const name = path.relative(directory, file).split(path.sep).join('/');
      const body = readFileSync(file);
      files.set(name, {
        body,
        type: types[path.extname(name)] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        // The page names the hashed files: it is checked with the gateway each time (a 304 when unchanged).
        cacheControl: name.startsWith(hashedAssets) ? `public, max-age=${year}, immutable` : 'no-cache',
      });
    }
  };
  walk(directory);
  return files;
}

function send(request: IncomingMessage, response: ServerResponse, file: StaticFile): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response
      .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
      .end('The dashboard answers GET and HEAD\n');
    return;
  }
  response.setHeader('content-type', file.type);
  response.setHeader('etag', file.etag);
  response.setHeader('cache-control', file.cacheControl);
  response.setHeader('content-security-policy', dashboardContentSecurityPolicy);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304).end();
    return;
  }
  let body = file.body;
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (file.body.length > 1024 && !file.type.startsWith('image/png') && !file.type.startsWith('font/')) {
    // Compressed once, on first demand: the script is about 570 KiB, 160 KiB with brotli.
    if (/\bbr\b/.test(accepted)) {
      body = file.brotli ??= brotliCompressSync(file.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } });
      response.setHeader('content-encoding', 'br');
    } else if (/\bgzip\b/.test(accepted)) {
      body = file.gzip ??= gzipSync(file.body, { level: 9 });
      response.setHeader('content-encoding', 'gzip');
    }
  }
  response.setHeader('content-length', body.length);
  response.end(request.method === 'HEAD' ? undefined : body);
}

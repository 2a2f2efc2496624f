import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The dashboard's build: static files under /dashboard/ that the gateway
 * serves (gateway/routes/dashboard.ts). Asset names carry a content hash, so
 * the gateway can let browsers keep them for a year; index.html is revalidated.
 * `npx vite clients/dashboard` serves it for development, with /graphql
 * passed to a gateway on 127.0.0.1:4000 (`npm start`).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  // Nothing from outside: no public folder, no CDN, fonts of the system.
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // Every asset a file of its own: a data: URL would need img-src data: in the Content-Security-Policy.
    assetsInlineLimit: 0,
    target: 'es2022',
    // Vite's preload helper injects nothing inline; the polyfill is for browsers without modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/graphql': 'http://127.0.0.1:4000' },
  },
});

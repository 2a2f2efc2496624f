import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start PGlite (WASM) and talk to the real PostgreSQL server:
    // both are slow to start, and two cores are shared by every test file.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
  },
});

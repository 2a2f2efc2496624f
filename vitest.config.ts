import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node (and so @apollo/gateway, @apollo/server) loads graphql's CommonJS
    // build; Vite would give our sources its ES module build, and graphql
    // refuses a schema made by one build in the other's TypeInfo or validate.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start PGlite (WASM) and talk to the real PostgreSQL server:
    // both are slow to start, and two cores are shared by every test file.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    // Request logs (JSON lines) would bury the test report; tests that read them capture them (platform/log.ts).
    // `error`, not `silent`: Hive Gateway (test/schema) reads LOG_LEVEL too, and knows no `silent`.
    env: { LOG_LEVEL: 'error' },
  },
});

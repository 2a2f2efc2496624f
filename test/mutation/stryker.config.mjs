// Mutation testing (npm run test:mutation): the modules that carry the
// project's guarantees, each mutated and checked against the tests that cover it.
// Slow (minutes per module on two cores), so not part of npm test or CI;
// incremental: a later run retests only mutants whose code or tests changed.

/** The guarantee-carrying modules (docs/testing.md gives each one's score). */
export const guaranteeModules = [
  // who may see what
  'subgraphs/runtime/access/rules.ts',
  'subgraphs/runtime/access/inspect.ts',
  'subgraphs/runtime/access/plugin.ts',
  'subgraphs/runtime/access/caller.ts',
  'subgraphs/runtime/access/signing.ts',
  // the audit trail and its verifier
  'gateway/audit/chain.ts',
  'gateway/audit/trail.ts',
  'gateway/audit/verify.ts',
  // disclosure control
  'subgraphs/runtime/disclosure.ts',
  // cache keys and the personal-data guard
  'gateway/plugins/response-cache.ts',
  'gateway/plugins/entity-cache.ts',
  'gateway/cache/invalidation.ts',
  // limits and rate limiting
  'gateway/plugins/limits.ts',
  'gateway/plugins/rate-limit.ts',
  // periods
  'subgraphs/runtime/period.ts',
];

export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: guaranteeModules,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Two cores, shared with PostgreSQL and Redis that the integration tests use.
  concurrency: 1,
  // Integration tests start real subgraphs and gateways: allow them their time.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  tempDirName: 'reports/mutation/.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};

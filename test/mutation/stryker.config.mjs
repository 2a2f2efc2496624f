// Mutation testing (npm run test:mutation): the modules that carry the
// project's guarantees, each mutated and checked against the fast tests that
// aim at it. Not part of npm test or CI (minutes per module on two cores);
// incremental: a later run retests only mutants whose code or tests changed.
// scripts/test-mutation.ts runs Stryker once per module with this file.

import { readFileSync } from 'node:fs';

/**
 * The guarantee-carrying modules and the tests each is measured with
 * (modules.json; docs/testing.md gives each one's score). Only tests that start
 * no system: Stryker reruns them for every mutant, and a test that starts
 * subgraphs and a gateway would make one module take hours. Integration tests
 * still cover these modules in npm test; the score here says what the focused
 * tests catch.
 */
export const guaranteeModules = JSON.parse(readFileSync(new URL('./modules.json', import.meta.url), 'utf8'));

// The module and tests of this run, set by scripts/test-mutation.ts.
const module = process.env.MUTATION_MODULE ?? Object.keys(guaranteeModules)[0];
const slug = module.replace(/\.ts$/, '').replaceAll('/', '.');

export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // related: false: run exactly the tests test/mutation/vitest.config.ts includes.
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [module],
  // Mutants in code that runs once, at import time, are mutated too (they need a fresh run each).
  ignoreStatic: false,
  incremental: true,
  incrementalFile: `reports/mutation/${slug}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${slug}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${slug}/mutation.json` },
  // Two cores, shared with PostgreSQL and Redis.
  concurrency: 1,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  // One sandbox folder per module, so modules can be measured side by side.
  tempDirName: `reports/mutation/${slug}/.stryker-tmp`,
  // Not copied into a sandbox: other modules' sandboxes live there and come and go.
  ignorePatterns: ['/reports'],
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};

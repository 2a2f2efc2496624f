import path from 'node:path';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// The suite's configuration, narrowed to the tests that aim at the module under
// mutation (MUTATION_TESTS, comma-separated, set by scripts/test-mutation.ts).
const tests = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (tests.length === 0) throw new Error('MUTATION_TESTS names no test file: run mutation testing with npm run test:mutation');

export default defineConfig({ ...base, root: path.resolve(import.meta.dirname, '..', '..'), test: { ...base.test, include: tests } });

/**
 * `npm run test:mutation [-- --files GLOB[,GLOB...]] [--full]`: mutation testing
 * (Stryker, vitest runner, TypeScript checker) of the modules that carry the
 * project's guarantees, or of the files given. Incremental: results are kept in
 * reports/mutation/, and a later run retests only what changed; --full retests all.
 */
import './node-version.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { badUserInput } from '../subgraphs/runtime/errors.js';
import { runCli } from './cli.js';

const usage = 'Usage: npm run test:mutation -- [--files GLOB[,GLOB...]] [--full]';
const root = path.resolve(import.meta.dirname, '..');

runCli(async (signal) => {
  let values;
  try {
    ({ values } = parseArgs({ options: { files: { type: 'string' }, full: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  if (values.files !== undefined && values.files.trim() === '') throw badUserInput(`--files needs one or more globs, e.g. --files subgraphs/runtime/period.ts. ${usage}`);
  const args = ['run', path.join('test', 'mutation', 'stryker.config.mjs')];
  if (values.files) args.push('--mutate', values.files);
  if (values.full) args.push('--force');
  const stryker = spawn(path.join(root, 'node_modules', '.bin', 'stryker'), args, { cwd: root, stdio: 'inherit', signal });
  const [code] = (await once(stryker, 'exit')) as [number | null];
  process.exitCode = code ?? 1;
});

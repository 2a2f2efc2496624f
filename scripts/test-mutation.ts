/**
 * `npm run test:mutation [-- --files GLOB[,GLOB...]] [--full]`: mutation testing
 * (Stryker, vitest runner, TypeScript checker) of the modules that carry the
 * project's guarantees (test/mutation/stryker.config.mjs names them and the
 * tests each is measured with), or of those the globs select. One Stryker run
 * per module; incremental: results are kept in reports/mutation/<module>/, and
 * a later run retests only what changed; --full retests all. Ends with the
 * score of every module measured so far.
 */
import './node-version.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { badUserInput } from '../platform/errors.js';
import { runCli } from './cli.js';

const usage = 'Usage: npm run test:mutation -- [--files GLOB[,GLOB...]] [--full]';
const root = path.resolve(import.meta.dirname, '..');
const say = (line: string) => process.stderr.write(`${line}\n`);
/** Module → the tests it is measured with (also read by test/mutation/stryker.config.mjs). */
const guaranteeModules = JSON.parse(readFileSync(path.join(root, 'test', 'mutation', 'modules.json'), 'utf8')) as Record<string, string[]>;

/** One module's counts, from Stryker's JSON report (mutation-testing-report-schema). */
export interface ModuleScore {
  readonly module: string;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Detected (killed or timed out) over valid mutants, in percent. */
  readonly score: number;
}

export function scoreOf(module: string, report: { files: Record<string, { mutants: Array<{ status: string }> }> }): ModuleScore {
  const mutants = Object.values(report.files).flatMap((file) => file.mutants);
  const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
  const [killed, timedOut, survived, noCoverage] = [count('Killed'), count('Timeout'), count('Survived'), count('NoCoverage')];
  const valid = killed + timedOut + survived + noCoverage;
  return { module, killed, timedOut, survived, noCoverage, score: valid === 0 ? 100 : (100 * (killed + timedOut)) / valid };
}

const reportFolder = (module: string) => path.join(root, 'reports', 'mutation', module.replace(/\.ts$/, '').replaceAll('/', '.'));

/** The modules the globs select (path.matchesGlob), in the order the configuration lists them. */
export function selectModules(globs: string | undefined): string[] {
  const all = Object.keys(guaranteeModules);
  if (globs === undefined) return all;
  const patterns = globs
    .split(',')
    .map((glob) => glob.trim())
    .filter(Boolean);
  if (patterns.length === 0) throw badUserInput(`--files needs one or more globs, e.g. --files platform/period.ts. ${usage}`);
  const chosen = all.filter((module) => patterns.some((pattern) => path.matchesGlob(module, pattern)));
  if (chosen.length === 0) throw badUserInput(`--files ${globs} selects none of the measured modules: ${all.join(', ')}`);
  return chosen;
}

runCli(async (signal) => {
  let values;
  try {
    ({ values } = parseArgs({ options: { files: { type: 'string' }, full: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const modules = selectModules(values.files);
  let failed = 0;
  for (const module of modules) {
    const tests = guaranteeModules[module]!;
    const missing = tests.filter((test) => !existsSync(path.join(root, test)));
    if (missing.length > 0)
      throw badUserInput(`${module}: its tests ${missing.join(', ')} do not exist (test/mutation/stryker.config.mjs)`);
    say(`\n== ${module} (tests: ${tests.join(', ')})`);
    const args = ['run', path.join('test', 'mutation', 'stryker.config.mjs'), ...(values.full ? ['--force'] : [])];
    const stryker = spawn(path.join(root, 'node_modules', '.bin', 'stryker'), args, {
      cwd: root,
      stdio: 'inherit',
      signal,
      env: { ...process.env, MUTATION_MODULE: module, MUTATION_TESTS: tests.join(',') },
    });
    const [code] = (await once(stryker, 'exit')) as [number | null];
    if (code !== 0) failed++;
  }
  say('\nmodule | killed | timed out | survived | no coverage | score');
  for (const module of Object.keys(guaranteeModules)) {
    const reportFile = path.join(reportFolder(module), 'mutation.json');
    if (!existsSync(reportFile)) continue;
    const score = scoreOf(module, JSON.parse(readFileSync(reportFile, 'utf8')));
    say(`${module} | ${score.killed} | ${score.timedOut} | ${score.survived} | ${score.noCoverage} | ${score.score.toFixed(1)}%`);
  }
  process.exitCode = failed === 0 ? 0 : 1;
});

/**
 * `npm run bench:compare -- --before bench/results/A.json --after bench/results/B.json`
 *
 * Two runs of `npm run bench`, before and after a change, side by side: per
 * workload and target both runs timed, requests per second, p50 and CPU per
 * request. Prints the table and records the before run's summary in the after
 * run's JSON (`before`), so that each result file says what it is compared with.
 */
import '../scripts/node-version.js';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { badUserInput } from '../platform/errors.js';
import { runCli } from '../scripts/cli.js';
import { comparisonTable, type Row } from './support/report.js';

const usage = 'Usage: npm run bench:compare -- --before bench/results/<run>.json --after bench/results/<run>.json';

interface Run {
  readonly startedAt: string;
  readonly settings: { readonly mode: string; readonly citizens: number };
  readonly summary: readonly Row[];
  before?: { readonly file: string; readonly startedAt: string; readonly summary: readonly Row[] };
}

async function readRun(file: string | undefined, flag: string): Promise<Run> {
  if (!file) throw badUserInput(`--${flag} is missing. ${usage}`);
  let run: Run;
  try {
    run = JSON.parse(await readFile(file, 'utf8')) as Run;
  } catch (error) {
    throw badUserInput(`--${flag} ${file}: ${(error as Error).message}. ${usage}`);
  }
  if (!Array.isArray(run.summary) || typeof run.startedAt !== 'string')
    throw badUserInput(`--${flag} ${file} is not a result of npm run bench (no summary). ${usage}`);
  return run;
}

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { before: { type: 'string' }, after: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const before = await readRun(values.before, 'before');
  const after = await readRun(values.after, 'after');
  after.before = { file: path.basename(values.before!), startedAt: before.startedAt, summary: before.summary };
  await writeFile(values.after!, `${JSON.stringify(after, null, 2)}\n`);
  process.stdout.write(
    `Before: ${before.startedAt} (${before.settings.mode}, ${before.settings.citizens} citizens); after: ${after.startedAt} (${after.settings.mode}, ${after.settings.citizens} citizens)\n\n${comparisonTable(before.summary, after.summary)}\n`,
  );
});

/** `npm run seed -- --citizens N [--seed S] [--as-of YYYY-MM-DD]`: fills all four agency databases with a generated dataset. */
import './node-version.js';
import { parseArgs } from 'node:util';
import { agencies, readDatabaseConfig } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { announceDataChange } from '../gateway/cache/announce.js';
import { runCli } from './cli.js';
import { parseSeedArguments } from './seed/arguments.js';
import { seed } from './seed/load.js';

runCli(async (signal) => {
  let parsed;
  try {
    parsed = parseArgs({ options: { citizens: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' } }, strict: true });
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. Usage: npm run seed -- --citizens N [--seed S] [--as-of YYYY-MM-DD]`);
  }
  const options = parseSeedArguments(parsed.values);
  const config = readDatabaseConfig();
  const databases = await openAgencyDatabases(config);
  try {
    const where = databases.agencies.map((agency) => `${agency}: ${databases.get(agency).driver}`).join(', ');
    process.stderr.write(
      `Seeding ${options.citizens.toLocaleString('en')} citizens (seed ${options.seed}, as of ${options.asOf}) into ${where}\n`,
    );
    let lastPrinted = 0;
    const report = await seed(databases, options, {
      signal,
      onProgress(done, total) {
        if (done === total || performance.now() - lastPrinted > 2_000) {
          lastPrinted = performance.now();
          process.stderr.write(
            `  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} citizens (${Math.floor((100 * done) / total)}%)\n`,
          );
        }
      },
    });
    const counts = Object.entries(report.rowCounts).map(([table, count]) => `${table} ${count.toLocaleString('en')}`);
    console.log(`Seeded in ${(report.milliseconds / 1000).toFixed(1)} s: ${counts.join(', ')}`);
    console.log(`Cache: ${await announceDataChange(agencies)}`);
  } finally {
    await databases.close();
  }
});

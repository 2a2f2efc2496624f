/**
 * `npm run refresh-counts [-- --full] [--agency NAME]`: brings every agency's
 * commune-by-month counts up to date with its source: incrementally (only the
 * rows changed since the last refresh are read), or reading everything again
 * with --full; then tells the gateways' caches about the agencies whose counts changed.
 */
import './node-version.js';
import { parseArgs } from 'node:util';
import { agencyCounts, migrateStore } from '../subgraphs/agencies.js';
import { agencies, readDatabaseConfig, type Agency } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { countsDatabasesOf, refreshFull } from '../subgraphs/runtime/refresh-counts.js';
import { refreshIncremental } from '../subgraphs/runtime/refresh-incremental.js';
import { runCli } from './cli.js';
import { announceDataChange } from '../gateway/cache/announce.js';

const usage = `Usage: npm run refresh-counts [-- --full] [--agency ${agencies.join('|')}]`;

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { full: { type: 'boolean' }, agency: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  if (values.agency !== undefined && !(agencies as readonly string[]).includes(values.agency))
    throw badUserInput(`--agency: there is no agency "${values.agency}". ${usage}`);
  const wanted = values.agency ? [values.agency as Agency] : agencies;
  const databases = await openAgencyDatabases(readDatabaseConfig(), { agencies: wanted });
  try {
    await migrateStore(databases.store, wanted);
    const changed: Agency[] = [];
    for (const agency of wanted) {
      const started = performance.now();
      const counts = countsDatabasesOf(databases, agency);
      const report = values.full ? await refreshFull(counts, agencyCounts[agency]) : await refreshIncremental(counts, agencyCounts[agency]);
      if (report.cellsChanged > 0) changed.push(agency);
      console.log(
        `${agency}: ${report.mode} refresh in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
          `${report.rowsRead.toLocaleString('en')} rows read, ${report.cellsChanged.toLocaleString('en')} commune-months changed`,
      );
    }
    // The figures changed: the gateways serve the previous answers, marked stale, while they recompute them.
    console.log(`Cache: ${changed.length > 0 ? await announceDataChange(changed) : 'no count changed, nothing to invalidate'}`);
  } finally {
    await databases.close();
  }
});

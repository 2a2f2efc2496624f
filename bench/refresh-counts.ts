/**
 * `npm run bench:refresh-counts -- [--citizens N] [--changed 0.01] [--keep]`
 *
 * Incremental refresh of the commune-by-month counts against a full rebuild,
 * on the local PostgreSQL: seeds N citizens (with their records in every
 * agency) into a source database, with the store in a database of its own
 * (as a deployment has them: the refresh reads the source over the network),
 * times a full rebuild of every agency's counts, then changes the given share
 * of the rows of every counted relation (an UPDATE that moves their dates, so
 * every changed row changes some count) and times an incremental refresh.
 * Target: incremental at most 10% of full. Checks the incremental counts equal
 * a full rebuild's, then writes JSON to bench/results/ and its section of
 * docs/benchmarks.md. Not a timed test: run it by hand.
 *
 * `--keep` leaves the two databases (bench_refresh_<pid>_source and _store)
 * in place; `--reuse bench_refresh_<pid>` runs again on them without seeding
 * (a full rebuild comes first, so what an earlier run left in the store does
 * not matter), which saves the half hour a 10-million seed takes.
 */
import '../scripts/node-version.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { agencies, databaseUrlVariables, readDatabaseConfig } from '../platform/config.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from '../scripts/cli.js';
import { adminUrl } from './support/dataset.js';
import { defaultAsOf } from '../scripts/seed/generator.js';
import { seed } from '../scripts/seed/load.js';
import { agencyCounts } from '../subgraphs/agencies.js';
import { countsDatabasesOf, refreshFull } from '../subgraphs/runtime/refresh-counts.js';
import { refreshIncremental } from '../subgraphs/runtime/refresh-incremental.js';

const root = path.resolve(import.meta.dirname, '..');
const say = (line: string) => process.stderr.write(`${line}\n`);
const usage =
  'Usage: npm run bench:refresh-counts -- [--citizens N] [--changed 0.01] [--keep] [--skip-check] [--reuse bench_refresh_<pid>]';
const start = '<!-- bench:refresh-counts:start -->';
const end = '<!-- bench:refresh-counts:end -->';
const targetShare = 0.1;

/** What the bench changes in each counted relation: a date moved back 40 days (or a year a year back), keeping every CHECK true. */
const changes: Record<string, string> = {
  household: 'registered_on = registered_on - 40',
  citizen: 'birth_date = birth_date - 40, registered_on = registered_on - 40',
  civil_servant: 'hired_on = hired_on - 40',
  farm_household: 'registered_on = registered_on - 40',
  crop_plot: 'year = year - 1',
  health_record: 'created_on = created_on - 40',
  encounter: 'occurred_on = occurred_on - 40',
};

async function admin(statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const seconds = (from: number) => (performance.now() - from) / 1000;

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        citizens: { type: 'string' },
        changed: { type: 'string' },
        keep: { type: 'boolean' },
        'skip-check': { type: 'boolean' },
        reuse: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const citizens = Number(values.citizens ?? 1_000_000);
  const share = Number(values.changed ?? 0.01);
  if (!Number.isInteger(citizens) || citizens < 1_000 || citizens > 50_000_000)
    throw badUserInput(`--citizens must be a whole number from 1000 to 50000000. ${usage}`);
  if (!(share > 0 && share <= 0.5)) throw badUserInput(`--changed must be a share above 0 and at most 0.5. ${usage}`);

  const reuse = values.reuse;
  if (reuse !== undefined && !/^bench_refresh_[0-9]+$/.test(reuse))
    throw badUserInput(`--reuse takes a name like bench_refresh_1234. ${usage}`);
  const prefix = reuse ?? `bench_refresh_${process.pid}`;
  const names = { source: `${prefix}_source`, store: `${prefix}_store` };
  const url = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  if (reuse === undefined) await admin([`CREATE DATABASE ${names.source}`, `CREATE DATABASE ${names.store}`]);
  const config = readDatabaseConfig({
    ...Object.fromEntries(agencies.map((agency) => [databaseUrlVariables[agency], url(names.source)])),
    STORE_DATABASE_URL: url(names.store),
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
  });
  const started = new Date();
  const generator = await openAgencyDatabases(config, { sourceAccess: 'generator' });
  try {
    let stamp = performance.now();
    let seedSeconds: number | null = null;
    if (reuse === undefined) {
      say(`Seeding ${citizens.toLocaleString('en')} citizens into ${names.source} (store: ${names.store})...`);
      let lastPrinted = 0;
      await seed(
        generator,
        { citizens, seed: 7, asOf: defaultAsOf },
        {
          onProgress(done, total) {
            if (done === total || performance.now() - lastPrinted > 30_000) {
              lastPrinted = performance.now();
              say(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} citizens (${seconds(stamp).toFixed(0)} s)`);
            }
          },
        },
      );
      seedSeconds = seconds(stamp);
      say(`Seeded in ${seedSeconds.toFixed(0)} s`);
    } else {
      const [{ n }] = (await (
        await generator.writer('population')
      ).query<{ n: number }>(`SELECT count(*)::int AS n FROM ${config.sourceSchema}.citizen`)) as [{ n: number }];
      if (n !== citizens)
        throw badUserInput(`${names.source} holds ${n.toLocaleString('en')} citizens, not ${citizens.toLocaleString('en')}. ${usage}`);
      say(`Reusing ${names.source} (${n.toLocaleString('en')} citizens) and ${names.store}`);
    }

    const databases = await openAgencyDatabases(config);
    try {
      const full: Record<string, number> = {};
      const incremental: Record<string, number> = {};
      const rowsRead: Record<string, number> = {};
      for (const agency of agencies) {
        stamp = performance.now();
        await refreshFull(countsDatabasesOf(databases, agency), agencyCounts[agency]);
        full[agency] = seconds(stamp);
        say(`full ${agency}: ${full[agency]!.toFixed(1)} s`);
      }
      const changedRows: Record<string, number> = {};
      const writer = await generator.writer('population');
      for (const [relation, change] of Object.entries(changes)) {
        // In a transaction: the pool's statement timeout (for answering requests) does not apply to it.
        const [{ n }] = (await writer.transaction((session) =>
          session.query<{ n: number }>(
            `WITH changed AS (UPDATE ${config.sourceSchema}.${relation} SET ${change} WHERE random() < $1 RETURNING 1) SELECT count(*) AS n FROM changed`,
            [share],
          ),
        )) as [{ n: number }];
        changedRows[relation] = n;
      }
      say(
        `Changed ${Object.entries(changedRows)
          .map(([relation, n]) => `${relation} ${n.toLocaleString('en')}`)
          .join(', ')}`,
      );
      const before = await countsChecksum(databases.store);
      for (const agency of agencies) {
        stamp = performance.now();
        const report = await refreshIncremental(countsDatabasesOf(databases, agency), agencyCounts[agency], { graceSeconds: 0 });
        incremental[agency] = seconds(stamp);
        rowsRead[agency] = report.rowsRead;
        say(
          `incremental ${agency}: ${incremental[agency]!.toFixed(1)} s (${report.rowsRead.toLocaleString('en')} rows read, ${report.cellsChanged.toLocaleString('en')} commune-months changed)`,
        );
      }
      const afterIncremental = await countsChecksum(databases.store);
      // The check costs another full rebuild: --skip-check leaves it out (the tests check the same on random changes).
      let sameAsFull: boolean | undefined;
      if (!values['skip-check']) {
        for (const agency of agencies) await refreshFull(countsDatabasesOf(databases, agency), agencyCounts[agency]);
        sameAsFull = afterIncremental === (await countsChecksum(databases.store));
      }
      const totalFull = Object.values(full).reduce((sum, value) => sum + value, 0);
      const totalIncremental = Object.values(incremental).reduce((sum, value) => sum + value, 0);
      const ratio = totalIncremental / totalFull;
      say(
        `full ${totalFull.toFixed(1)} s, incremental ${totalIncremental.toFixed(1)} s: ${(ratio * 100).toFixed(1)}% (target at most ${targetShare * 100}%); ` +
          `counts ${before === afterIncremental ? 'did not change (!)' : 'changed'}; incremental ${sameAsFull === undefined ? 'not compared with' : sameAsFull ? 'equals' : 'DIFFERS FROM'} a full rebuild`,
      );
      const result = {
        started,
        citizens,
        share,
        seedSeconds,
        full,
        incremental,
        rowsRead,
        changedRows,
        totalFull,
        totalIncremental,
        ratio,
        sameAsFull,
      };
      await mkdir(path.join(root, 'bench/results'), { recursive: true });
      const file = `bench/results/refresh-counts-${started.toISOString().replace(/[:.]/g, '-')}.json`;
      await writeFile(path.join(root, file), `${JSON.stringify(result, null, 2)}\n`);
      await writeSection(result, file);
      if (sameAsFull === false) process.exitCode = 1;
    } finally {
      await databases.close();
    }
  } finally {
    await generator.close();
    if (!values.keep)
      await admin([`DROP DATABASE IF EXISTS ${names.source} WITH (FORCE)`, `DROP DATABASE IF EXISTS ${names.store} WITH (FORCE)`]);
  }
});

/** One text that changes whenever any count of any agency does. */
async function countsChecksum(store: { query: <R extends object>(text: string) => Promise<R[]> }): Promise<string> {
  const parts: string[] = [];
  for (const agency of agencies) {
    const [row] = await store.query<{ sum: string }>(
      `SELECT md5(string_agg(t::text, ',' ORDER BY month, commune_code)) AS sum FROM ${agencyCounts[agency].table} t`,
    );
    parts.push(row!.sum);
  }
  return parts.join('|');
}

async function writeSection(
  result: {
    started: Date;
    citizens: number;
    share: number;
    seedSeconds: number | null;
    full: Record<string, number>;
    incremental: Record<string, number>;
    rowsRead: Record<string, number>;
    totalFull: number;
    totalIncremental: number;
    ratio: number;
    sameAsFull: boolean | undefined;
  },
  file: string,
): Promise<void> {
  const docs = path.join(root, 'docs/benchmarks.md');
  const text = await readFile(docs, 'utf8');
  if (!text.includes(start) || !text.includes(end)) {
    say(`docs/benchmarks.md has no ${start} section: not updated`);
    return;
  }
  const rows = agencies.map(
    (agency) =>
      `| ${agency} | ${result.full[agency]!.toFixed(1)} s | ${result.incremental[agency]!.toFixed(1)} s | ${result.rowsRead[agency]!.toLocaleString('en')} |`,
  );
  const section = [
    start,
    `Latest run: ${result.started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${result.citizens.toLocaleString('en')} citizens (${result.seedSeconds === null ? 'seed of an earlier run reused' : `seeded in ${result.seedSeconds.toFixed(0)} s`}), ${(result.share * 100).toFixed(0)}% of the rows of every counted relation changed (\`${file}\`).`,
    '',
    '| agency | full rebuild | incremental | rows read by the incremental refresh |',
    '|---|---|---|---|',
    ...rows,
    `| **all** | **${result.totalFull.toFixed(1)} s** | **${result.totalIncremental.toFixed(1)} s** | |`,
    '',
    `Incremental / full: **${(result.ratio * 100).toFixed(1)}%** (target: at most ${targetShare * 100}%). ${result.sameAsFull === undefined ? 'Not compared with a full rebuild in this run (--skip-check).' : `The counts after the incremental refresh ${result.sameAsFull ? 'equal' : '**differ from**'} those of a full rebuild run right after.`}`,
    end,
  ].join('\n');
  await writeFile(docs, text.slice(0, text.indexOf(start)) + section + text.slice(text.indexOf(end) + end.length));
}

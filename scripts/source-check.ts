/**
 * `npm run source:check -- --agency NAME [--url URL] [--schema S] [--sample N]`: checks an
 * agency's database against its source contract (docs/source-contract.md),
 * for the agency's database administrator. Prints each problem on a line and
 * exits 1 when there is any. Connects read-only: it never writes.
 * `npm run source:check -- --describe` prints the contracts as Markdown.
 */
import './node-version.js';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { agencySources } from '../subgraphs/agencies.js';
import { agencies, databaseUrlVariables, readDatabaseConfig, type Agency } from '../platform/config.js';
import { redactPassword } from '../platform/environment.js';
import { badUserInput } from '../platform/errors.js';
import { checkSource } from '../platform/source/check.js';
import { describeContract } from '../platform/source/contract.js';
import { runCli } from './cli.js';

const usage = `Usage: npm run source:check -- --agency ${agencies.join('|')} [--url postgres://...] [--schema S] [--sample N], or -- --describe`;

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        agency: { type: 'string' },
        url: { type: 'string' },
        schema: { type: 'string' },
        sample: { type: 'string' },
        describe: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  // The schema the relations are looked for in: --schema, else SOURCE_SCHEMA, else gateway_source.
  const schema = values.schema ?? readDatabaseConfig().sourceSchema;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw badUserInput(`--schema must be a schema name, got ${JSON.stringify(schema)}`);
  if (values.describe) {
    process.stdout.write(`${agencies.map((agency) => describeContract(agencySources[agency], schema)).join('\n\n')}\n`);
    return;
  }
  if (!values.agency) throw badUserInput(`--agency is required. ${usage}`);
  if (!(agencies as readonly string[]).includes(values.agency))
    throw badUserInput(`--agency: there is no agency "${values.agency}". ${usage}`);
  const agency = values.agency as Agency;
  const url = values.url ?? process.env[databaseUrlVariables[agency]];
  if (!url) throw badUserInput(`Say which database to check: --url postgres://..., or set ${databaseUrlVariables[agency]}`);
  const sampleRows = values.sample === undefined ? 10_000 : Number(values.sample);
  if (!Number.isInteger(sampleRows) || sampleRows < 1 || sampleRows > 10_000_000)
    throw badUserInput(`--sample must be a whole number of rows from 1 to 10000000, got "${values.sample}"`);

  // Read-only at the session level: even a mistake here could not write.
  const client = new pg.Client({ connectionString: url, options: '-c default_transaction_read_only=on', connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw badUserInput(`Cannot connect to ${redactPassword(url)}: ${(error as Error).message}`);
  }
  try {
    const contract = agencySources[agency];
    const report = await checkSource(async (text, parameters) => (await client.query(text, parameters as unknown[])).rows, contract, {
      sampleRows,
      schema,
    });
    const rows = Object.values(report.sampled).reduce((sum, count) => sum + count, 0);
    for (const problem of report.problems) process.stdout.write(`${problem}\n`);
    const summary = `${agency} (${redactPassword(url)}): ${report.relations} relations, ${report.columns} columns, ${rows.toLocaleString('en')} rows sampled`;
    if (report.problems.length > 0) {
      process.stderr.write(`${summary}: ${report.problems.length} problem(s)\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`${summary}: agrees with the contract\n`);
    }
  } finally {
    await client.end();
  }
});

/**
 * `npm run reconcile -- --agency civil-service|agriculture [--gateway URL]`: checks an agency's PINs against the
 * population database, with the credentials in GATEWAY_API_KEY or GATEWAY_TOKEN, for the purpose data-reconciliation.
 */
import './node-version.js';
import { parseArgs } from 'node:util';
import { readDatabaseConfig } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { openAgencyDatabases } from '../platform/database/open-databases.js';
import { migrateStore } from '../subgraphs/agencies.js';
import { announceDataChange } from '../gateway/cache/announce.js';
import { runCli } from './cli.js';
import { gatewayPinLookup, reconcilableAgencies, reconcile, type ReconcilableAgency } from './reconcile/reconcile.js';

const usage = 'Usage: npm run reconcile -- --agency civil-service|agriculture [--gateway http://127.0.0.1:4000/graphql]';

runCli(async (signal) => {
  let values;
  try {
    ({ values } = parseArgs({ options: { agency: { type: 'string' }, gateway: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  if (!values.agency || !(values.agency in reconcilableAgencies)) {
    throw badUserInput(
      `--agency must be one of ${Object.keys(reconcilableAgencies).join(', ')}, got ${JSON.stringify(values.agency ?? null)}. ${usage}`,
    );
  }
  const agency = values.agency as ReconcilableAgency;
  const gateway = values.gateway ?? process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  if (!URL.canParse(gateway)) throw badUserInput(`--gateway must be a URL, got ${JSON.stringify(gateway)}`);

  // citizens(pins) reads personal data: the agency's system acts with its own credentials and says why.
  const credentials: Record<string, string> | undefined = process.env.GATEWAY_API_KEY
    ? { 'x-api-key': process.env.GATEWAY_API_KEY }
    : process.env.GATEWAY_TOKEN
      ? { authorization: `Bearer ${process.env.GATEWAY_TOKEN}` }
      : undefined;
  if (!credentials)
    throw badUserInput('Set GATEWAY_API_KEY (or GATEWAY_TOKEN) to credentials holding population:pii: checking PINs reads personal data');
  const databases = await openAgencyDatabases(readDatabaseConfig(), { agencies: [agency] });
  try {
    await migrateStore(databases.store, [agency]);
    let lastPrinted = 0;
    const report = await reconcile(databases, agency, gatewayPinLookup(gateway, { ...credentials, 'x-purpose': 'data-reconciliation' }), {
      signal,
      onProgress(done, total) {
        if (done === total || performance.now() - lastPrinted > 2_000) {
          lastPrinted = performance.now();
          process.stderr.write(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} records checked\n`);
        }
      },
    });
    const share = report.checked === 0 ? 0 : (100 * report.matched) / report.checked;
    console.log(
      `${report.resumed ? 'Resumed an unfinished run: ' : ''}${report.checked.toLocaleString('en')} ${agency} records checked, ` +
        `${report.matched.toLocaleString('en')} matched a citizen (${share.toFixed(1)}%)` +
        (report.finished ? '.' : '; interrupted: run the same command again to resume.'),
    );
    console.log(`Cache: ${await announceDataChange([agency])}`);
  } finally {
    await databases.close();
  }
});

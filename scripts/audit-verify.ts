/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain and says
 * whether any record was altered, removed or reordered; exits 1 if so.
 */
import './node-version.js';
import { readAuditDatabaseUrl } from '../gateway/auth/config.js';
import { verifyChain } from '../gateway/audit/verify.js';
import { openGatewayDatabase } from '../gateway/database.js';
import { readDatabaseConfig } from '../platform/config.js';
import { runCli } from './cli.js';

runCli(async () => {
  const database = await openGatewayDatabase({ url: readAuditDatabaseUrl(process.env), dataDir: readDatabaseConfig().dataDir });
  try {
    const report = await verifyChain(database);
    if (report.problems.length === 0) {
      console.log(`The audit trail is intact: ${report.records.toLocaleString('en')} records, every hash and link verified.`);
      return;
    }
    console.log(
      `The audit trail has been tampered with: ${report.problems.length} problem(s) in ${report.records.toLocaleString('en')} records:`,
    );
    for (const { sequence, problem } of report.problems) console.log(`  record ${sequence}: ${problem}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
});

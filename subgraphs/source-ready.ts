import { databaseUrlVariables, type Agency, type DatabaseConfig } from '../platform/config.js';
import type { AgencyDatabases } from '../platform/database/open-databases.js';
import { AppError, ErrorCode } from '../platform/errors.js';
import { checkSource } from '../platform/source/check.js';
import { agencyCounts, agencySources } from './agencies.js';
import { countsDatabasesOf, refreshIfNeverBuilt } from './runtime/refresh-counts.js';

/** How many problems the start names before pointing to `npm run source:check` for the rest. */
const problemsNamed = 3;

/**
 * Stops a start whose agency source does not have the contract's relations and
 * columns (docs/source-contract.md): without this, the first count or lookup
 * fails later on a bare "relation does not exist". Checks the structure only;
 * `npm run source:check` also samples the values.
 */
export async function requireSourceContract(databases: AgencyDatabases, agency: Agency, config: DatabaseConfig): Promise<void> {
  const schema = databases.sourceSchema;
  const source = databases.get(agency);
  const { problems } = await checkSource((text, values) => source.query(text, values), agencySources[agency], { sampleRows: 0, schema });
  if (problems.length === 0) return;
  const url = config.urls[agency];
  const where = url ? databaseUrlVariables[agency] : `the embedded database in ${config.dataDir}/pglite`;
  const more = problems.length > problemsNamed ? `; and ${problems.length - problemsNamed} more` : '';
  const remedy = url
    ? `npm run source:check -- --agency ${agency} lists every problem`
    : `npm run seed writes the demo data there, npm run source:check -- --agency ${agency} --url ... checks another database`;
  throw new AppError(
    ErrorCode.CONFIG_INVALID,
    `The ${agency} source (${where}, schema ${schema} from SOURCE_SCHEMA) does not follow its contract (docs/source-contract.md): ` +
      `${problems.slice(0, problemsNamed).join('; ')}${more}. ${remedy}`,
  );
}

/**
 * What an agency's subgraph needs before it serves, wherever it is started
 * (npm start, npm run subgraph): a source that follows the contract, then its
 * counts, built on a store that has none yet. Whether they were built.
 */
export async function prepareAgency(databases: AgencyDatabases, agency: Agency, config: DatabaseConfig): Promise<boolean> {
  await requireSourceContract(databases, agency, config);
  return refreshIfNeverBuilt(countsDatabasesOf(databases, agency), agencyCounts[agency]);
}

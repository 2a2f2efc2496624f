import type { Agency } from '../platform/config.js';
import { migrate, type MigrationSet } from '../platform/database/migrations.js';
import type { Database } from '../platform/database/database.js';
import type { MonthlyCounts } from './runtime/monthly-counts.js';
import { loadAdministrativeUnits } from './population/administrative-units.js';
import { populationCounts } from './population/area-counts.js';
import { civilServiceCounts } from './civil-service/area-counts.js';
import { agricultureCounts } from './agriculture/area-counts.js';
import { healthCounts } from './health/area-counts.js';
import type { SourceContract } from '../platform/source/contract.js';
import { populationSource } from './population/source-contract.js';
import { civilServiceSource } from './civil-service/source-contract.js';
import { agricultureSource } from './agriculture/source-contract.js';
import { healthSource } from './health/source-contract.js';

/** Each agency's schema in the store (docs/data-model.md): its migrations and the reference data it loads. */
export const agencyMigrations: Record<Agency, MigrationSet> = {
  population: {
    schema: 'store_population',
    directory: new URL('./population/migrations/', import.meta.url),
    afterMigrate: loadAdministrativeUnits,
  },
  'civil-service': { schema: 'store_civil_service', directory: new URL('./civil-service/migrations/', import.meta.url) },
  agriculture: { schema: 'store_agriculture', directory: new URL('./agriculture/migrations/', import.meta.url) },
  health: { schema: 'store_health', directory: new URL('./health/migrations/', import.meta.url) },
};

/** Each agency's commune-by-month counts, kept in the store and refreshed from its source. */
export const agencyCounts: Record<Agency, MonthlyCounts> = {
  population: populationCounts,
  'civil-service': civilServiceCounts,
  agriculture: agricultureCounts,
  health: healthCounts,
};

/** What each agency's subgraph reads from its database (docs/source-contract.md). */
export const agencySources: Record<Agency, SourceContract> = {
  population: populationSource,
  'civil-service': civilServiceSource,
  agriculture: agricultureSource,
  health: healthSource,
};

/** Applies the store migrations of these agencies (and loads the reference data they ship). */
export async function migrateStore(store: Database, agencies: readonly Agency[]): Promise<string[]> {
  const applied: string[] = [];
  for (const agency of agencies)
    applied.push(...(await migrate(store, agencyMigrations[agency])).applied.map((file) => `${agency}/${file}`));
  return applied;
}

import type { Agency } from '../platform/config.js';
import type { MigrationSet } from '../platform/database/migrations.js';
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

/** Each agency's database: its schema, its migrations and the reference data it loads. */
export const agencyMigrations: Record<Agency, MigrationSet> = {
  population: {
    schema: 'population',
    directory: new URL('./population/migrations/', import.meta.url),
    afterMigrate: loadAdministrativeUnits,
  },
  'civil-service': { schema: 'civil_service', directory: new URL('./civil-service/migrations/', import.meta.url) },
  agriculture: { schema: 'agriculture', directory: new URL('./agriculture/migrations/', import.meta.url) },
  health: { schema: 'health', directory: new URL('./health/migrations/', import.meta.url) },
};

/** Each agency's commune-by-month counts, rebuilt after every load or correction. */
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

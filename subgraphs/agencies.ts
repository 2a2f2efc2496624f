import type { Agency } from './runtime/config.js';
import type { MigrationSet } from './runtime/migrations.js';
import { loadAdministrativeUnits } from './population/administrative-units.js';

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

import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/**
 * Population's counts per commune and month: residents, residents aged 14 and
 * over, households, residents holding an activated level-2 VNeID, and those
 * holding one of either level. People count where they live now (the
 * database keeps no residence history, nor a VNeID's earlier level).
 */
export const populationCounts = {
  schema: 'store_population',
  table: 'store_population.commune_month_count',
  counts: ['residents', 'residents_14_plus', 'households', 'eid_level2', 'eid_activated'],
  entities: { citizen: 'text', household: 'bigint' },
  relations: [
    {
      relation: 'household',
      origin: 'source',
      key: 'id',
      entity: 'id',
      group: 'household',
      columns: ['id', 'commune_code', 'registered_on'],
    },
    {
      relation: 'citizen',
      origin: 'source',
      key: 'pin',
      entity: 'pin',
      group: 'citizen',
      columns: ['pin', 'residence_commune_code', 'birth_date', 'died_on', 'vneid_level', 'vneid_activated_on'],
    },
  ],
  eventsSql: (table) => `
    SELECT residence_commune_code AS commune_code, birth_date AS day, 1 AS residents, 0 AS residents_14_plus, 0 AS households, 0 AS eid_level2, 0 AS eid_activated
      FROM ${table('citizen')}
    UNION ALL
    SELECT residence_commune_code, died_on, -1, 0, 0, 0, 0 FROM ${table('citizen')} WHERE died_on IS NOT NULL
    UNION ALL
    SELECT residence_commune_code, (birth_date + interval '14 years')::date, 0, 1, 0, 0, 0
      FROM ${table('citizen')} WHERE died_on IS NULL OR died_on >= birth_date + interval '14 years'
    UNION ALL
    SELECT residence_commune_code, died_on, 0, -1, 0, 0, 0 FROM ${table('citizen')} WHERE died_on >= birth_date + interval '14 years'
    UNION ALL
    SELECT commune_code, registered_on, 0, 0, 1, 0, 0 FROM ${table('household')}
    UNION ALL
    SELECT residence_commune_code, vneid_activated_on, 0, 0, 0, 1, 0 FROM ${table('citizen')} WHERE vneid_level = 2
    UNION ALL
    SELECT residence_commune_code, died_on, 0, 0, 0, -1, 0 FROM ${table('citizen')} WHERE vneid_level = 2 AND died_on >= vneid_activated_on
    UNION ALL
    SELECT residence_commune_code, vneid_activated_on, 0, 0, 0, 0, 1 FROM ${table('citizen')} WHERE vneid_level IS NOT NULL
    UNION ALL
    SELECT residence_commune_code, died_on, 0, 0, 0, 0, -1 FROM ${table('citizen')} WHERE vneid_level IS NOT NULL AND died_on >= vneid_activated_on`,
} as const satisfies MonthlyCounts;

import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/**
 * Agriculture's counts per commune of registration and month: farm
 * households, those whose head's PIN was matched by then (the store's PIN
 * checks), and those with a crop plot recorded for a year up to the month's (a
 * plot carries a year, no day: it counts from 1 January of its year, or the
 * registration if later).
 */
export const agricultureCounts = {
  schema: 'store_agriculture',
  table: 'store_agriculture.commune_month_count',
  counts: ['farm_households', 'pin_matched', 'with_crop_records'],
  entities: { farm: 'bigint' },
  relations: [
    {
      relation: 'farm_household',
      origin: 'source',
      key: 'id',
      entity: 'id',
      group: 'farm',
      columns: ['id', 'commune_code', 'registered_on'],
    },
    {
      relation: 'crop_plot',
      origin: 'source',
      key: 'id',
      entity: 'farm_household_id',
      group: 'farm',
      columns: ['id', 'farm_household_id', 'year'],
    },
    { relation: 'pin_check', origin: 'store', key: 'id', entity: 'id', group: 'farm', columns: ['id', 'status', 'checked_at'] },
  ],
  eventsSql: (table) => `
    SELECT commune_code, registered_on AS day, 1 AS farm_households, 0 AS pin_matched, 0 AS with_crop_records FROM ${table('farm_household')}
    UNION ALL
    SELECT f.commune_code, greatest(f.registered_on, p.checked_at::date), 0, 1, 0
      FROM ${table('farm_household')} f JOIN ${table('pin_check')} p ON p.id = f.id WHERE p.status = 'MATCHED'
    UNION ALL
    SELECT f.commune_code, greatest(f.registered_on, make_date(min(p.year)::int, 1, 1)), 0, 0, 1
      FROM ${table('farm_household')} f JOIN ${table('crop_plot')} p ON p.farm_household_id = f.id
     GROUP BY f.id, f.commune_code, f.registered_on`,
} as const satisfies MonthlyCounts;

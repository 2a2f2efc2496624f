import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/**
 * Agriculture's counts per commune of registration and month: farm
 * households, those whose head's PIN was matched by then, and those with a
 * crop plot recorded for a year up to the month's (a plot carries a year, no
 * day: it counts from 1 January of its year, or the registration if later).
 */
export const agricultureCounts = {
  table: 'agriculture.commune_month_count',
  counts: ['farm_households', 'pin_matched', 'with_crop_records'],
  eventsSql: `
    SELECT commune_code, registered_on AS day, 1 AS farm_households, 0 AS pin_matched, 0 AS with_crop_records FROM agriculture.farm_household
    UNION ALL
    SELECT commune_code, greatest(registered_on, pin_checked_at::date), 0, 1, 0 FROM agriculture.farm_household WHERE pin_check_status = 'MATCHED'
    UNION ALL
    SELECT f.commune_code, greatest(f.registered_on, make_date(min(p.year)::int, 1, 1)), 0, 0, 1
      FROM agriculture.farm_household f JOIN agriculture.crop_plot p ON p.farm_household_id = f.id
     GROUP BY f.id, f.commune_code, f.registered_on`,
} as const satisfies MonthlyCounts;

import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/** Agriculture's counts per commune of registration and month: farm households, and those whose head's PIN was matched by then. */
export const agricultureCounts = {
  table: 'agriculture.commune_month_count',
  counts: ['farm_households', 'pin_matched'],
  eventsSql: `
    SELECT commune_code, registered_on AS day, 1 AS farm_households, 0 AS pin_matched FROM agriculture.farm_household
    UNION ALL
    SELECT commune_code, greatest(registered_on, pin_checked_at::date), 0, 1 FROM agriculture.farm_household WHERE pin_check_status = 'MATCHED'`,
} as const satisfies MonthlyCounts;

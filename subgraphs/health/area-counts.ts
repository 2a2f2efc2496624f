import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/**
 * Health's counts per commune (as the health system recorded the holder's
 * commune) and month: e-health records, and records with an encounter in the
 * 12 months up to the month's end. A record with an encounter in month m is
 * active from m until 12 months later or its next encounter month, whichever
 * comes first, so active spans never overlap and can be summed as +1/-1 events.
 */
export const healthCounts = {
  schema: 'store_health',
  table: 'store_health.commune_month_count',
  counts: ['records', 'active_records_12m'],
  entities: { record: 'bigint' },
  relations: [
    {
      relation: 'health_record',
      origin: 'source',
      key: 'id',
      entity: 'id',
      group: 'record',
      columns: ['id', 'commune_code', 'created_on'],
    },
    {
      relation: 'encounter',
      origin: 'source',
      key: 'id',
      entity: 'health_record_id',
      group: 'record',
      columns: ['id', 'health_record_id', 'occurred_on'],
    },
  ],
  eventsSql: (table) => `
    WITH visits AS (
           SELECT DISTINCT health_record_id, date_trunc('month', occurred_on)::date AS month FROM ${table('encounter')}),
         spans AS (
           SELECT health_record_id, month,
                  least((month + interval '12 months')::date, lead(month) OVER (PARTITION BY health_record_id ORDER BY month)) AS until
             FROM visits)
    SELECT commune_code, created_on AS day, 1 AS records, 0 AS active_records_12m FROM ${table('health_record')}
    UNION ALL
    SELECT r.commune_code, s.month, 0, 1 FROM spans s JOIN ${table('health_record')} r ON r.id = s.health_record_id
    UNION ALL
    SELECT r.commune_code, s.until, 0, -1 FROM spans s JOIN ${table('health_record')} r ON r.id = s.health_record_id`,
} as const satisfies MonthlyCounts;

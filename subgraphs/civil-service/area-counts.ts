import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/**
 * Civil-service counts per workplace commune and month: civil servants in
 * service, those of them trained in digital skills, and those whose PIN was
 * found in the population database by then (the store's PIN checks).
 */
export const civilServiceCounts = {
  schema: 'store_civil_service',
  table: 'store_civil_service.commune_month_count',
  counts: ['in_service', 'in_service_trained', 'in_service_pin_matched'],
  entities: { servant: 'bigint' },
  relations: [
    {
      relation: 'civil_servant',
      origin: 'source',
      key: 'id',
      entity: 'id',
      group: 'servant',
      columns: ['id', 'workplace_commune_code', 'hired_on', 'left_on', 'digital_skills_trained_on'],
    },
    { relation: 'pin_check', origin: 'store', key: 'id', entity: 'id', group: 'servant', columns: ['id', 'status', 'checked_at'] },
  ],
  eventsSql: (table) => `
    WITH servants AS (
      SELECT s.workplace_commune_code AS commune_code, s.hired_on, s.left_on,
             -- greatest() skips nulls: an untrained servant must have no training date at all.
             CASE WHEN s.digital_skills_trained_on IS NOT NULL THEN greatest(s.hired_on, s.digital_skills_trained_on) END AS trained_from,
             CASE WHEN p.status = 'MATCHED' THEN greatest(s.hired_on, p.checked_at::date) END AS matched_from
        FROM ${table('civil_servant')} s LEFT JOIN ${table('pin_check')} p ON p.id = s.id)
    SELECT commune_code, hired_on AS day, 1 AS in_service, 0 AS in_service_trained, 0 AS in_service_pin_matched FROM servants
    UNION ALL
    SELECT commune_code, left_on, -1, 0, 0 FROM servants WHERE left_on IS NOT NULL
    UNION ALL
    SELECT commune_code, trained_from, 0, 1, 0 FROM servants WHERE trained_from IS NOT NULL AND (left_on IS NULL OR left_on >= trained_from)
    UNION ALL
    SELECT commune_code, left_on, 0, -1, 0 FROM servants WHERE left_on >= trained_from
    UNION ALL
    SELECT commune_code, matched_from, 0, 0, 1 FROM servants WHERE matched_from IS NOT NULL AND (left_on IS NULL OR left_on >= matched_from)
    UNION ALL
    SELECT commune_code, left_on, 0, 0, -1 FROM servants WHERE left_on >= matched_from`,
} as const satisfies MonthlyCounts;

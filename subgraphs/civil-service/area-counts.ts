import type { MonthlyCounts } from '../runtime/monthly-counts.js';

/**
 * Civil-service counts per workplace commune and month: civil servants in
 * service, those of them trained in digital skills, and those whose PIN was
 * found in the population database by then.
 */
export const civilServiceCounts = {
  table: 'civil_service.commune_month_count',
  counts: ['in_service', 'in_service_trained', 'in_service_pin_matched'],
  eventsSql: `
    WITH servants AS (
      SELECT workplace_commune_code AS commune_code, hired_on, left_on,
             -- greatest() skips nulls: an untrained servant must have no training date at all.
             CASE WHEN digital_skills_trained_on IS NOT NULL THEN greatest(hired_on, digital_skills_trained_on) END AS trained_from,
             CASE WHEN pin_check_status = 'MATCHED' THEN greatest(hired_on, pin_checked_at::date) END AS matched_from
        FROM civil_service.civil_servant)
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

import type { AgencyDatabases } from '../../subgraphs/runtime/open-databases.js';

/**
 * Counts per commune as of a day, straight from each agency's rows with plain
 * WHERE clauses: written apart from the aggregate code, to check it.
 */
export type CommuneCounts = Map<string, Record<string, number>>;

export async function countsAsOf(databases: AgencyDatabases, day: string): Promise<CommuneCounts> {
  const counts: CommuneCounts = new Map();
  const add = (rows: Array<Record<string, unknown>>) => {
    for (const row of rows) {
      const commune = row.commune as string;
      const entry = counts.get(commune) ?? {};
      for (const [name, value] of Object.entries(row)) if (name !== 'commune') entry[name] = (entry[name] ?? 0) + Number(value);
      counts.set(commune, entry);
    }
  };
  add(
    await databases.get('population').query(
      `SELECT residence_commune_code AS commune,
              count(*) FILTER (WHERE birth_date <= $1 AND (died_on IS NULL OR died_on > $1)) AS residents,
              count(*) FILTER (WHERE birth_date <= ($1::date - interval '14 years') AND (died_on IS NULL OR died_on > $1)) AS residents_14_plus,
              count(*) FILTER (WHERE vneid_level = 2 AND vneid_activated_on <= $1 AND (died_on IS NULL OR died_on > $1)) AS eid_level2
         FROM population.citizen GROUP BY 1`,
      [day],
    ),
  );
  add(await databases.get('population').query(`SELECT commune_code AS commune, count(*) AS households FROM population.household WHERE registered_on <= $1 GROUP BY 1`, [day]));
  add(
    await databases.get('health').query(
      `SELECT r.commune_code AS commune, count(*) AS records,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM health.encounter e
                 WHERE e.health_record_id = r.id AND e.occurred_on <= $1
                   AND e.occurred_on >= date_trunc('month', $1::date) - interval '11 months')) AS active_records_12m
         FROM health.health_record r WHERE r.created_on <= $1 GROUP BY 1`,
      [day],
    ),
  );
  add(
    await databases.get('civil-service').query(
      `SELECT workplace_commune_code AS commune, count(*) AS in_service,
              count(*) FILTER (WHERE digital_skills_trained_on <= $1) AS in_service_trained,
              count(*) FILTER (WHERE pin_check_status = 'MATCHED' AND pin_checked_at::date <= $1) AS in_service_pin_matched
         FROM civil_service.civil_servant WHERE hired_on <= $1 AND (left_on IS NULL OR left_on > $1) GROUP BY 1`,
      [day],
    ),
  );
  add(
    await databases.get('agriculture').query(
      `SELECT commune_code AS commune, count(*) AS farm_households,
              count(*) FILTER (WHERE pin_check_status = 'MATCHED' AND pin_checked_at::date <= $1) AS pin_matched
         FROM agriculture.farm_household WHERE registered_on <= $1 GROUP BY 1`,
      [day],
    ),
  );
  return counts;
}

/** Sums commune counts into an area's: a province (by its communes' province) or the nation. */
export function sumOver(counts: CommuneCounts, communes: Iterable<string>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const commune of communes) for (const [name, value] of Object.entries(counts.get(commune) ?? {})) total[name] = (total[name] ?? 0) + value;
  return total;
}

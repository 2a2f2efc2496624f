import type { AgencyDatabases } from '../../platform/database/open-databases.js';

/**
 * Counts per commune as of a day, straight from each agency's rows with plain
 * WHERE clauses: written apart from the aggregate code, to check it.
 */
export type CommuneCounts = Map<string, Record<string, number>>;

/** Each indicator with the two counts it divides (numerator, denominator), as docs/indicators.md defines them. */
export const indicatorCounts = {
  eIdAdoption: ['eid_level2', 'residents_14_plus'],
  eIdLevel2Share: ['eid_level2', 'eid_activated'],
  ehrCoverage: ['records', 'residents'],
  ehrActiveUse: ['active_records_12m', 'records'],
  ehrUsedInCare: ['active_records_12m', 'residents'],
  civilServantDigitalSkills: ['in_service_trained', 'in_service'],
  civilServantsPer1000Residents: ['in_service', 'residents'],
  farmHouseholdsPer100Households: ['farm_households', 'households'],
  farmHouseholdsWithCropRecords: ['with_crop_records', 'farm_households'],
  civilServantPinMatch: ['in_service_pin_matched', 'in_service'],
  farmHeadPinMatch: ['pin_matched', 'farm_households'],
} as const;
export type IndicatorId = keyof typeof indicatorCounts;
export const indicatorIds = Object.keys(indicatorCounts) as IndicatorId[];
/** Every count behind an indicator, each once. */
export const countNames: readonly string[] = [...new Set(Object.values(indicatorCounts).flat())];

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
  // Someone is 14 on the day their birth date plus 14 years falls (a 29 February birth turns 14 on 28 February).
  add(
    await databases.get('population').query(
      `SELECT residence_commune_code AS commune,
              count(*) FILTER (WHERE birth_date <= $1 AND (died_on IS NULL OR died_on > $1)) AS residents,
              count(*) FILTER (WHERE (birth_date + interval '14 years')::date <= $1::date AND (died_on IS NULL OR died_on > $1)) AS residents_14_plus,
              count(*) FILTER (WHERE vneid_level = 2 AND vneid_activated_on <= $1 AND (died_on IS NULL OR died_on > $1)) AS eid_level2,
              count(*) FILTER (WHERE vneid_level IS NOT NULL AND vneid_activated_on <= $1 AND (died_on IS NULL OR died_on > $1)) AS eid_activated
         FROM population.citizen GROUP BY 1`,
      [day],
    ),
  );
  add(
    await databases
      .get('population')
      .query(`SELECT commune_code AS commune, count(*) AS households FROM population.household WHERE registered_on <= $1 GROUP BY 1`, [
        day,
      ]),
  );
  // A record is active with an encounter in the 12 months up to the day, whenever the record itself was made.
  add(
    await databases.get('health').query(
      `SELECT r.commune_code AS commune,
              count(*) FILTER (WHERE r.created_on <= $1) AS records,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM health.encounter e
                 WHERE e.health_record_id = r.id AND e.occurred_on <= $1
                   AND e.occurred_on >= date_trunc('month', $1::date) - interval '11 months')) AS active_records_12m
         FROM health.health_record r GROUP BY 1`,
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
              count(*) FILTER (WHERE pin_check_status = 'MATCHED' AND pin_checked_at::date <= $1) AS pin_matched,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM agriculture.crop_plot p WHERE p.farm_household_id = f.id AND p.year <= extract(year FROM $1::date))) AS with_crop_records
         FROM agriculture.farm_household f WHERE registered_on <= $1 GROUP BY 1`,
      [day],
    ),
  );
  return counts;
}

/** Sums commune counts into an area's: a province (by its communes' province) or the nation. */
export function sumOver(counts: CommuneCounts, communes: Iterable<string>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const commune of communes)
    for (const [name, value] of Object.entries(counts.get(commune) ?? {})) total[name] = (total[name] ?? 0) + value;
  return total;
}

/** Commune code to province code, as the population database's administrative units record the parent. */
export async function provincesOfCommunes(databases: AgencyDatabases): Promise<Map<string, string>> {
  const rows = await databases
    .get('population')
    .query<{ code: string; parent_code: string }>(`SELECT code, parent_code FROM population.administrative_unit WHERE level = 'COMMUNE'`);
  return new Map(rows.map((row) => [row.code, row.parent_code]));
}

/** An area's raw counts, and which of them disclosure control must hide. */
export interface AreaTruth {
  readonly counts: Readonly<Record<string, number>>;
  readonly hidden: ReadonlySet<string>;
}

/** Units hidden among siblings for one count, per docs/indicators.md: those below the minimum, and when exactly one is, the smallest other (ties to the lower code). */
export function hiddenAmong(siblings: ReadonlyMap<string, number>, minimum: number): Set<string> {
  const hidden = new Set<string>();
  for (const [unit, count] of siblings) if (count < minimum) hidden.add(unit);
  if (hidden.size !== 1 || siblings.size < 2) return hidden;
  let smallest: [string, number] | undefined;
  for (const [unit, count] of siblings) {
    if (hidden.has(unit)) continue;
    if (!smallest || count < smallest[1] || (count === smallest[1] && unit < smallest[0])) smallest = [unit, count];
  }
  hidden.add(smallest![0]);
  return hidden;
}

/**
 * What every area should show, from raw counts: the nation (every commune
 * counted), each province (its communes by `provinceOf`) and each commune,
 * with each count's disclosure decided over its siblings (the children of one
 * parent), count by count.
 */
export function disclosureTruth(counts: CommuneCounts, provinceOf: ReadonlyMap<string, string>, minimum: number): Map<string, AreaTruth> {
  const valuesOf = (communes: Iterable<string>) => {
    const sum = sumOver(counts, communes);
    return Object.fromEntries(countNames.map((name) => [name, sum[name] ?? 0]));
  };
  const communesOf = new Map<string, string[]>();
  for (const [commune, province] of provinceOf) communesOf.set(province, [...(communesOf.get(province) ?? []), commune]);
  const groups: Array<Map<string, Record<string, number>>> = [
    new Map([['VN', valuesOf(counts.keys())]]),
    new Map([...communesOf].map(([province, communes]) => [province, valuesOf(communes)])),
    ...[...communesOf.values()].map((communes) => new Map(communes.map((commune) => [commune, valuesOf([commune])]))),
  ];
  const truth = new Map<string, AreaTruth>();
  for (const siblings of groups) {
    const hidden = new Map(
      countNames.map((name) => [name, hiddenAmong(new Map([...siblings].map(([unit, values]) => [unit, values[name]!])), minimum)]),
    );
    for (const [unit, values] of siblings)
      truth.set(unit, { counts: values, hidden: new Set(countNames.filter((name) => hidden.get(name)!.has(unit))) });
  }
  return truth;
}

/** Whether an indicator must be hidden in an area: either of its counts is. */
export function indicatorHidden(truth: AreaTruth, id: IndicatorId): boolean {
  const [numerator, denominator] = indicatorCounts[id];
  return truth.hidden.has(numerator) || truth.hidden.has(denominator);
}

/** Each record of an agency with its stored PIN check, and whether a citizen of the population database really has that PIN. */
export async function pinChecks(
  databases: AgencyDatabases,
  agency: 'civil-service' | 'agriculture',
): Promise<Array<{ id: number; pin: string; status: string; citizen: boolean }>> {
  const citizens = new Set(
    (await databases.get('population').query<{ pin: string }>('SELECT pin FROM population.citizen')).map((row) => row.pin),
  );
  const table = agency === 'civil-service' ? 'civil_service.civil_servant' : 'agriculture.farm_household';
  const pin = agency === 'civil-service' ? 'pin' : 'head_pin';
  const records = await databases
    .get(agency)
    .query<{ id: number; pin: string; status: string }>(`SELECT id, ${pin} AS pin, pin_check_status AS status FROM ${table} ORDER BY id`);
  return records.map((record) => ({ ...record, citizen: citizens.has(record.pin) }));
}

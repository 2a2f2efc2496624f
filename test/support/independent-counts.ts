import { createHmac } from 'node:crypto';
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

/** An area's raw counts, the counts disclosure control must publish, and which of them it must hide. */
export interface AreaTruth {
  readonly counts: Readonly<Record<string, number>>;
  readonly published: Readonly<Record<string, number>>;
  readonly hidden: ReadonlySet<string>;
}

/** The secret of development and tests, as platform/config.ts fixes it. */
export const testDisclosureSecret = 'development-disclosure-secret-not-for-production';
/** The largest noise of one perturbed cell, per docs/disclosure.md. */
export const noiseBound = 2;

/**
 * Which count is part of which, per docs/disclosure.md: a part is published as
 * its whole minus their perturbed difference.
 */
export const partOf: Readonly<Record<string, string>> = {
  residents_14_plus: 'residents',
  eid_activated: 'residents_14_plus',
  eid_level2: 'eid_activated',
  active_records_12m: 'records',
  in_service_trained: 'in_service',
  in_service_pin_matched: 'in_service',
  with_crop_records: 'farm_households',
  pin_matched: 'farm_households',
};

/** The noise of one cell, written apart from the runtime from docs/disclosure.md: HMAC-SHA256 of "cell NUL unit NUL count", its first 48 bits as a draw in [0, 1) read against the perturbation table's row. */
export function cellNoise(secret: string, cell: string, unit: string, count: number): number {
  const draw = createHmac('sha256', secret).update(`${cell}\0${unit}\0${count}`).digest().readUIntBE(0, 6) / 2 ** 48;
  const size = Math.abs(count);
  const row: Array<[number, number]> =
    size === 0
      ? [[0, 1]]
      : size === 1
        ? [
            [-1, 0.25],
            [0, 0.5],
            [1, 0.25],
          ]
        : [
            [-2, 0.1],
            [-1, 0.2],
            [0, 0.4],
            [1, 0.2],
            [2, 0.1],
          ];
  let cumulative = 0;
  for (const [noise, probability] of row) {
    cumulative += probability;
    if (draw < cumulative) return Math.sign(count) * noise;
  }
  return Math.sign(count) * row[row.length - 1]![0];
}

/** A count as disclosure control must publish it: perturbed on its own, or as its whole's published count minus the perturbed difference. */
export function publishedCount(secret: string, unit: string, counts: Readonly<Record<string, number>>, count: string): number {
  const whole = partOf[count];
  if (whole === undefined) return counts[count]! + cellNoise(secret, count, unit, counts[count]!);
  const difference = counts[whole]! - counts[count]!;
  return publishedCount(secret, unit, counts, whole) - (difference + cellNoise(secret, `${whole}-${count}`, unit, difference));
}

/** How far a published count may be from the raw one: the noise bound once per perturbed cell it adds up. */
export function countBound(count: string): number {
  const whole = partOf[count];
  return noiseBound + (whole === undefined ? 0 : countBound(whole));
}

/**
 * What every area should show, from raw counts: the nation (every commune
 * counted), each province (its communes by `provinceOf`) and each commune,
 * each count published with its noise and hidden when that is below the minimum.
 */
export function disclosureTruth(
  counts: CommuneCounts,
  provinceOf: ReadonlyMap<string, string>,
  minimum: number,
  secret: string = testDisclosureSecret,
): Map<string, AreaTruth> {
  const valuesOf = (communes: Iterable<string>) => {
    const sum = sumOver(counts, communes);
    return Object.fromEntries(countNames.map((name) => [name, sum[name] ?? 0]));
  };
  const communesOf = new Map<string, string[]>();
  for (const [commune, province] of provinceOf) communesOf.set(province, [...(communesOf.get(province) ?? []), commune]);
  const areas = new Map<string, Record<string, number>>([['VN', valuesOf(counts.keys())]]);
  for (const [province, communes] of communesOf) areas.set(province, valuesOf(communes));
  for (const commune of provinceOf.keys()) areas.set(commune, valuesOf([commune]));
  const truth = new Map<string, AreaTruth>();
  for (const [unit, values] of areas) {
    const published = Object.fromEntries(countNames.map((name) => [name, publishedCount(secret, unit, values, name)]));
    truth.set(unit, { counts: values, published, hidden: new Set(countNames.filter((name) => published[name]! < minimum)) });
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

import type DataLoader from 'dataloader';
import { areaCountsLoader } from '../runtime/area-counts.js';
import type { SubgraphSettings } from '../../platform/config.js';
import type { SubgraphContext } from '../runtime/context.js';
import type { Database } from '../../platform/database/database.js';
import { healthCounts } from './area-counts.js';
import { groupLoader, rowLoader } from '../runtime/loaders.js';
import type { EncounterRow, FacilityRow, HealthRecordRow } from './rows.js';

const recordColumns = `id, pin, commune_code AS "communeCode", created_on AS "createdAt", facility_id AS "facilityId"`;

export function createLoaders(database: Database, settings: SubgraphSettings, store: Database) {
  // One loader per page size asked for, so that every record asked with the same `last` shares one statement.
  const recentEncounters = new Map<number, DataLoader<number, EncounterRow[]>>();
  return {
    areaCounts: areaCountsLoader(store, healthCounts, settings),
    healthRecordByPin: rowLoader(
      (pins: readonly string[]) =>
        database.query<HealthRecordRow>(`SELECT ${recordColumns} FROM health_record WHERE pin = ANY($1::bpchar[])`, [pins]),
      (row) => row.pin,
    ),
    facilityById: rowLoader(
      (ids: readonly number[]) =>
        database.query<FacilityRow>(
          `SELECT id, code, name, level, province_code AS "provinceCode", commune_code AS "communeCode" FROM facility WHERE id = ANY($1)`,
          [ids],
        ),
      (row) => row.id,
    ),
    recentEncounters(last: number): DataLoader<number, EncounterRow[]> {
      let loader = recentEncounters.get(last);
      if (!loader) {
        loader = groupLoader(
          (recordIds: readonly number[]) =>
            database.query<EncounterRow>(
              `SELECT id, "healthRecordId", "occurredOn", "facilityId", "icd10Code" FROM (
                 SELECT id, health_record_id AS "healthRecordId", occurred_on AS "occurredOn", facility_id AS "facilityId", icd10_code AS "icd10Code",
                        row_number() OVER (PARTITION BY health_record_id ORDER BY occurred_on DESC, id DESC) AS position
                   FROM encounter WHERE health_record_id = ANY($1)) AS recent
               WHERE position <= $2 ORDER BY "healthRecordId", "occurredOn" DESC, id DESC`,
              [recordIds, last],
            ),
          (row) => row.healthRecordId,
        );
        recentEncounters.set(last, loader);
      }
      return loader;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;

export function healthRecordsInCommune(
  database: Database,
  communeCode: string,
  afterId: number,
  limit: number,
): Promise<HealthRecordRow[]> {
  return database.query<HealthRecordRow>(
    `SELECT ${recordColumns} FROM health_record WHERE commune_code = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [communeCode, afterId, limit],
  );
}

import { areaCountsLoader } from '../runtime/area-counts.js';
import type { SubgraphSettings } from '../../platform/config.js';
import type { SubgraphContext } from '../runtime/context.js';
import type { Database } from '../../platform/database/database.js';
import { agricultureCounts } from './area-counts.js';
import { groupLoader, pinCheckLoader, rowLoader } from '../runtime/loaders.js';
import type { CropPlotRow, FarmHouseholdRow, LivestockRow } from './rows.js';

const farmColumns = `id, head_pin AS "headPin", commune_code AS "communeCode", registered_on AS "registeredOn",
  area_hectares AS "areaHectares"`;

export function createLoaders(database: Database, settings: SubgraphSettings, store: Database) {
  return {
    areaCounts: areaCountsLoader(store, agricultureCounts, settings),
    farmHouseholdByHeadPin: rowLoader(
      (pins: readonly string[]) =>
        database.query<FarmHouseholdRow>(`SELECT ${farmColumns} FROM farm_household WHERE head_pin = ANY($1::bpchar[])`, [pins]),
      (row) => row.headPin,
    ),
    pinCheckById: pinCheckLoader(store, agricultureCounts.schema),
    cropPlotsByFarm: groupLoader(
      (ids: readonly number[]) =>
        database.query<CropPlotRow>(
          `SELECT id, farm_household_id AS "farmHouseholdId", crop, area_hectares AS "areaHectares", season, year
             FROM crop_plot WHERE farm_household_id = ANY($1) ORDER BY year DESC, id`,
          [ids],
        ),
      (row) => row.farmHouseholdId,
    ),
    livestockByFarm: groupLoader(
      (ids: readonly number[]) =>
        database.query<LivestockRow>(
          `SELECT id, farm_household_id AS "farmHouseholdId", species, headcount, year
             FROM livestock WHERE farm_household_id = ANY($1) ORDER BY year DESC, id`,
          [ids],
        ),
      (row) => row.farmHouseholdId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;

export function farmHouseholdsInCommune(
  database: Database,
  communeCode: string,
  afterId: number,
  limit: number,
): Promise<FarmHouseholdRow[]> {
  return database.query<FarmHouseholdRow>(
    `SELECT ${farmColumns} FROM farm_household WHERE commune_code = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [communeCode, afterId, limit],
  );
}

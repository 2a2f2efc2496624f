import { areaCountsLoader } from '../runtime/area-counts.js';
import type { SubgraphSettings } from '../../platform/config.js';
import type { SubgraphContext } from '../runtime/context.js';
import type { Database } from '../../platform/database/database.js';
import { civilServiceCounts } from './area-counts.js';
import { pinCheckLoader, rowLoader } from '../runtime/loaders.js';
import type { AgencyRow, CivilServantRow, RankRow } from './rows.js';

const civilServantColumns = `id, pin, full_name AS "fullName", agency_id AS "agencyId", rank_code AS "rankCode",
  workplace_commune_code AS "workplaceCode", hired_on AS "hiredOn", left_on AS "leftOn",
  digital_skills_trained_on AS "digitalSkillsTrainedOn"`;

export function createLoaders(database: Database, settings: SubgraphSettings, store: Database) {
  return {
    areaCounts: areaCountsLoader(store, civilServiceCounts, settings),
    civilServantByPin: rowLoader(
      (pins: readonly string[]) =>
        database.query<CivilServantRow>(`SELECT ${civilServantColumns} FROM civil_servant WHERE pin = ANY($1::bpchar[])`, [pins]),
      (row) => row.pin,
    ),
    agencyById: rowLoader(
      (ids: readonly number[]) =>
        database.query<AgencyRow>(
          `SELECT id, code, name, level, province_code AS "provinceCode", commune_code AS "communeCode" FROM agency WHERE id = ANY($1)`,
          [ids],
        ),
      (row) => row.id,
    ),
    pinCheckById: pinCheckLoader(store, civilServiceCounts.schema),
    rankByCode: rowLoader(
      (codes: readonly string[]) => database.query<RankRow>(`SELECT code, name, grade FROM rank WHERE code = ANY($1)`, [codes]),
      (row) => row.code,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;

export function civilServantsInCommune(
  database: Database,
  communeCode: string,
  afterId: number,
  limit: number,
): Promise<CivilServantRow[]> {
  return database.query<CivilServantRow>(
    `SELECT ${civilServantColumns} FROM civil_servant
      WHERE workplace_commune_code = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [communeCode, afterId, limit],
  );
}

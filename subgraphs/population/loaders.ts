import { areaCountsLoader } from '../runtime/area-counts.js';
import type { SubgraphSettings } from '../../platform/config.js';
import type { SubgraphContext } from '../runtime/context.js';
import type { Database } from '../../platform/database/database.js';
import { populationCounts } from './area-counts.js';
import { groupLoader, rowLoader } from '../runtime/loaders.js';
import type { AdministrativeUnitRow, CitizenRow } from './rows.js';

const unitColumns = `code, level, parent_code AS "parentCode", name, full_name AS "fullName", name_en AS "nameEn",
                     full_name_en AS "fullNameEn", unit_type AS "unitType"`;

/** One SQL statement per entity type per subgraph fetch. */
export function createLoaders(database: Database, settings: SubgraphSettings, store: Database) {
  return {
    areaCounts: areaCountsLoader(store, populationCounts, settings),
    citizenByPin: rowLoader(
      (pins: readonly string[]) =>
        database.query<CitizenRow>(
          `SELECT pin, full_name AS "fullName", birth_date AS "birthDate", sex, residence_commune_code AS "residenceCode",
                  died_on AS "diedOn", vneid_level AS "eIdLevel", vneid_activated_on AS "eIdActivatedAt"
             FROM citizen WHERE pin = ANY($1::bpchar[])`,
          [pins],
        ),
      (row) => row.pin,
    ),
    unitByCode: rowLoader(
      (codes: readonly string[]) =>
        store.query<AdministrativeUnitRow>(`SELECT ${unitColumns} FROM store_population.administrative_unit WHERE code = ANY($1)`, [codes]),
      (row) => row.code,
    ),
    unitsByParent: groupLoader(
      (codes: readonly string[]) =>
        store.query<AdministrativeUnitRow>(
          `SELECT ${unitColumns} FROM store_population.administrative_unit WHERE parent_code = ANY($1) ORDER BY code`,
          [codes],
        ),
      (row) => row.parentCode!,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;

export function listProvinces(store: Database): Promise<AdministrativeUnitRow[]> {
  return store.query<AdministrativeUnitRow>(
    `SELECT ${unitColumns} FROM store_population.administrative_unit WHERE level = 'PROVINCE' ORDER BY code`,
  );
}

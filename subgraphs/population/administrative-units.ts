import { readCsvFile } from '../../platform/csv.js';
import type { DatabaseSession } from '../../platform/database/database.js';

export interface AdministrativeUnitRow {
  readonly code: string;
  readonly level: 'PROVINCE' | 'COMMUNE';
  readonly parent_code: string | null;
  readonly name: string;
  readonly full_name: string;
  readonly name_en: string;
  readonly full_name_en: string;
  readonly unit_type: string;
  readonly unit_type_en: string;
}

const dataFolder = new URL('../../platform/administrative-units/', import.meta.url);
const columns = ['code', 'level', 'parent_code', 'name', 'full_name', 'name_en', 'full_name_en', 'unit_type', 'unit_type_en'] as const;

/** The 34 provinces, then the 3,321 communes, of the hierarchy in force (see platform/administrative-units/README.md). */
export async function readAdministrativeUnits(): Promise<AdministrativeUnitRow[]> {
  const provinces = await readCsvFile(new URL('provinces_2026-04-30.csv', dataFolder));
  const communes = await readCsvFile(new URL('communes_2026-04-30.csv', dataFolder));
  const unit = (record: Record<string, string>, level: AdministrativeUnitRow['level'], parent: string | null): AdministrativeUnitRow => ({
    code: record.code!,
    level,
    parent_code: parent,
    name: record.name!,
    full_name: record.full_name!,
    name_en: record.name_en!,
    full_name_en: record.full_name_en!,
    unit_type: record.unit_type!,
    unit_type_en: record.unit_type_en!,
  });
  return [
    ...provinces.map((record) => unit(record, 'PROVINCE', null)),
    ...communes.map((record) => unit(record, 'COMMUNE', record.province_code!)),
  ];
}

/** Upserts the official units, so a renamed unit is corrected in place; runs after every migration. */
export async function loadAdministrativeUnits(session: DatabaseSession): Promise<void> {
  const units = await readAdministrativeUnits();
  await session.query(
    `INSERT INTO store_population.administrative_unit (${columns.join(', ')})
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS unit(code text, level text, parent_code text, name text, full_name text,
                                                          name_en text, full_name_en text, unit_type text, unit_type_en text)
     ORDER BY level DESC, code
     ON CONFLICT (code) DO UPDATE SET ${columns
       .filter((column) => column !== 'code')
       .map((column) => `${column} = EXCLUDED.${column}`)
       .join(', ')}`,
    [JSON.stringify(units)],
  );
}

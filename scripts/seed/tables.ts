import type { Agency } from '../../platform/config.js';
import { csvField } from '../../platform/csv.js';

type Field = string | number | boolean | null;

/** Every table the generator fills, in load order (a table after those it references). */
export const generatedTables = {
  household: { agency: 'population', name: 'household', columns: ['id', 'commune_code', 'registered_on'] },
  citizen: {
    agency: 'population',
    name: 'citizen',
    columns: [
      'pin',
      'full_name',
      'birth_date',
      'sex',
      'residence_commune_code',
      'household_id',
      'is_household_head',
      'registered_on',
      'died_on',
      'vneid_level',
      'vneid_activated_on',
    ],
  },
  agency: {
    agency: 'civil-service',
    name: 'agency',
    columns: ['id', 'code', 'name', 'level', 'province_code', 'commune_code'],
  },
  rank: { agency: 'civil-service', name: 'rank', columns: ['code', 'name', 'grade'] },
  civilServant: {
    agency: 'civil-service',
    name: 'civil_servant',
    columns: [
      'id',
      'pin',
      'full_name',
      'birth_date',
      'sex',
      'agency_id',
      'rank_code',
      'workplace_commune_code',
      'hired_on',
      'left_on',
      'digital_skills_trained_on',
    ],
  },
  farmHousehold: {
    agency: 'agriculture',
    name: 'farm_household',
    columns: ['id', 'head_pin', 'commune_code', 'registered_on', 'area_hectares'],
  },
  cropPlot: {
    agency: 'agriculture',
    name: 'crop_plot',
    columns: ['id', 'farm_household_id', 'crop', 'area_hectares', 'season', 'year'],
  },
  livestock: { agency: 'agriculture', name: 'livestock', columns: ['id', 'farm_household_id', 'species', 'headcount', 'year'] },
  facility: { agency: 'health', name: 'facility', columns: ['id', 'code', 'name', 'level', 'province_code', 'commune_code'] },
  healthRecord: { agency: 'health', name: 'health_record', columns: ['id', 'pin', 'commune_code', 'created_on', 'facility_id'] },
  encounter: {
    agency: 'health',
    name: 'encounter',
    columns: ['id', 'health_record_id', 'occurred_on', 'facility_id', 'icd10_code'],
  },
} as const satisfies Record<string, { agency: Agency; name: string; columns: readonly string[] }>;

export type TableKey = keyof typeof generatedTables;
export const tableKeys = Object.keys(generatedTables) as TableKey[];

/** The rows generated since the last flush, as CSV text per table. */
export class RowBuffer {
  #lines = new Map<TableKey, string[]>();

  add(table: TableKey, fields: readonly Field[]): void {
    let lines = this.#lines.get(table);
    if (!lines) this.#lines.set(table, (lines = []));
    lines.push(fields.map(csvField).join(','));
  }

  /** Takes the buffered rows as CSV per table, leaving the buffer empty. */
  take(): Array<{ table: TableKey; csv: string; count: number }> {
    const taken = tableKeys
      .filter((key) => this.#lines.has(key))
      .map((key) => {
        const lines = this.#lines.get(key)!;
        return { table: key, csv: `${lines.join('\n')}\n`, count: lines.length };
      });
    this.#lines = new Map();
    return taken;
  }
}

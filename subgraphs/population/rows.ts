/** Rows as the population subgraph's SQL selects them (camelCase aliases). */
export interface AdministrativeUnitRow {
  readonly code: string;
  readonly level: 'PROVINCE' | 'COMMUNE';
  readonly parentCode: string | null;
  readonly name: string;
  readonly fullName: string;
  readonly nameEn: string;
  readonly fullNameEn: string;
  readonly unitType: string;
}

export interface CitizenRow {
  readonly pin: string;
  readonly fullName: string;
  readonly birthDate: string;
  readonly sex: 'MALE' | 'FEMALE';
  readonly residenceCode: string;
  readonly diedOn: string | null;
  readonly eIdLevel: number | null;
  readonly eIdActivatedAt: string | null;
}

/** An area in a period; its counts are loaded when a field needs them. */
export type { AreaStatsRow } from '../runtime/references.js';

export type { AdministrativeUnitReference, CitizenReference } from '../runtime/references.js';
import type { Page } from '../runtime/pagination.js';

export interface FarmHouseholdRow {
  readonly id: number;
  readonly headPin: string;
  readonly communeCode: string;
  readonly registeredOn: string;
  readonly areaHectares: number;
}

export interface CropPlotRow {
  readonly id: number;
  readonly farmHouseholdId: number;
  readonly crop: string;
  readonly areaHectares: number;
  readonly season: 'WINTER_SPRING' | 'SUMMER_AUTUMN' | 'MAIN' | 'PERENNIAL';
  readonly year: number;
}

export interface LivestockRow {
  readonly id: number;
  readonly farmHouseholdId: number;
  readonly species: 'PIG' | 'BUFFALO' | 'CATTLE' | 'CHICKEN' | 'DUCK' | 'GOAT';
  readonly headcount: number;
  readonly year: number;
}

export type FarmHouseholdPage = Page<FarmHouseholdRow>;
export type { AreaStatsRow } from '../runtime/references.js';

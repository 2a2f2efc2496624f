export type { AdministrativeUnitReference, CitizenReference } from '../runtime/references.js';
import type { Page } from '../runtime/pagination.js';

export interface HealthRecordRow {
  readonly id: number;
  readonly pin: string;
  readonly communeCode: string;
  readonly createdAt: string;
  readonly facilityId: number;
}

export interface EncounterRow {
  readonly id: number;
  readonly healthRecordId: number;
  readonly occurredOn: string;
  readonly facilityId: number;
  readonly icd10Code: string;
}

export interface FacilityRow {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly level: 'CENTRAL' | 'PROVINCE' | 'COMMUNE';
  readonly provinceCode: string;
  readonly communeCode: string;
}

export type HealthRecordPage = Page<HealthRecordRow>;
export type { AreaStatsRow } from '../runtime/references.js';

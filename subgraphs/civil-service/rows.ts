export type { AdministrativeUnitReference, CitizenReference } from '../runtime/references.js';
import type { Page } from '../runtime/pagination.js';

export interface CivilServantRow {
  readonly id: number;
  readonly pin: string;
  readonly fullName: string;
  readonly agencyId: number;
  readonly rankCode: string;
  readonly workplaceCode: string;
  readonly hiredOn: string;
  readonly leftOn: string | null;
  readonly digitalSkillsTrainedOn: string | null;
}

export interface AgencyRow {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly level: 'CENTRAL' | 'PROVINCE' | 'COMMUNE';
  readonly provinceCode: string | null;
  readonly communeCode: string | null;
}

export interface RankRow {
  readonly code: string;
  readonly name: string;
  readonly grade: number;
}

export type CivilServantPage = Page<CivilServantRow>;
export type { AreaStatsRow } from '../runtime/references.js';

/** Entities another subgraph owns, as this subgraph hands them to the gateway: just their key. */
export interface CitizenReference {
  readonly pin: string;
}

export interface AdministrativeUnitReference {
  readonly code: string;
}

export interface IndicatorReference {
  readonly id: string;
}

/** An AreaStats entity as another subgraph receives it: its key, and what it @requires. */
export interface AreaStatsReference {
  readonly unitCode: string;
  readonly period: string;
  readonly residentCount?: number | null;
  readonly residentCountSuppressed?: boolean | null;
  readonly householdCount?: number | null;
  readonly householdCountSuppressed?: boolean | null;
}

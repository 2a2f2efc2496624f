import type { Period } from '../../platform/period.js';
import type { AreaCounts } from './area-counts.js';

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

/**
 * An AreaStats entity as every subgraph resolves it: its key, the period
 * parsed once (the `period` field answers its text), and whatever counts of
 * another agency its indicators @require, by field name.
 */
export interface AreaStatsRow {
  readonly unitCode: string;
  readonly period: Period;
  /** The agency's counts for the area, when they were read with it (withCounts). */
  readonly counts?: AreaCounts<string>;
  readonly [requiredField: string]: unknown;
}

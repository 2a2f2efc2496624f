import type { Agency } from '../config.js';

/**
 * The indicators this system computes for the tasks of Decision
 * 27/QĐ-UBQGCĐS, each declared once: which counts it divides and which
 * agency keeps each, its unit and targets. The agencies' AreaStats resolvers
 * are derived from it (subgraphs/runtime/area-indicator.ts) and a test checks
 * that every agency's SDL declares exactly these fields. Targets: the press
 * report of the decision and Decision 17/QĐ-UBQGCĐS (2023), as summarised in
 * docs/indicators.md.
 */
export interface Target {
  /** Applies from this year until a later target exists. */
  readonly fromYear: number;
  readonly value: number;
  /** The target as the decision words it. */
  readonly statement: string;
  readonly source: string;
}

export type IndicatorUnit = 'PERCENT' | 'PER_1000' | 'PER_100';
export type Direction = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER' | 'NONE';

/** One of an agency's commune-by-month counts (a column of its counts table), and what it counts. */
export interface CountOf {
  readonly agency: Agency;
  readonly count: string;
  readonly meaning: string;
}

export interface IndicatorDefinition {
  readonly id: string;
  readonly task: number;
  readonly name: string;
  /** The numerator's agency computes the indicator; a denominator of another agency must be one it shares (sharedCounts). */
  readonly numerator: CountOf;
  readonly denominator: CountOf;
  readonly unit: IndicatorUnit;
  readonly direction: Direction;
  readonly targets: readonly Target[];
}

/** What a value is multiplied by after dividing numerator by denominator. */
export const scaleOf: Record<IndicatorUnit, number> = { PERCENT: 100, PER_1000: 1000, PER_100: 100 };

/**
 * Counts an agency publishes on AreaStats so that other agencies can divide
 * by them (federation @requires): `field` and `<field>Suppressed`.
 */
export interface SharedCount {
  readonly agency: Agency;
  readonly count: string;
  readonly field: string;
}

export const sharedCounts: readonly SharedCount[] = [
  { agency: 'population', count: 'residents', field: 'residentCount' },
  { agency: 'population', count: 'households', field: 'householdCount' },
];

const decision27 = 'Decision 27/QĐ-UBQGCĐS (2022)';
const decision17 = 'Decision 17/QĐ-UBQGCĐS (2023)';

const residents: CountOf = { agency: 'population', count: 'residents', meaning: 'residents' };
const residents14Plus: CountOf = { agency: 'population', count: 'residents_14_plus', meaning: 'residents aged 14 or over' };
const healthRecords: CountOf = { agency: 'health', count: 'records', meaning: 'e-health records' };
const activeHealthRecords: CountOf = {
  agency: 'health',
  count: 'active_records_12m',
  meaning: 'e-health records with an encounter in the 12 months up to the end of the period',
};
const servantsInService: CountOf = { agency: 'civil-service', count: 'in_service', meaning: 'civil servants in service' };
const farmHouseholds: CountOf = { agency: 'agriculture', count: 'farm_households', meaning: 'farm households' };
const eIdLevel2: CountOf = {
  agency: 'population',
  count: 'eid_level2',
  meaning: 'residents with an activated level-2 VNeID electronic identity',
};

export const indicators: readonly IndicatorDefinition[] = [
  {
    id: 'eIdAdoption',
    task: 2,
    name: 'Electronic identity adoption',
    numerator: { ...eIdLevel2, meaning: 'residents aged 14 or over with an activated level-2 VNeID electronic identity' },
    denominator: residents14Plus,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [
      { fromYear: 2022, value: 15, statement: '15–20% of people using the e-ID application', source: decision27 },
      { fromYear: 2023, value: 30, statement: 'over 30% of adults with an e-ID account', source: decision17 },
    ],
  },
  {
    id: 'eIdLevel2Share',
    task: 2,
    name: 'Level-2 share of activated electronic identities',
    numerator: eIdLevel2,
    denominator: {
      agency: 'population',
      count: 'eid_activated',
      meaning: 'residents with an activated VNeID electronic identity, level 1 or 2',
    },
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
  {
    id: 'ehrCoverage',
    task: 4,
    name: 'E-health record coverage',
    numerator: { ...healthRecords, meaning: 'e-health records, by the holder’s commune as the health system recorded it' },
    denominator: residents,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [
      { fromYear: 2022, value: 90, statement: 'over 90% of people with an e-health record used in care', source: decision27 },
      { fromYear: 2023, value: 80, statement: 'over 80% of people with an e-health record', source: decision17 },
    ],
  },
  {
    id: 'ehrActiveUse',
    task: 4,
    name: 'E-health records in active use',
    numerator: activeHealthRecords,
    denominator: healthRecords,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
  {
    id: 'ehrUsedInCare',
    task: 4,
    name: 'Residents whose e-health record is used in care',
    numerator: {
      ...activeHealthRecords,
      meaning: `${activeHealthRecords.meaning}, by the holder’s commune as the health system recorded it`,
    },
    denominator: residents,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [{ fromYear: 2022, value: 90, statement: 'over 90% of people with an e-health record used in care', source: decision27 }],
  },
  {
    id: 'civilServantDigitalSkills',
    task: 10,
    name: 'Civil servants trained in digital skills',
    numerator: {
      agency: 'civil-service',
      count: 'in_service_trained',
      meaning: 'civil servants in service who completed digital-skills training',
    },
    denominator: servantsInService,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
  {
    id: 'civilServantsPer1000Residents',
    task: 17,
    name: 'Civil servants per 1,000 residents',
    numerator: { ...servantsInService, meaning: 'civil servants in service, by workplace commune' },
    denominator: residents,
    unit: 'PER_1000',
    direction: 'NONE',
    targets: [],
  },
  {
    id: 'farmHouseholdsPer100Households',
    task: 16,
    name: 'Farm households in the agriculture database per 100 households',
    numerator: { ...farmHouseholds, meaning: 'farm households registered in the agriculture database' },
    denominator: { agency: 'population', count: 'households', meaning: 'households registered in the population database' },
    unit: 'PER_100',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
  {
    id: 'farmHouseholdsWithCropRecords',
    task: 16,
    name: 'Farm households with crop records',
    numerator: {
      agency: 'agriculture',
      count: 'with_crop_records',
      meaning: 'farm households with a crop plot recorded for a year up to the period’s',
    },
    denominator: farmHouseholds,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
  {
    id: 'civilServantPinMatch',
    task: 18,
    name: 'Civil-servant records matched to a citizen',
    numerator: {
      agency: 'civil-service',
      count: 'in_service_pin_matched',
      meaning: 'civil servants in service whose PIN was found in the population database (checked by the end of the period)',
    },
    denominator: servantsInService,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
  {
    id: 'farmHeadPinMatch',
    task: 18,
    name: 'Farm-household heads matched to a citizen',
    numerator: {
      agency: 'agriculture',
      count: 'pin_matched',
      meaning: 'farm households whose head’s PIN was found in the population database (checked by the end of the period)',
    },
    denominator: farmHouseholds,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
  },
];

export function indicatorById(id: string): IndicatorDefinition {
  const definition = indicators.find((indicator) => indicator.id === id);
  if (!definition) throw new Error(`No indicator ${id} in the catalogue`);
  return definition;
}

/** The agencies whose databases an indicator reads: the one that computes it first. */
export function sourcesOf(definition: IndicatorDefinition): Agency[] {
  return [...new Set([definition.numerator.agency, definition.denominator.agency])];
}

/** The target in force in a year: the latest set in or before it; none before the first. */
export function targetIn(definition: IndicatorDefinition, year: number): Target | null {
  // Called for every area of an answer: a loop, not a reversed copy.
  for (let index = definition.targets.length - 1; index >= 0; index--)
    if (definition.targets[index]!.fromYear <= year) return definition.targets[index]!;
  return null;
}

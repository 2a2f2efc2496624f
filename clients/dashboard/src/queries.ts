/**
 * The operations the dashboard sends. The indicators are not listed here:
 * they come from the catalogue the API serves (`tasks`), and the operations
 * that read their values are written from it, in the catalogue's order, so
 * every visitor sends the same text (and the same persisted-query hash).
 * npm run compose writes every text they can make into the gateway's trusted
 * documents (schema/trusted-documents/dashboard.json, from these builders):
 * change one, and run it (a test fails until then).
 */
export type IndicatorUnit = 'PERCENT' | 'PER_1000' | 'PER_100';
export type Direction = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER' | 'NONE';

export interface Target {
  readonly fromYear: number;
  readonly value: number;
  readonly statement: string;
  readonly source: string;
}

export interface Indicator {
  readonly id: string;
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly unit: IndicatorUnit;
  readonly direction: Direction;
  readonly sources: readonly string[];
  readonly targets: readonly Target[];
}

export interface Task {
  readonly number: number;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly measured: boolean;
  readonly indicators: readonly Indicator[];
}

/** One indicator for one area and period, as the API answers it. */
export interface Figure {
  readonly value: number | null;
  readonly target: number | null;
  readonly meetsTarget: boolean | null;
  readonly suppressed: boolean;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

export interface Unit {
  readonly name: string;
  readonly nameEn: string;
  readonly parent?: (Unit & { readonly code: string }) | null;
}

/** An area in a period, with the asked indicators under their ids. */
export type AreaFigures = {
  readonly unitCode: string;
  readonly period: string;
  readonly unit?: Unit | null;
} & { readonly [indicator: string]: Figure | unknown };

export const catalogueQuery = `query DashboardCatalogue {
  disclosureMinimumCount
  tasks {
    number
    nameVi
    nameEn
    measured
    indicators { id name numerator denominator unit direction sources targets { fromYear value statement source } }
  }
}`;

const fieldName = /^[_A-Za-z][_0-9A-Za-z]*$/;
/** An indicator id as a field of AreaStats; anything else in the catalogue would be refused, not sent. */
const field = (id: string) => {
  if (!fieldName.test(id)) throw new Error(`The catalogue lists an indicator id that is not a field name: ${JSON.stringify(id)}`);
  return id;
};

const figureFragment = 'fragment Figure on IndicatorValue { value target meetsTarget suppressed numerator denominator }';

/** The nation in one period, every indicator, with the last months of each for the sparklines. */
export const scorecardQuery = (ids: readonly string[]) => `query DashboardScorecard($period: String!, $from: String!, $to: String!) {
  nation: areaStats(level: NATION, period: $period) { unitCode period ${ids.map((id) => `${field(id)} { ...Figure }`).join(' ')} }
  months: areaSeries(unitCode: "VN", from: $from, to: $to) { unitCode period ${ids.map((id) => `${field(id)} { value suppressed target }`).join(' ')} }
}
${figureFragment}`;

/** The 34 provinces in one period, for one indicator. */
export const provincesQuery = (id: string) => `query DashboardProvinces($period: String!) {
  areaStats(level: PROVINCE, period: $period) { unitCode period unit { name nameEn } ${field(id)} { ...Figure } }
}
${figureFragment}`;

/** The communes of one province in one period, for one indicator, with the province's own figure. */
export const communesQuery = (id: string) => `query DashboardCommunes($period: String!, $province: ID!) {
  province: areaSeries(unitCode: $province, from: $period, to: $period) { unitCode period unit { name nameEn } ${field(id)} { ...Figure } }
  areaStats(level: COMMUNE, period: $period, parentCode: $province) { unitCode period unit { name nameEn } ${field(id)} { ...Figure } }
}
${figureFragment}`;

/** The province of a commune. */
export const parentQuery = 'query DashboardParent($code: ID!) { administrativeUnit(code: $code) { code parent { code } } }';

/** One area over consecutive periods, for one indicator, with the province of a commune. */
export const trendQuery = (id: string) => `query DashboardTrend($unit: ID!, $from: String!, $to: String!) {
  areaSeries(unitCode: $unit, from: $from, to: $to) { unitCode period unit { name nameEn parent { code name nameEn } } ${field(id)} { ...Figure } }
}
${figureFragment}`;

export const figureOf = (area: AreaFigures, id: string): Figure | undefined => (area[id] as Figure | null | undefined) ?? undefined;

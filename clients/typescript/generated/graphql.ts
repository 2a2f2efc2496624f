/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The level of an area whose indicators are asked for. */
export type AreaLevel =
  /** One of the 3,321 communes, by its 5-digit code. */
  | 'COMMUNE'
  /** The whole country, unit code VN. */
  | 'NATION'
  /** One of the 34 provinces, by its 2-digit code. */
  | 'PROVINCE';

/** Sex as the population database records it; it agrees with the PIN's century/sex digit. */
export type Sex =
  /** Female. */
  | 'FEMALE'
  /** Male. */
  | 'MALE';

export type CitizenRecordQueryVariables = Exact<{
  pin: string | number;
}>;


export type CitizenRecordQuery = { citizen: { pin: string, fullName: string, birthDate: string, sex: Sex, residence: { code: string, name: string }, eId: { level: number, activatedAt: string } | null, healthRecord: { createdAt: string } | null, civilServant: { inService: boolean, rank: { name: string } } | null } | null };

export type AreaIndicatorsQueryVariables = Exact<{
  level: AreaLevel;
  period: string;
  parentCode?: string | number | null | undefined;
}>;


export type AreaIndicatorsQuery = { areaStats: Array<{ unitCode: string, period: string, unit: { name: string } | null, eIdAdoption: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, eIdLevel2Share: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrCoverage: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrActiveUse: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrUsedInCare: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantDigitalSkills: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantsPer1000Residents: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHouseholdsPer100Households: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHouseholdsWithCropRecords: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantPinMatch: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHeadPinMatch: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean } }> };

export type AreaTrendQueryVariables = Exact<{
  unitCode: string | number;
  from: string;
  to: string;
}>;


export type AreaTrendQuery = { areaSeries: Array<{ unitCode: string, period: string, eIdAdoption: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, eIdLevel2Share: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrCoverage: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrActiveUse: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrUsedInCare: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantDigitalSkills: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantsPer1000Residents: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHouseholdsPer100Households: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHouseholdsWithCropRecords: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantPinMatch: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHeadPinMatch: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean } }> };

export type FigureFragment = { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean };

export type AllIndicatorsFragment = { eIdAdoption: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, eIdLevel2Share: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrCoverage: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrActiveUse: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, ehrUsedInCare: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantDigitalSkills: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantsPer1000Residents: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHouseholdsPer100Households: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHouseholdsWithCropRecords: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, civilServantPinMatch: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean }, farmHeadPinMatch: { numerator: number | null, denominator: number | null, value: number | null, target: number | null, gap: number | null, meetsTarget: boolean | null, suppressed: boolean } };

export type CheckPinsQueryVariables = Exact<{
  pins: Array<string | number> | string | number;
}>;


export type CheckPinsQuery = { citizens: Array<{ pin: string } | null> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const FigureFragmentDoc = new TypedDocumentString(`
    fragment Figure on IndicatorValue {
  numerator
  denominator
  value
  target
  gap
  meetsTarget
  suppressed
}
    `, {"fragmentName":"Figure"}) as unknown as TypedDocumentString<FigureFragment, unknown>;
export const AllIndicatorsFragmentDoc = new TypedDocumentString(`
    fragment AllIndicators on AreaStats {
  eIdAdoption {
    ...Figure
  }
  eIdLevel2Share {
    ...Figure
  }
  ehrCoverage {
    ...Figure
  }
  ehrActiveUse {
    ...Figure
  }
  ehrUsedInCare {
    ...Figure
  }
  civilServantDigitalSkills {
    ...Figure
  }
  civilServantsPer1000Residents {
    ...Figure
  }
  farmHouseholdsPer100Households {
    ...Figure
  }
  farmHouseholdsWithCropRecords {
    ...Figure
  }
  civilServantPinMatch {
    ...Figure
  }
  farmHeadPinMatch {
    ...Figure
  }
}
    fragment Figure on IndicatorValue {
  numerator
  denominator
  value
  target
  gap
  meetsTarget
  suppressed
}`, {"fragmentName":"AllIndicators"}) as unknown as TypedDocumentString<AllIndicatorsFragment, unknown>;
export const CitizenRecordDocument = new TypedDocumentString(`
    query CitizenRecord($pin: ID!) {
  citizen(pin: $pin) {
    pin
    fullName
    birthDate
    sex
    residence {
      code
      name
    }
    eId {
      level
      activatedAt
    }
    healthRecord {
      createdAt
    }
    civilServant {
      rank {
        name
      }
      inService
    }
  }
}
    `, {"hash":"sha256:9b22d5b0809ae7cb7107bfaf155fd24db27668eb3df50015960dfb8cb9fefe54"}) as unknown as TypedDocumentString<CitizenRecordQuery, CitizenRecordQueryVariables>;
export const AreaIndicatorsDocument = new TypedDocumentString(`
    query AreaIndicators($level: AreaLevel!, $period: String!, $parentCode: ID) {
  areaStats(level: $level, period: $period, parentCode: $parentCode) {
    unitCode
    period
    unit {
      name
    }
    ...AllIndicators
  }
}
    fragment Figure on IndicatorValue {
  numerator
  denominator
  value
  target
  gap
  meetsTarget
  suppressed
}
fragment AllIndicators on AreaStats {
  eIdAdoption {
    ...Figure
  }
  eIdLevel2Share {
    ...Figure
  }
  ehrCoverage {
    ...Figure
  }
  ehrActiveUse {
    ...Figure
  }
  ehrUsedInCare {
    ...Figure
  }
  civilServantDigitalSkills {
    ...Figure
  }
  civilServantsPer1000Residents {
    ...Figure
  }
  farmHouseholdsPer100Households {
    ...Figure
  }
  farmHouseholdsWithCropRecords {
    ...Figure
  }
  civilServantPinMatch {
    ...Figure
  }
  farmHeadPinMatch {
    ...Figure
  }
}`, {"hash":"sha256:ca2f64d348afd92fa2b4b214fc72ddcdb8ebb5ba8a8cc789866ada7d4f56a5c3"}) as unknown as TypedDocumentString<AreaIndicatorsQuery, AreaIndicatorsQueryVariables>;
export const AreaTrendDocument = new TypedDocumentString(`
    query AreaTrend($unitCode: ID!, $from: String!, $to: String!) {
  areaSeries(unitCode: $unitCode, from: $from, to: $to) {
    unitCode
    period
    ...AllIndicators
  }
}
    fragment Figure on IndicatorValue {
  numerator
  denominator
  value
  target
  gap
  meetsTarget
  suppressed
}
fragment AllIndicators on AreaStats {
  eIdAdoption {
    ...Figure
  }
  eIdLevel2Share {
    ...Figure
  }
  ehrCoverage {
    ...Figure
  }
  ehrActiveUse {
    ...Figure
  }
  ehrUsedInCare {
    ...Figure
  }
  civilServantDigitalSkills {
    ...Figure
  }
  civilServantsPer1000Residents {
    ...Figure
  }
  farmHouseholdsPer100Households {
    ...Figure
  }
  farmHouseholdsWithCropRecords {
    ...Figure
  }
  civilServantPinMatch {
    ...Figure
  }
  farmHeadPinMatch {
    ...Figure
  }
}`, {"hash":"sha256:6e7945dd35347ec5a472a0edd56375a5d40ed1143c29ef8bab90b9f0889805ce"}) as unknown as TypedDocumentString<AreaTrendQuery, AreaTrendQueryVariables>;
export const CheckPinsDocument = new TypedDocumentString(`
    query CheckPins($pins: [ID!]!) {
  citizens(pins: $pins) {
    pin
  }
}
    `, {"hash":"sha256:43c7b72d576b1026f19f95cc3f2c7d217737b4537f7913383e7bf51f4470a6ca"}) as unknown as TypedDocumentString<CheckPinsQuery, CheckPinsQueryVariables>;
/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CitizenRecord($pin: ID!) {\n  citizen(pin: $pin) {\n    pin\n    fullName\n    birthDate\n    sex\n    residence {\n      code\n      name\n    }\n    eId {\n      level\n      activatedAt\n    }\n    healthRecord {\n      createdAt\n    }\n    civilServant {\n      rank {\n        name\n      }\n      inService\n    }\n  }\n}": typeof types.CitizenRecordDocument,
    "query AreaIndicators($level: AreaLevel!, $period: String!, $parentCode: ID) {\n  areaStats(level: $level, period: $period, parentCode: $parentCode) {\n    unitCode\n    period\n    unit {\n      name\n    }\n    ...AllIndicators\n  }\n}\n\nquery AreaTrend($unitCode: ID!, $from: String!, $to: String!) {\n  areaSeries(unitCode: $unitCode, from: $from, to: $to) {\n    unitCode\n    period\n    ...AllIndicators\n  }\n}\n\nfragment Figure on IndicatorValue {\n  numerator\n  denominator\n  value\n  target\n  gap\n  meetsTarget\n  suppressed\n}\n\nfragment AllIndicators on AreaStats {\n  eIdAdoption {\n    ...Figure\n  }\n  eIdLevel2Share {\n    ...Figure\n  }\n  ehrCoverage {\n    ...Figure\n  }\n  ehrActiveUse {\n    ...Figure\n  }\n  ehrUsedInCare {\n    ...Figure\n  }\n  civilServantDigitalSkills {\n    ...Figure\n  }\n  civilServantsPer1000Residents {\n    ...Figure\n  }\n  farmHouseholdsPer100Households {\n    ...Figure\n  }\n  farmHouseholdsWithCropRecords {\n    ...Figure\n  }\n  civilServantPinMatch {\n    ...Figure\n  }\n  farmHeadPinMatch {\n    ...Figure\n  }\n}": typeof types.AreaIndicatorsDocument,
    "query CheckPins($pins: [ID!]!) {\n  citizens(pins: $pins) {\n    pin\n  }\n}": typeof types.CheckPinsDocument,
};
const documents: Documents = {
    "query CitizenRecord($pin: ID!) {\n  citizen(pin: $pin) {\n    pin\n    fullName\n    birthDate\n    sex\n    residence {\n      code\n      name\n    }\n    eId {\n      level\n      activatedAt\n    }\n    healthRecord {\n      createdAt\n    }\n    civilServant {\n      rank {\n        name\n      }\n      inService\n    }\n  }\n}": types.CitizenRecordDocument,
    "query AreaIndicators($level: AreaLevel!, $period: String!, $parentCode: ID) {\n  areaStats(level: $level, period: $period, parentCode: $parentCode) {\n    unitCode\n    period\n    unit {\n      name\n    }\n    ...AllIndicators\n  }\n}\n\nquery AreaTrend($unitCode: ID!, $from: String!, $to: String!) {\n  areaSeries(unitCode: $unitCode, from: $from, to: $to) {\n    unitCode\n    period\n    ...AllIndicators\n  }\n}\n\nfragment Figure on IndicatorValue {\n  numerator\n  denominator\n  value\n  target\n  gap\n  meetsTarget\n  suppressed\n}\n\nfragment AllIndicators on AreaStats {\n  eIdAdoption {\n    ...Figure\n  }\n  eIdLevel2Share {\n    ...Figure\n  }\n  ehrCoverage {\n    ...Figure\n  }\n  ehrActiveUse {\n    ...Figure\n  }\n  ehrUsedInCare {\n    ...Figure\n  }\n  civilServantDigitalSkills {\n    ...Figure\n  }\n  civilServantsPer1000Residents {\n    ...Figure\n  }\n  farmHouseholdsPer100Households {\n    ...Figure\n  }\n  farmHouseholdsWithCropRecords {\n    ...Figure\n  }\n  civilServantPinMatch {\n    ...Figure\n  }\n  farmHeadPinMatch {\n    ...Figure\n  }\n}": types.AreaIndicatorsDocument,
    "query CheckPins($pins: [ID!]!) {\n  citizens(pins: $pins) {\n    pin\n  }\n}": types.CheckPinsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CitizenRecord($pin: ID!) {\n  citizen(pin: $pin) {\n    pin\n    fullName\n    birthDate\n    sex\n    residence {\n      code\n      name\n    }\n    eId {\n      level\n      activatedAt\n    }\n    healthRecord {\n      createdAt\n    }\n    civilServant {\n      rank {\n        name\n      }\n      inService\n    }\n  }\n}"): typeof import('./graphql.js').CitizenRecordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AreaIndicators($level: AreaLevel!, $period: String!, $parentCode: ID) {\n  areaStats(level: $level, period: $period, parentCode: $parentCode) {\n    unitCode\n    period\n    unit {\n      name\n    }\n    ...AllIndicators\n  }\n}\n\nquery AreaTrend($unitCode: ID!, $from: String!, $to: String!) {\n  areaSeries(unitCode: $unitCode, from: $from, to: $to) {\n    unitCode\n    period\n    ...AllIndicators\n  }\n}\n\nfragment Figure on IndicatorValue {\n  numerator\n  denominator\n  value\n  target\n  gap\n  meetsTarget\n  suppressed\n}\n\nfragment AllIndicators on AreaStats {\n  eIdAdoption {\n    ...Figure\n  }\n  eIdLevel2Share {\n    ...Figure\n  }\n  ehrCoverage {\n    ...Figure\n  }\n  ehrActiveUse {\n    ...Figure\n  }\n  ehrUsedInCare {\n    ...Figure\n  }\n  civilServantDigitalSkills {\n    ...Figure\n  }\n  civilServantsPer1000Residents {\n    ...Figure\n  }\n  farmHouseholdsPer100Households {\n    ...Figure\n  }\n  farmHouseholdsWithCropRecords {\n    ...Figure\n  }\n  civilServantPinMatch {\n    ...Figure\n  }\n  farmHeadPinMatch {\n    ...Figure\n  }\n}"): typeof import('./graphql.js').AreaIndicatorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CheckPins($pins: [ID!]!) {\n  citizens(pins: $pins) {\n    pin\n  }\n}"): typeof import('./graphql.js').CheckPinsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

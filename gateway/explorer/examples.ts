/** Ready operations shown as tabs in the explorer, to show what crossing agencies looks like. */
export interface ExampleData {
  /** A citizen who is a civil servant and has an e-health record, if the data hold one. */
  readonly pin?: string;
  /** A commune with farm households. */
  readonly communeCode?: string;
}

/**
 * Where a caller's credentials go: personal data need a bearer token (npm start
 * prints a demo one in development) and a declared purpose.
 */
export const personalDataHeaders = JSON.stringify(
  { authorization: 'Bearer <paste the token npm start printed, or your own>', 'x-purpose': 'public-service' },
  null,
  2,
);

export function exampleTabs(data: ExampleData): Array<{ query: string; variables?: string; headers?: string }> {
  const variables = (value: object) => JSON.stringify(value, null, 2);
  const personal = `# Personal data: put your token in the Headers tab below (it holds a placeholder),
# with the purpose of this processing; every read is written to the audit trail.
`;
  return [
    {
      query: `# What dashboards ask: indicators of Decision 27's tasks for every province, against their targets.
# Counts below the disclosure threshold come back null with suppressed: true.
query ProvinceIndicators($period: String!) {
  areaStats(level: PROVINCE, period: $period) {
    unit { name }
    eIdAdoption { value target meetsTarget suppressed }
    ehrCoverage { value target meetsTarget suppressed }
    civilServantDigitalSkills { value suppressed }
    farmHouseholdsPer100Households { value suppressed }
  }
}`,
      variables: variables({ period: '2025-Q4' }),
    },
    {
      query: `${personal}# One citizen, from three agencies' databases in one query:
# population (name, residence), health (e-health record), civil service (employer).
query CitizenAcrossAgencies($pin: ID!) {
  citizen(pin: $pin) {
    fullName
    birthDate
    residence { fullName parent { name } }
    eId { level activatedAt }
    healthRecord { createdAt facility { name } encounters(last: 3) { occurredOn icd10Code } }
    civilServant { agency { name } rank { name } inService digitalSkillsTrainedOn }
    farmHousehold { areaHectares }
  }
}`,
      variables: variables({ pin: data.pin ?? '001090000001' }),
      headers: personalDataHeaders,
    },
    {
      query: `${personal}# Agency systems check up to 1,000 PINs at once; unknown PINs answer null, in order.
query CheckPins($pins: [ID!]!) {
  citizens(pins: $pins) { pin fullName residence { code } diedOn }
}`,
      variables: variables({ pins: [data.pin ?? '001090000001', '001090999999'] }),
      headers: personalDataHeaders,
    },
    {
      query: `${personal}# Farm households of one commune, each head's name and residence taken from the population database.
query FarmsOfCommune($communeCode: ID!) {
  farmHouseholds(communeCode: $communeCode, first: 5) {
    nodes {
      areaHectares
      registeredOn
      cropPlots { crop season areaHectares }
      head { fullName residence { name } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
      variables: variables({ communeCode: data.communeCode ?? '00004' }),
      headers: personalDataHeaders,
    },
    {
      query: `# The administrative hierarchy in force since 2025-07-01: 34 provinces, 3,321 communes.
query Provinces {
  administrativeUnits(level: PROVINCE) { code fullName children { code name unitType } }
}`,
    },
  ];
}

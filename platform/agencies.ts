/**
 * The agencies whose databases the gateway sits over, stated once. Everything
 * else that names an agency derives from here: its environment variables, the
 * port its subgraph listens on, the scope that guards its personal data, its
 * schema name. Subgraph code per agency (resolvers, source contract, counts)
 * is looked up by the same names in typed records, so adding an agency here
 * and nowhere else fails to compile (test/platform/agencies.test.ts checks the
 * files that the compiler cannot: SDL, manifests, README).
 */
export const agencyRegistry = {
  population: {
    database: 'National population database',
    keeper: 'Ministry of Public Security',
    defaultPort: 4001,
  },
  'civil-service': {
    database: 'National database of civil servants and public employees',
    keeper: 'Ministry of Home Affairs',
    defaultPort: 4002,
  },
  agriculture: {
    database: 'National agriculture database (farm households, crops, livestock)',
    keeper: 'Ministry of Agriculture and Environment',
    defaultPort: 4003,
  },
  health: {
    database: 'Electronic health records',
    keeper: 'Ministry of Health',
    defaultPort: 4004,
  },
} as const satisfies Record<string, AgencyEntry>;

export interface AgencyEntry {
  /** What the agency's database holds, in a few words. */
  readonly database: string;
  /** Who owns and runs it. */
  readonly keeper: string;
  /** Where its subgraph listens unless SUBGRAPH_<NAME>_PORT says otherwise. */
  readonly defaultPort: number;
}

export type Agency = keyof typeof agencyRegistry;
export const agencies = Object.keys(agencyRegistry) as Agency[];

/** The indicator catalog: a subgraph of its own that no agency keeps. */
export const indicatorsSubgraph = { name: 'indicators', defaultPort: 4005 } as const;

/** Every subgraph: one per agency, and the indicator catalog. */
export const subgraphNames = [...agencies, indicatorsSubgraph.name] as const;
export type SubgraphName = Agency | typeof indicatorsSubgraph.name;

export function isAgency(name: string): name is Agency {
  return Object.hasOwn(agencyRegistry, name);
}

/** The port a subgraph listens on by default. */
export function defaultPortOf(name: SubgraphName): number {
  return isAgency(name) ? agencyRegistry[name].defaultPort : indicatorsSubgraph.defaultPort;
}

/** A name as environment variables and database schemas spell it: civil-service -> CIVIL_SERVICE / civil_service. */
export const environmentName = (name: SubgraphName) => name.toUpperCase().replaceAll('-', '_');
export const schemaName = (name: SubgraphName) => name.replaceAll('-', '_');

/** Where an agency's database is, e.g. CIVIL_SERVICE_DATABASE_URL. */
export const databaseUrlVariable = (agency: Agency) => `${environmentName(agency)}_DATABASE_URL`;
/** Where `npm start` runs a subgraph, e.g. SUBGRAPH_CIVIL_SERVICE_PORT. */
export const subgraphPortVariable = (name: SubgraphName) => `SUBGRAPH_${environmentName(name)}_PORT`;
/** Where the gateway finds a subgraph that runs elsewhere, e.g. SUBGRAPH_CIVIL_SERVICE_URL. */
export const subgraphUrlVariable = (name: SubgraphName) => `SUBGRAPH_${environmentName(name)}_URL`;

/** The scope that lets a caller read an agency's personal data (named in its SDL's @requiresScopes). */
export const personalDataScope = (agency: Agency) => `${agency}:pii` as const;

/** The database URL variable of each agency, in registry order. */
export const databaseUrlVariables = Object.fromEntries(agencies.map((agency) => [agency, databaseUrlVariable(agency)])) as Readonly<
  Record<Agency, string>
>;

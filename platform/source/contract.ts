/**
 * The source contract: the relations (tables or views) and columns a subgraph
 * reads from its agency's database, with their types, nullability and
 * meaning. An agency implements it over its own tables; `npm run
 * source:check` checks a database against it (scripts/source-check.ts).
 */

/** The column types the contract names, as PostgreSQL reports them in information_schema. */
export type SourceType = 'text' | 'pin' | 'date' | 'integer' | 'numeric' | 'boolean';

/** What a column's values must look like, beyond their type; checked on a sample of rows. */
export type SourceValues = 'pin' | 'commune-code' | 'province-code' | 'past-date';

export interface SourceColumn {
  readonly name: string;
  readonly type: SourceType;
  readonly nullable: boolean;
  readonly meaning: string;
  readonly values?: SourceValues;
  /** The only values allowed, when the column is an enumeration. */
  readonly oneOf?: readonly string[];
}

export interface SourceRelation {
  readonly name: string;
  readonly meaning: string;
  readonly columns: readonly SourceColumn[];
}

export interface SourceContract {
  /** The agency, as in *_DATABASE_URL. */
  readonly agency: string;
  /** Its relations, in the source schema (SOURCE_SCHEMA, by default gateway_source); their names differ from every other agency's. */
  readonly relations: readonly SourceRelation[];
}

/** information_schema data types each contract type accepts: a view may widen char(12) to text, an int to a bigint. */
export const acceptedDataTypes: Readonly<Record<SourceType, readonly string[]>> = {
  text: ['text', 'character varying', 'character'],
  pin: ['character', 'text', 'character varying'],
  date: ['date'],
  integer: ['smallint', 'integer', 'bigint'],
  numeric: ['numeric', 'double precision', 'real', 'smallint', 'integer', 'bigint'],
  boolean: ['boolean'],
};

const typeNames: Readonly<Record<SourceType, string>> = {
  text: 'text',
  pin: 'char(12) (a PIN)',
  date: 'date',
  integer: 'integer',
  numeric: 'numeric',
  boolean: 'boolean',
};

/** The schema of the contract relations when SOURCE_SCHEMA is not set. */
export const defaultSourceSchema = 'gateway_source';

/** What the change_seq column of a counted relation means (item 4 of the contract: incremental refresh). */
export const changeSeqMeaning =
  'a number from one ever-increasing sequence, set when the row is inserted and again at each update: the counts re-read only rows above the last one they saw';

/** The relation logging an agency's deletions of counted rows, e.g. civil_service_deletion. */
export function deletionLogRelation(prefix: string): SourceRelation {
  return {
    name: `${prefix}_deletion`,
    meaning:
      'One row per deleted row of a relation that has a change_seq, so that the counts forget it: kept at least as long as a refresh interval (the demo keeps it until the next load).',
    columns: [
      { name: 'relation', type: 'text', nullable: false, meaning: 'the relation the row was deleted from' },
      { name: 'key', type: 'text', nullable: false, meaning: "the deleted row's key (pin for a citizen, id otherwise), as text" },
      {
        name: 'change_seq',
        type: 'integer',
        nullable: false,
        meaning: "from the same sequence as the relations' change_seq, taken at the deletion",
      },
    ],
  };
}

/** The contract as Markdown tables, for docs/source-contract.md and `npm run source:check -- --describe`. */
export function describeContract(contract: SourceContract, schema: string = defaultSourceSchema): string {
  const sections = contract.relations.map((relation) => {
    const rows = relation.columns.map((column) => {
      const rules = [
        column.nullable ? 'may be null' : 'never null',
        column.values ? ruleText[column.values] : '',
        column.oneOf ? `one of ${column.oneOf.map((value) => `\`${value}\``).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `| ${column.name} | ${typeNames[column.type]} | ${rules} | ${column.meaning} |`;
    });
    return [
      `### \`${schema}.${relation.name}\``,
      '',
      relation.meaning,
      '',
      '| column | type | rules | meaning |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n');
  });
  return [`## ${contract.agency} (schema \`${schema}\`)`, '', ...sections.flatMap((section) => [section, ''])].join('\n').trimEnd();
}

const ruleText: Readonly<Record<SourceValues, string>> = {
  pin: 'a well-formed PIN (province 001-096, century/sex digit 0-5)',
  'commune-code': 'an official commune code (5 digits, in force since 2025-07-01)',
  'province-code': 'an official province code (2 digits)',
  'past-date': 'from 1900-01-01 to today',
};

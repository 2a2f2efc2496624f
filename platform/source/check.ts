import { officialCommuneCodes, officialProvinceCodes } from '../administrative-codes.js';
import { parsePin } from '../pin.js';
import { acceptedDataTypes, type SourceColumn, type SourceContract } from './contract.js';

/** Runs one read-only statement. */
export type ReadQuery = <Row extends object>(text: string, values?: readonly unknown[]) => Promise<Row[]>;

export interface SourceReport {
  /** One line each, naming the relation and column. */
  readonly problems: readonly string[];
  readonly relations: number;
  readonly columns: number;
  /** Rows read per relation, at most the sample size. */
  readonly sampled: Readonly<Record<string, number>>;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const officialProvinces = new Set(officialProvinceCodes);
const officialCommunes = new Set(officialCommuneCodes);

/** Shows enough of a PIN to find its row, not the whole number. */
const maskPin = (pin: string) => `${pin.slice(0, 4)}${'*'.repeat(Math.max(0, pin.length - 4))}`;

/**
 * Checks a database against an agency's source contract: each relation and
 * column is there, with an accepted type and, for tables, the nullability;
 * then, on the first `sampleRows` rows of each relation, that values follow
 * the rules (no nulls where none may be, PINs well formed, official commune and
 * province codes, dates between 1900 and today, enumerations). Only reads.
 */
export async function checkSource(
  query: ReadQuery,
  contract: SourceContract,
  options: { readonly sampleRows: number; readonly schema: string; readonly today?: string },
): Promise<SourceReport> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const problems: string[] = [];
  const sampled: Record<string, number> = {};
  const schema = options.schema;
  for (const relation of contract.relations) {
    const qualified = `${schema}.${relation.name}`;
    const [found] = await query<{ table_type: string }>(
      'SELECT table_type FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
      [schema, relation.name],
    );
    if (!found) {
      problems.push(`${qualified}: missing (a table or view with ${relation.columns.map((column) => column.name).join(', ')})`);
      continue;
    }
    const present = new Map(
      (
        await query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null }>(
          'SELECT column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
          [schema, relation.name],
        )
      ).map((row) => [row.column_name, row]),
    );
    const usable: SourceColumn[] = [];
    for (const column of relation.columns) {
      const actual = present.get(column.name);
      if (!actual) {
        problems.push(`${qualified}.${column.name}: missing column (${column.type}, ${column.meaning})`);
        continue;
      }
      if (!acceptedDataTypes[column.type].includes(actual.data_type)) {
        problems.push(`${qualified}.${column.name}: is ${actual.data_type}, the contract says ${column.type}`);
        continue;
      }
      if (column.type === 'pin' && actual.data_type === 'character' && actual.character_maximum_length !== 12) {
        problems.push(`${qualified}.${column.name}: is character(${actual.character_maximum_length}), a PIN needs 12`);
      }
      // A view's columns are always nullable in the catalogue: for views, the sample tells.
      if (!column.nullable && found.table_type === 'BASE TABLE' && actual.is_nullable === 'YES')
        problems.push(`${qualified}.${column.name}: may hold nulls, the contract says never null`);
      usable.push(column);
    }
    // A sample of 0 rows checks the structure alone (the start does, before it reads anything).
    if (usable.length > 0 && options.sampleRows > 0) {
      const rows = await query<Record<string, string | null>>(
        `SELECT ${usable.map((column) => `${quote(column.name)}::text AS ${quote(column.name)}`).join(', ')} FROM ${quote(schema)}.${quote(relation.name)} LIMIT ${options.sampleRows}`,
      );
      sampled[qualified] = rows.length;
      problems.push(...sampleProblems(qualified, usable, rows, today));
    }
  }
  return {
    problems,
    relations: contract.relations.length,
    columns: contract.relations.reduce((sum, relation) => sum + relation.columns.length, 0),
    sampled,
  };
}

/** What is wrong with one value of a column, or undefined when nothing is. */
function valueProblem(column: SourceColumn, value: string | null, today: string): string | undefined {
  if (value === null) return column.nullable ? undefined : 'null';
  if (column.oneOf && !column.oneOf.includes(value)) return `not one of ${column.oneOf.join(', ')}`;
  switch (column.values) {
    case 'pin': {
      const parsed = parsePin(value.trim());
      return 'problem' in parsed ? `not a well-formed PIN (${parsed.problem.replace(value.trim(), maskPin(value.trim()))})` : undefined;
    }
    case 'commune-code':
      return officialCommunes.has(value) ? undefined : `not an official commune code (${value})`;
    case 'province-code':
      return officialProvinces.has(value) ? undefined : `not an official province code (${value})`;
    case 'past-date':
      return value >= '1900-01-01' && value <= today ? undefined : `a date outside 1900-01-01 to ${today} (${value})`;
    default:
      return undefined;
  }
}

function sampleProblems(
  qualified: string,
  columns: readonly SourceColumn[],
  rows: ReadonlyArray<Record<string, string | null>>,
  today: string,
): string[] {
  const problems: string[] = [];
  for (const column of columns) {
    let bad = 0;
    let first: string | undefined;
    for (const row of rows) {
      const problem = valueProblem(column, row[column.name] ?? null, today);
      if (!problem) continue;
      bad += 1;
      first ??= problem;
    }
    if (bad > 0)
      problems.push(
        `${qualified}.${column.name}: ${bad.toLocaleString('en')} of ${rows.length.toLocaleString('en')} sampled rows are wrong, e.g. ${first}`,
      );
  }
  return problems;
}

import { readFileSync } from 'node:fs';
import { badUserInput } from './errors.js';

/**
 * The official province and commune codes, public reference data every agency
 * uses: read from the population subgraph's copy of the official list, not
 * from its database (no agency reads another's database).
 */
const folder = new URL('./administrative-units/', import.meta.url);
const recordsIn = (file: string) =>
  readFileSync(new URL(file, folder), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(','));
const provinceCodes = new Set(recordsIn('provinces_2026-04-30.csv').map((fields) => fields[0]!));
/** Commune code to province code, in the official order. */
export const provinceOfCommune: ReadonlyMap<string, string> = new Map(
  recordsIn('communes_2026-04-30.csv').map((fields) => [fields[0]!, fields[7]!]),
);
const communeCodes = new Set(provinceOfCommune.keys());

export const officialProvinceCodes: readonly string[] = [...provinceCodes];
export const officialCommuneCodes: readonly string[] = [...communeCodes];

export function assertProvinceCode(code: string, argument: string): void {
  if (!provinceCodes.has(code))
    throw badUserInput(`${argument}: no province has code ${JSON.stringify(code)} (provinces have 2-digit codes, e.g. 01)`);
}

export function assertCommuneCode(code: string, argument: string): void {
  if (!communeCodes.has(code))
    throw badUserInput(`${argument}: no commune has code ${JSON.stringify(code)} (communes have 5-digit codes, e.g. 00004)`);
}

export function isOfficialUnitCode(code: string): boolean {
  return provinceCodes.has(code) || communeCodes.has(code);
}

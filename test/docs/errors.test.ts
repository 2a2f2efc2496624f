import { ApolloServerErrorCode } from '@apollo/server/errors';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../platform/errors.js';

/** The rows of docs/security.md's error tables: the codes of the first cell, and the HTTP cell when there is one. */
function documentedErrors(): Array<{ codes: string[]; http: string | undefined }> {
  const text = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('\n## Errors\n')).split(/\n## /)[1]!;
  return section
    .split('\n')
    .filter((line) => /^\| `[A-Z]/.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return {
        codes: [...cells[1]!.matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]!),
        http: cells.length > 4 ? cells[2] : undefined,
      };
    });
}

describe("docs/security.md's error tables", () => {
  const rows = documentedErrors();
  const documented = new Set(rows.flatMap((row) => row.codes));

  it('list every code of the catalogue (platform/errors.ts)', () => {
    expect(Object.values(ErrorCode).filter((code) => !documented.has(code))).toEqual([]);
  });

  it('list no code that nothing answers any more (ours, or Apollo Server and GraphQL)', () => {
    const known = new Set<string>([...Object.values(ErrorCode), ...Object.values(ApolloServerErrorCode)]);
    expect([...documented].filter((code) => !known.has(code))).toEqual([]);
  });

  it('give each of our refusals the HTTP status the gateway answers it with', () => {
    const refusals = rows.filter((row) => row.http && /^[1-5]\d\d$/.test(row.http) && row.http !== '200');
    expect(refusals.length).toBeGreaterThan(5);
    for (const { codes, http } of refusals)
      for (const code of codes.filter((candidate): candidate is ErrorCode => candidate in ErrorCode))
        expect(`${code} ${new AppError(code, '').httpStatus}`).toBe(`${code} ${http}`);
  });
});

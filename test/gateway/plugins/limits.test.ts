import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../support/system.js';

describe('operation limits', () => {
  let test: TestSystem;
  beforeAll(async () => {
    test = await startTestSystem({
      securityEnvironment: { LIMIT_DEPTH: '5', LIMIT_ALIASES: '4', LIMIT_TOKENS: '300', LIMIT_DIRECTIVES: '3', LIMIT_COST: '20', MAX_BODY_BYTES: '4096' },
    });
  });
  afterAll(() => test?.stop());

  const nested = (depth: number) => `{ administrativeUnit(code: "01") ${'{ parent '.repeat(depth)}{ code }${' }'.repeat(depth)} }`;

  it('lets through what stays within every limit', async () => {
    expect((await test.query(nested(2))).errors).toBeUndefined();
  });

  it.each([
    ['depth', () => nested(8), 'GRAPHQL_VALIDATION_FAILED', /depth limit of 5/],
    ['aliases', () => `{ ${Array.from({ length: 6 }, (_, index) => `a${index}: tasks { number }`).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 4/],
    ['tokens', () => `{ tasks { ${'number '.repeat(400)} } }`, 'GRAPHQL_PARSE_FAILED', /contains more tha[nt] 300 tokens/],
    ['directives', () => `{ tasks { number ${'@include(if: true) '.repeat(5)} } }`, 'GRAPHQL_VALIDATION_FAILED', /Directives limit of 3/],
    ['cost', () => '{ administrativeUnits(level: PROVINCE) { code name fullName nameEn children { code name fullName nameEn unitType } } }', 'GRAPHQL_VALIDATION_FAILED', /Cost limit of 20/],
  ])('refuses an operation over the %s limit before planning it', async (_limit, query, code, message) => {
    const answer = await test.query(query());
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toContainEqual(expect.objectContaining({ extensions: { code }, message: expect.stringMatching(message) }));
  });

  it('refuses a body over MAX_BODY_BYTES with 413, before reading the rest', async () => {
    const answer = await test.query(`{ tasks { number } } # ${'x'.repeat(5_000)}`);
    expect(answer).toMatchObject({ status: 413, errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });
});

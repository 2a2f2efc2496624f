import { describe, expect, it } from 'vitest';
import { parseSeedArguments } from '../../../scripts/seed/arguments.js';
import { defaultAsOf } from '../../../scripts/seed/generator.js';

describe('seed arguments', () => {
  it('takes citizens, seed and as-of, with defaults', () => {
    expect(parseSeedArguments({ citizens: '1000' })).toEqual({ citizens: 1000, seed: 1, asOf: defaultAsOf });
    expect(parseSeedArguments({ citizens: '1_000_000', seed: '42', 'as-of': '2025-12-31' })).toEqual({
      citizens: 1_000_000,
      seed: 42,
      asOf: '2025-12-31',
    });
  });

  it.each([
    [{}, /--citizens is required/],
    [{ citizens: '0' }, /--citizens must be a positive integer/],
    [{ citizens: '-5' }, /--citizens must be a positive integer/],
    [{ citizens: '1e6' }, /--citizens must be a positive integer/],
    [{ citizens: 'abc' }, /--citizens must be a positive integer.*"abc"/],
    [{ citizens: '10', seed: '-1' }, /--seed must be an integer/],
    [{ citizens: '10', seed: '99999999999' }, /--seed must be an integer/],
    [{ citizens: '10', 'as-of': '2025-02-30' }, /--as-of must be a date/],
    [{ citizens: '10', 'as-of': '2021-01-01' }, /--as-of must lie between/],
    [{ citizens: '10', 'as-of': '2999-01-01' }, /--as-of must lie between/],
  ])('refuses %o', (values, message) => {
    expect(() => parseSeedArguments(values)).toThrow(message);
    try {
      parseSeedArguments(values);
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });
});

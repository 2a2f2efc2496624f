import { describe, expect, it } from 'vitest';
import { centurySexDigit, parsePin } from '../../platform/pin.js';

describe('PIN', () => {
  it('encodes century and sex in the fourth digit', () => {
    expect(centurySexDigit(1985, 'MALE')).toBe(0);
    expect(centurySexDigit(1985, 'FEMALE')).toBe(1);
    expect(centurySexDigit(2003, 'MALE')).toBe(2);
    expect(centurySexDigit(2003, 'FEMALE')).toBe(3);
    expect(() => centurySexDigit(1899, 'MALE')).toThrow(RangeError);
  });

  it('parses a PIN into birth province, sex and year', () => {
    expect(parsePin('001203012345')).toEqual({ birthProvinceCode: '001', sex: 'MALE', birthYear: 2003, serial: '012345' });
    expect(parsePin('079185000001')).toMatchObject({ birthProvinceCode: '079', sex: 'FEMALE', birthYear: 1985 });
  });

  it.each([
    ['12345', 'exactly 12 digits'],
    ['00120301234x', 'exactly 12 digits'],
    ['000203012345', 'not a province code'],
    ['097203012345', 'not a province code'],
    ['001603012345', 'century/sex digit'],
  ])('says why %s is not a PIN', (pin, reason) => {
    expect(parsePin(pin)).toEqual({ problem: expect.stringContaining(reason) });
  });
});

/**
 * The 12-digit personal identification number (PIN, "số định danh cá nhân"):
 *   PPP  province of birth registration, pre-2025 code 001-096
 *   G    century and sex: 0/1 born 1900-1999 male/female, 2/3 2000-2099, 4/5 2100-2199
 *   YY   last two digits of the birth year
 *   NNNNNN  serial
 */
export type Sex = 'MALE' | 'FEMALE';

const pinPattern = /^[0-9]{12}$/;

export function isPinShaped(value: string): boolean {
  return pinPattern.test(value);
}

export function centurySexDigit(birthYear: number, sex: Sex): number {
  const century = Math.floor(birthYear / 100) - 19;
  if (century < 0 || century > 2) throw new RangeError(`birth year ${birthYear} is outside 1900-2199`);
  return century * 2 + (sex === 'FEMALE' ? 1 : 0);
}

export interface PinParts {
  readonly birthProvinceCode: string;
  readonly sex: Sex;
  readonly birthYear: number;
  readonly serial: string;
}

/** Splits a PIN into its parts, or returns a sentence saying why it is not one. */
export function parsePin(pin: string): PinParts | { readonly problem: string } {
  if (!isPinShaped(pin)) return { problem: `a PIN is exactly 12 digits, got ${JSON.stringify(pin)}` };
  const province = Number(pin.slice(0, 3));
  if (province < 1 || province > 96) return { problem: `PIN ${pin} starts with ${pin.slice(0, 3)}, not a province code (001-096)` };
  const digit = Number(pin[3]);
  if (digit > 5) return { problem: `PIN ${pin} has ${digit} as its century/sex digit (0-5)` };
  return {
    birthProvinceCode: pin.slice(0, 3),
    sex: digit % 2 === 0 ? 'MALE' : 'FEMALE',
    birthYear: 1900 + Math.floor(digit / 2) * 100 + Number(pin.slice(4, 6)),
    serial: pin.slice(6),
  };
}

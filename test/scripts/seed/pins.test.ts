import { describe, expect, it } from 'vitest';
import { parsePin } from '../../../platform/pin.js';
import { PinAllocator } from '../../../scripts/seed/pins.js';

describe('PinAllocator', () => {
  it('hands out unique PINs that encode province, sex and birth year, disjoint from the unmatched ones', () => {
    const pins = new PinAllocator();
    const citizens = Array.from({ length: 20_000 }, () => pins.citizen('079', 1990, 'FEMALE'));
    const unmatched = Array.from({ length: 2_000 }, () => pins.unmatched('079', 1990, 'FEMALE'));
    expect(new Set([...citizens, ...unmatched]).size).toBe(22_000);
    for (const pin of [...citizens.slice(0, 50), ...unmatched.slice(0, 50)]) {
      expect(parsePin(pin)).toMatchObject({ birthProvinceCode: '079', sex: 'FEMALE', birthYear: 1990 });
    }
  });

  it('does not echo the prefix in the serial', () => {
    const pin = new PinAllocator().citizen('040', 1963, 'FEMALE');
    expect(pin.slice(6)).not.toBe(pin.slice(0, 6));
  });
});

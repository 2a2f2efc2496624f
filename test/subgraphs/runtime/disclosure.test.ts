import { describe, expect, it } from 'vitest';
import { suppressedUnits } from '../../../subgraphs/runtime/disclosure.js';

describe('disclosure control', () => {
  it('hides every count below the threshold', () => {
    expect(suppressedUnits(new Map([['a', 3], ['b', 5], ['c', 40], ['d', 12]]), 10)).toEqual(new Set(['a', 'b']));
  });

  it('hides the smallest other sibling when exactly one would be hidden, so subtraction reveals nothing', () => {
    expect(suppressedUnits(new Map([['a', 30], ['b', 4], ['c', 12], ['d', 12]]), 10)).toEqual(new Set(['b', 'c']));
  });

  it('hides nothing more when none or several are hidden', () => {
    expect(suppressedUnits(new Map([['a', 30], ['b', 12]]), 10)).toEqual(new Set());
    expect(suppressedUnits(new Map([['a', 30], ['b', 0], ['c', 9]]), 10)).toEqual(new Set(['b', 'c']));
  });

  it('hides a lone unit below the threshold (the nation, say) and nothing else', () => {
    expect(suppressedUnits(new Map([['VN', 7]]), 10)).toEqual(new Set(['VN']));
    expect(suppressedUnits(new Map([['VN', 700]]), 10)).toEqual(new Set());
  });
});

import { describe, expect, it } from 'vitest';
import { suppressedUnits } from '../../../subgraphs/runtime/disclosure.js';

const units = (...entries: Array<[string, number]>) => new Map(entries);

describe('disclosure control', () => {
  it('hides every count below the threshold', () => {
    expect(suppressedUnits(units(['a', 3], ['b', 5], ['c', 40], ['d', 12]), 10)).toEqual(new Set(['a', 'b']));
  });

  it('shows a count equal to the threshold: only counts below it are hidden', () => {
    expect(suppressedUnits(units(['a', 10], ['b', 10], ['c', 11]), 10)).toEqual(new Set());
    expect(suppressedUnits(units(['a', 9], ['b', 10], ['c', 8]), 10)).toEqual(new Set(['a', 'c']));
  });

  it('hides the smallest other sibling when exactly one would be hidden, so subtraction reveals nothing', () => {
    expect(suppressedUnits(units(['a', 30], ['b', 4], ['c', 12], ['d', 12]), 10)).toEqual(new Set(['b', 'c']));
  });

  it('hides the smallest other sibling wherever it stands among them, not the first one met', () => {
    expect(suppressedUnits(units(['a', 30], ['b', 25], ['c', 4], ['d', 11], ['e', 40]), 10)).toEqual(new Set(['c', 'd']));
    expect(suppressedUnits(units(['z', 50], ['y', 4], ['x', 13], ['w', 12]), 10)).toEqual(new Set(['y', 'w']));
  });

  it('picks the smaller count before the earlier name', () => {
    // 'b' comes first by name, but 'z' has the smaller count.
    expect(suppressedUnits(units(['a', 2], ['b', 20], ['z', 15]), 10)).toEqual(new Set(['a', 'z']));
  });

  it('breaks a tie between equally small siblings by unit code, whatever order they came in', () => {
    expect(suppressedUnits(units(['a', 30], ['b', 4], ['d', 12], ['c', 12]), 10)).toEqual(new Set(['b', 'c']));
    expect(suppressedUnits(units(['b', 4], ['c', 12], ['d', 12], ['a', 30]), 10)).toEqual(new Set(['b', 'c']));
  });

  it('gives the same answer for any order of the siblings', () => {
    const siblings: Array<[string, number]> = [
      ['01', 40],
      ['02', 3],
      ['03', 17],
      ['04', 15],
      ['05', 15],
      ['06', 90],
    ];
    const rotations = siblings.map((_, start) => [...siblings.slice(start), ...siblings.slice(0, start)]);
    for (const order of [...rotations, [...siblings].reverse()]) {
      expect(suppressedUnits(new Map(order), 10)).toEqual(new Set(['02', '04']));
    }
  });

  it('hides nothing more when none or several are hidden', () => {
    expect(suppressedUnits(units(['a', 30], ['b', 12]), 10)).toEqual(new Set());
    expect(suppressedUnits(units(['a', 30], ['b', 0], ['c', 9]), 10)).toEqual(new Set(['b', 'c']));
    expect(suppressedUnits(units(['a', 30], ['b', 0], ['c', 9], ['d', 1]), 10)).toEqual(new Set(['b', 'c', 'd']));
  });

  it('hides both of two siblings when one is below the threshold', () => {
    expect(suppressedUnits(units(['a', 500], ['b', 2]), 10)).toEqual(new Set(['a', 'b']));
  });

  it('hides a lone unit below the threshold (the nation, say) and nothing else', () => {
    expect(suppressedUnits(units(['VN', 7]), 10)).toEqual(new Set(['VN']));
    expect(suppressedUnits(units(['VN', 700]), 10)).toEqual(new Set());
  });

  it('hides nothing among no units', () => {
    expect(suppressedUnits(units(), 10)).toEqual(new Set());
  });
});

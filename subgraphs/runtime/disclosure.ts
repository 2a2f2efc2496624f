import { createHmac } from 'node:crypto';

/**
 * Disclosure control for counts of people: the cell-key method (docs/disclosure.md).
 * Every count is published with a small noise that is a deterministic function
 * of a secret and the cell (what is counted, where, and its true value), so the
 * same cell always reads the same, however and however often it is asked, and
 * subtracting published figures recovers noise, not people. A published count
 * below the minimum is hidden.
 */

/** The largest noise added to or taken from one perturbed cell. */
export const noiseBound = 2;

/**
 * The perturbation table: for a true count (rows 0, 1, and 2 or more), each
 * possible noise with its probability. Each row has mean 0 (no bias, so sums
 * of many cells stay unbiased), never takes a count below 0, and keeps 0 at 0
 * (an empty cell has nobody to protect). Every published value can come from
 * at least three true counts (0 from 0, 1 or 2; 1 from 1, 2 or 3; ...), so no
 * single figure pins a count down.
 */
export const perturbationTable: ReadonlyArray<ReadonlyArray<readonly [noise: number, probability: number]>> = [
  [[0, 1]],
  [
    [-1, 0.25],
    [0, 0.5],
    [1, 0.25],
  ],
  [
    [-2, 0.1],
    [-1, 0.2],
    [0, 0.4],
    [1, 0.2],
    [2, 0.1],
  ],
];

/** The noises a true count can receive (the table row it uses), as an attacker who knows the method but not the secret sees them. */
export function possibleNoises(trueCount: number): readonly number[] {
  return rowOf(Math.abs(trueCount)).map(([noise]) => noise);
}

function rowOf(count: number) {
  return perturbationTable[Math.min(count, perturbationTable.length - 1)]!;
}

// Draws already made, by secret, cell, unit and count: a commune listing would otherwise take tens of
// thousands of HMACs per answer. Nested maps, so a lookup builds no string.
const draws = new Map<string, Map<string, Map<string, Map<number, number>>>>();
let drawsKept = 0;
const drawsLimit = 1_000_000;

function cached<Key, Value>(map: Map<Key, Value>, key: Key, make: () => Value): Value {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** The secret-keyed, uniform draw in [0, 1) of one cell: the same cell always draws the same. */
function cellDraw(secret: string, cell: string, unitCode: string, trueCount: number): number {
  const ofUnit = cached(
    cached(
      cached(draws, secret, () => new Map()),
      cell,
      () => new Map(),
    ),
    unitCode,
    () => new Map<number, number>(),
  );
  let draw = ofUnit.get(trueCount);
  if (draw === undefined) {
    draw = createHmac('sha256', secret).update(`${cell}\u0000${unitCode}\u0000${trueCount}`).digest().readUIntBE(0, 6) / 2 ** 48;
    if (++drawsKept > drawsLimit) {
      draws.clear();
      drawsKept = 0;
    }
    ofUnit.set(trueCount, draw);
  }
  return draw;
}

/**
 * A cell's published count: its true count plus the noise its draw selects
 * from the table. The noise depends on the true count, not the month, so a
 * count unchanged from one month to the next (or asked as a quarter or year
 * ending in that month) publishes the same figure, and months cannot be
 * averaged to wash the noise out. A negative true count (a difference that
 * should not be, in bad data) is perturbed as its opposite is, mirrored.
 */
export function perturbedCount(secret: string, cell: string, unitCode: string, trueCount: number): number {
  const size = Math.abs(trueCount);
  let draw = cellDraw(secret, cell, unitCode, trueCount);
  let noise = 0;
  for (const [candidate, probability] of rowOf(size)) {
    noise = candidate;
    draw -= probability;
    if (draw < 0) break;
  }
  return Math.sign(trueCount) * (size + noise);
}

/** Which count each count is a part of (every eligible person it counts is one of the other's), per agency's counts. */
export type Nesting = Readonly<Record<string, string | undefined>>;

/** One area's published counts, each with whether it is hidden. */
export interface PublishedCounts {
  readonly counts: Record<string, number>;
  readonly suppressed: Record<string, boolean>;
}

/**
 * Publishes one area's counts. A count that is part of another (nesting) is
 * published as the other's published count minus the perturbed difference of
 * the two (itself a count of people, e.g. the residents under 14), so a part
 * never reads above its whole, a part equal to its whole reads equal, and the
 * difference anyone can take between the two is a perturbed count like any
 * other. Every other count is perturbed on its own. A published count below
 * the minimum is hidden: the decision reads only published figures, so
 * whether a figure is hidden tells nothing the figures do not.
 */
export function publishCounts(
  secret: string,
  minimum: number,
  nesting: Nesting,
  unitCode: string,
  trueCounts: Readonly<Record<string, number>>,
): PublishedCounts {
  const counts: Record<string, number> = {};
  const publish = (count: string): number => {
    const known = counts[count];
    if (known !== undefined) return known;
    const whole = nesting[count];
    const value =
      whole === undefined || trueCounts[whole] === undefined
        ? perturbedCount(secret, count, unitCode, trueCounts[count]!)
        : publish(whole) - perturbedCount(secret, `${whole}-${count}`, unitCode, trueCounts[whole]! - trueCounts[count]!);
    counts[count] = value;
    return value;
  };
  const suppressed: Record<string, boolean> = {};
  for (const count of Object.keys(trueCounts)) suppressed[count] = publish(count) < minimum;
  return { counts, suppressed };
}

/** How many perturbed cells a published count adds up (1, or 1 more per whole above it): its noise is at most this times noiseBound. */
export function perturbationDepth(nesting: Nesting, count: string): number {
  const whole = nesting[count];
  return whole === undefined ? 1 : 1 + perturbationDepth(nesting, whole);
}

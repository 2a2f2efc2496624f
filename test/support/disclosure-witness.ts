import { type AttackedMethod, countsSeen, type Publication, type Seen, targets, truthOf } from './disclosure-attacks.js';
import { type AreaTruth, countNames } from './independent-counts.js';

/**
 * Proof that a small count is not recovered: another world that publishes
 * exactly the same figures, in which the count differs. It is the true world
 * with one cell of the count moved by 1 or 2 in one area and month, and the sums
 * kept by moving a child, a sibling or the parent by as much (and so on up or
 * down the tree). Each moved cell must still be able to publish what was seen
 * of it (its noise within the table), no count made of it may fall below 0,
 * and its new value must agree with the other months of the same cell: a
 * month holding that value must have shown the same figure (the figure is a
 * function of the true count). Everything else is untouched, so every other
 * figure is published as before.
 */
type Observation = { kind: 'value'; value: number } | { kind: 'hidden' } | { kind: 'bound' } | { kind: 'none' };

function compatible(a: Observation, b: Observation): boolean {
  if (a.kind === 'none' || b.kind === 'none') return true;
  if (a.kind === 'value' && b.kind === 'value') return a.value === b.value;
  // A lower bound against a figure would need comparing the two: refused, which only proves less.
  return a.kind === b.kind && a.kind !== 'value';
}

export class NonRecoveryProver {
  readonly #seen = new Map<string, Map<string, Map<string, Seen>>>();
  readonly #children = new Map<string, string[]>([['VN', []]]);
  readonly #parent = new Map<string, string>();
  #depth = 0;
  readonly #tried = new Map<string, boolean>();

  constructor(
    private readonly method: AttackedMethod,
    publication: Publication,
    private readonly truths: ReadonlyMap<string, ReadonlyMap<string, AreaTruth>>,
    provinceOf: ReadonlyMap<string, string>,
  ) {
    for (const [month, areas] of publication)
      this.#seen.set(month, new Map([...areas].map(([unit, area]) => [unit, countsSeen(area, [], '')])));
    for (const [commune, province] of provinceOf) {
      if (!this.#children.has(province)) {
        this.#children.set(province, []);
        this.#children.get('VN')!.push(province);
        this.#parent.set(province, 'VN');
      }
      this.#children.get(province)!.push(commune);
      this.#parent.set(commune, province);
    }
  }

  /** Whether some world publishing the same figures gives the target (a count or difference) another value in that area and month. */
  proves(month: string, unit: string, target: string): boolean {
    return this.method.makeup(target).some(([cell]) => [1, -1, 2, -2].some((delta) => this.#canMove(month, unit, cell, delta, 'none')));
  }

  /** Counts the small targets (true value below the threshold) of every area and month, and those proved not recovered. */
  count(): { small: number; proved: number; unproved: string[] } {
    let small = 0;
    let proved = 0;
    const unproved: string[] = [];
    for (const [month, areas] of this.#seen)
      for (const unit of areas.keys())
        for (const target of targets) {
          const value = truthOf(this.truths.get(month)!.get(unit)!, target);
          if (value < 0 || value >= this.method.minimum) continue;
          small++;
          if (this.proves(month, unit, target)) proved++;
          else if (unproved.length < 10) unproved.push(`${month} ${unit} ${target} = ${value}`);
        }
    return { small, proved, unproved };
  }

  #observe(month: string, unit: string, cell: string): Observation {
    const seen = this.#seen.get(month)!.get(unit)!;
    const figure = this.method.figureOf(cell, seen);
    if (figure !== undefined) return { kind: 'value', value: figure };
    if (!cell.includes('-')) return seen.get(cell)!.kind === 'hidden' ? { kind: 'hidden' } : { kind: 'none' };
    return this.method.feasible(cell, seen).lo > 0 ? { kind: 'bound' } : { kind: 'none' };
  }

  /**
   * No count made of the cell may fall below 0. When a whole moves down and one
   * of its parts would, the part's difference from it moves down too (in the
   * same area, with its own sums kept), which leaves the part where it was;
   * likewise a difference moving up takes its whole up.
   */
  #partsStay(month: string, unit: string, cell: string, delta: number, truth: AreaTruth): boolean {
    const below = countNames.filter((count) =>
      this.method.makeup(count).some(([part, sign]) => part === cell && truthOf(truth, count) + sign * delta < 0),
    );
    if (below.length === 0) return true;
    if (cell.includes('-')) {
      // A difference moving up takes its part down: the whole moves up too (a count made of no other
      // moves itself, a part by its own difference moving down), which leaves the part where it was.
      if (delta < 0) return false;
      const whole = cell.split('-')[0]!;
      const above = this.method.makeup(whole).at(-1)![0];
      return above === whole ? this.#canMove(month, unit, whole, delta, 'none') : this.#canMove(month, unit, above, -delta, 'none');
    }
    if (delta > 0) return false;
    const differences = new Set<string>();
    for (const count of below) {
      // The difference of the part of `cell` on the way down to `count`: the first one in its makeup.
      const difference = this.method.makeup(count).find(([part]) => part.startsWith(`${cell}-`));
      if (!difference) return false;
      differences.add(difference[0]);
    }
    return [...differences].every((difference) => this.#canMove(month, unit, difference, delta, 'none'));
  }

  /** Moves one cell of one area by delta, then keeps its children's and parent's sums unless the move came from there. */
  #canMove(month: string, unit: string, cell: string, delta: number, from: 'none' | 'child' | 'parent'): boolean {
    // Moves that call for moves that call for moves: past a few, this world is given up (which only proves less).
    // A move tried once is not tried again: a failure that came from the depth is then a failure everywhere, which only proves less.
    const key = `${month}|${unit}|${cell}|${delta}|${from}`;
    const known = this.#tried.get(key);
    if (known !== undefined) return known;
    if (this.#depth >= 8) return false;
    this.#tried.set(key, false);
    this.#depth++;
    try {
      const possible = this.#move(month, unit, cell, delta, from);
      this.#tried.set(key, possible);
      return possible;
    } finally {
      this.#depth--;
    }
  }

  #move(month: string, unit: string, cell: string, delta: number, from: 'none' | 'child' | 'parent'): boolean {
    const truth = this.truths.get(month)!.get(unit)!;
    const moved = truthOf(truth, cell) + delta;
    const interval = this.method.feasible(cell, this.#seen.get(month)!.get(unit)!);
    if (moved < interval.lo || moved > interval.hi) return false;
    if (!this.#partsStay(month, unit, cell, delta, truth)) return false;
    const observed = this.#observe(month, unit, cell);
    for (const other of this.#seen.keys())
      if (
        other !== month &&
        truthOf(this.truths.get(other)!.get(unit)!, cell) === moved &&
        !compatible(observed, this.#observe(other, unit, cell))
      )
        return false;
    const children = this.#children.get(unit);
    if (children && from !== 'child' && !children.some((child) => this.#canMove(month, child, cell, delta, 'parent'))) return false;
    const parent = this.#parent.get(unit);
    if (parent === undefined || from === 'parent') return true;
    // A sibling takes the move back (keeping its own children's sum), or the parent moves too.
    return (
      this.#children.get(parent)!.some((sibling) => sibling !== unit && this.#canMove(month, sibling, cell, -delta, 'parent')) ||
      this.#canMove(month, parent, cell, delta, 'child')
    );
  }
}

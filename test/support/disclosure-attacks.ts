import { countNames, indicatorCounts, indicatorIds, partOf, type AreaTruth } from './independent-counts.js';

/**
 * The differencing attacks of docs/disclosure.md, as an attacker who knows the
 * method (the perturbation table, the bound, which count is part of which, the
 * threshold) but not the secret. Everything here reads only published figures,
 * except `truthOf`, which scores the attacker.
 */

/** What one area shows of one indicator, as the API answers it. */
export interface ShownValue {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly suppressed: boolean;
}
export type ShownArea = Readonly<Record<string, ShownValue>>;
/** Per month, per unit code, the indicators shown. */
export type Publication = Map<string, Map<string, ShownArea>>;

/** What the attacker learns of one count in one area and month: its published figure, that it is hidden, or nothing. */
export type Seen = { readonly kind: 'shown'; readonly value: number } | { readonly kind: 'hidden' } | { readonly kind: 'unknown' };

/**
 * The figures of every count, from the indicators that show it; one count
 * shown with two different figures (never, if the method is consistent) is
 * reported. A count no indicator shows is hidden when an indicator using it is
 * hidden while its other count is shown (either hidden count hides the
 * indicator), else unknown.
 */
export function countsSeen(area: ShownArea, conflicts: string[], where: string): Map<string, Seen> {
  const shown = new Map<string, number>();
  for (const id of indicatorIds) {
    const value = area[id]!;
    if (value.suppressed) continue;
    indicatorCounts[id].forEach((count, index) => {
      const figure = [value.numerator!, value.denominator!][index]!;
      const before = shown.get(count);
      if (before !== undefined && before !== figure) conflicts.push(`${where} ${count}: ${before} and ${figure}`);
      shown.set(count, figure);
    });
  }
  const seen = new Map<string, Seen>(countNames.map((count) => [count, { kind: 'unknown' }]));
  for (const [count, value] of shown) seen.set(count, { kind: 'shown', value });
  for (const id of indicatorIds) {
    const [numerator, denominator] = indicatorCounts[id];
    if (!area[id]!.suppressed) continue;
    if (shown.has(numerator) && !shown.has(denominator)) seen.set(denominator, { kind: 'hidden' });
    if (shown.has(denominator) && !shown.has(numerator)) seen.set(numerator, { kind: 'hidden' });
  }
  return seen;
}

/** The quantities a method publishes independently (perturbs, or shows exactly), and how every count of people is made of them. */
export interface AttackedMethod {
  readonly name: string;
  readonly minimum: number;
  /** The independently published quantities: the perturbed cells, or (exact publication) the counts. */
  readonly cells: readonly string[];
  /** A count of people (a count, or the difference of a part from its whole) as signed cells. */
  readonly makeup: (target: string) => ReadonlyArray<readonly [cell: string, sign: 1 | -1]>;
  /** The true values consistent with what is seen of a cell in one area (an interval; hi may be Infinity). */
  readonly feasible: (cell: string, seen: ReadonlyMap<string, Seen>) => Interval;
  /** Whether two months of a cell whose figures differ must differ in truth (the figure is a function of the true count). */
  readonly figuresFollowTruth: boolean;
  /** A cell's figure when shown (undefined when not), for month links and guesses. */
  readonly figureOf: (cell: string, seen: ReadonlyMap<string, Seen>) => number | undefined;
  /** How likely a true count publishes a figure, for the best guess (1 or 0 for exact publication). */
  readonly likelihood: (figure: number, truth: number) => number;
}

export interface Interval {
  lo: number;
  hi: number;
}

/** Differences of a part from its whole: `whole-part`, the name the method's cells use. */
export const differences = Object.entries(partOf).map(([part, whole]) => `${whole}-${part}`);
export const targets = [...countNames, ...differences];

/** The true value of a count or difference in an area. */
export function truthOf(truth: AreaTruth, target: string): number {
  if (!target.includes('-')) return truth.counts[target]!;
  const [whole, part] = target.split('-') as [string, string];
  return truth.counts[whole]! - truth.counts[part]!;
}

/** Cells of a month, by cell then unit, as intervals narrowed by every route. */
export type Feasible = Map<string, Map<string, Interval>>;

/**
 * Parent against children: a province is the sum of its communes and the
 * nation of its provinces, for every cell. Narrowing bounds up then down a
 * tree of sums over intervals gives each unit exactly the values some
 * assignment of all the others allows.
 */
export function narrowBySums(intervals: Map<string, Interval>, provinceOf: ReadonlyMap<string, string>): void {
  const children = new Map<string, string[]>([['VN', []]]);
  for (const [commune, province] of provinceOf) {
    if (!children.has(province)) {
      children.set(province, []);
      children.get('VN')!.push(province);
    }
    children.get(province)!.push(commune);
  }
  const up = (parent: string) => {
    const kids = children.get(parent)!;
    let lo = 0;
    let hi = 0;
    for (const kid of kids) (lo += intervals.get(kid)!.lo), (hi += intervals.get(kid)!.hi);
    const own = intervals.get(parent)!;
    own.lo = Math.max(own.lo, lo);
    own.hi = Math.min(own.hi, hi);
  };
  const down = (parent: string) => {
    const kids = children.get(parent)!;
    const own = intervals.get(parent)!;
    let lo = 0;
    let finiteHi = 0;
    let infinite = 0;
    for (const kid of kids) {
      const interval = intervals.get(kid)!;
      lo += interval.lo;
      if (interval.hi === Number.POSITIVE_INFINITY) infinite++;
      else finiteHi += interval.hi;
    }
    for (const kid of kids) {
      const interval = intervals.get(kid)!;
      const ownLo = interval.lo;
      const othersHi =
        infinite - (interval.hi === Number.POSITIVE_INFINITY ? 1 : 0) > 0
          ? Number.POSITIVE_INFINITY
          : finiteHi - (interval.hi === Number.POSITIVE_INFINITY ? 0 : interval.hi);
      interval.lo = Math.max(interval.lo, own.lo - othersHi);
      interval.hi = Math.min(interval.hi, own.hi - (lo - ownLo));
    }
  };
  for (const province of children.get('VN')!) up(province);
  up('VN');
  down('VN');
  for (const province of children.get('VN')!) down(province);
}

/** A count's interval from its cells' (exact when the cells are independent, as different cells are). */
export function targetInterval(method: AttackedMethod, target: string, cellsOf: (cell: string) => Interval): Interval {
  let lo = 0;
  let hi = 0;
  for (const [cell, sign] of method.makeup(target)) {
    const interval = cellsOf(cell);
    if (sign === 1) (lo += interval.lo), (hi += interval.hi);
    else (lo -= interval.hi), (hi -= interval.lo);
  }
  return { lo: Math.max(lo, 0), hi };
}

/** What the attacker makes of every small count (true count below the threshold) of every area and month. */
export interface AttackResult {
  /** Small counts attacked (counts and differences, every area and month). */
  readonly small: number;
  readonly zeros: number;
  /** Small counts whose values consistent with everything seen are one (the true one). */
  readonly recovered: number;
  readonly recoveredExamples: readonly string[];
  /** Small counts the best guess (every route combined, the table's likelihoods) hits exactly. */
  readonly bestGuessHits: number;
  /** Small counts a naive guess (each figure at face value, a hidden one as half the threshold) hits exactly. */
  readonly naiveHits: number;
  /** The same two, among the small counts that are not 0. */
  readonly bestGuessHitsAboveZero: number;
  readonly naiveHitsAboveZero: number;
  /** A count shown with two different figures, or a recovery that is not the truth (both must never happen). */
  readonly conflicts: readonly string[];
}

/** Every route at once: each month's figures, sums over the tree of areas, months of one cell, counts made of cells. */
export function attack(
  method: AttackedMethod,
  publication: Publication,
  truths: ReadonlyMap<string, ReadonlyMap<string, AreaTruth>>,
  provinceOf: ReadonlyMap<string, string>,
): AttackResult {
  const conflicts: string[] = [];
  const seen = new Map<string, Map<string, Map<string, Seen>>>();
  const feasible: Map<string, Feasible> = new Map();
  for (const [month, areas] of publication) {
    const ofMonth = new Map<string, Map<string, Seen>>();
    for (const [unit, area] of areas) ofMonth.set(unit, countsSeen(area, conflicts, `${month} ${unit}`));
    seen.set(month, ofMonth);
    const cells: Feasible = new Map();
    for (const cell of method.cells) {
      const intervals = new Map<string, Interval>();
      for (const [unit, counts] of ofMonth) intervals.set(unit, method.feasible(cell, counts));
      narrowBySums(intervals, provinceOf);
      cells.set(cell, intervals);
    }
    feasible.set(month, cells);
  }
  if (method.figuresFollowTruth) linkMonths(method, seen, feasible, provinceOf);

  let small = 0;
  let zeros = 0;
  let recovered = 0;
  let bestGuessHits = 0;
  let naiveHits = 0;
  let bestGuessHitsAboveZero = 0;
  let naiveHitsAboveZero = 0;
  const recoveredExamples: string[] = [];
  for (const [month, ofMonth] of seen) {
    const cells = feasible.get(month)!;
    for (const [unit, counts] of ofMonth) {
      const truth = truths.get(month)!.get(unit)!;
      for (const target of targets) {
        const value = truthOf(truth, target);
        if (value >= method.minimum || value < 0) continue;
        small++;
        if (value === 0) zeros++;
        const interval = targetInterval(method, target, (cell) => cells.get(cell)!.get(unit)!);
        if (value < interval.lo || value > interval.hi)
          conflicts.push(`${month} ${unit} ${target}: true ${value} outside [${interval.lo}, ${interval.hi}]`);
        if (interval.lo === interval.hi) {
          recovered++;
          if (recoveredExamples.length < 5) recoveredExamples.push(`${month} ${unit} ${target} = ${value}`);
        }
        let best = 0;
        let naive = 0;
        for (const [cell, sign] of method.makeup(target)) {
          const figure = method.figureOf(cell, counts);
          const range = cells.get(cell)!.get(unit)!;
          naive += sign * (figure ?? Math.floor((method.minimum - 1) / 2));
          best += sign * guess(method, figure, range);
        }
        if (Math.max(best, 0) === value) bestGuessHits++, value > 0 && bestGuessHitsAboveZero++;
        if (Math.max(naive, 0) === value) naiveHits++, value > 0 && naiveHitsAboveZero++;
      }
    }
  }
  return { small, zeros, recovered, recoveredExamples, bestGuessHits, naiveHits, bestGuessHitsAboveZero, naiveHitsAboveZero, conflicts };
}

/** The most likely true count of a cell in its interval: by the table's likelihood of its figure, else the naive guess brought into the interval. */
function guess(method: AttackedMethod, figure: number | undefined, range: Interval): number {
  const clamp = (value: number) => Math.min(Math.max(value, range.lo), range.hi);
  if (figure === undefined) return clamp(Math.floor((method.minimum - 1) / 2));
  let best = clamp(figure);
  let bestLikelihood = -1;
  for (let value = range.lo; value <= Math.min(range.hi, range.lo + 20); value++) {
    const likelihood = method.likelihood(figure, value);
    if (likelihood > bestLikelihood || (likelihood === bestLikelihood && Math.abs(value - figure) < Math.abs(best - figure)))
      (best = value), (bestLikelihood = likelihood);
  }
  return best;
}

/**
 * Months of one cell: a figure is a function of the true count, so months
 * whose figures differ have different true counts; a month narrowed to one
 * value takes that value from the ends of the others' intervals. Repeated
 * with the sums until nothing narrows.
 */
function linkMonths(
  method: AttackedMethod,
  seen: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, Seen>>>,
  feasible: Map<string, Feasible>,
  provinceOf: ReadonlyMap<string, string>,
): void {
  const months = [...seen.keys()];
  const key = (cell: string, counts: ReadonlyMap<string, Seen>) => {
    const figure = method.figureOf(cell, counts);
    if (figure !== undefined) return `${figure}`;
    return !cell.includes('-') && counts.get(cell)!.kind === 'hidden' ? 'hidden' : undefined;
  };
  for (let round = 0; round < 5; round++) {
    const narrowed = new Set<string>();
    for (const cell of method.cells) {
      for (const unit of seen.get(months[0]!)!.keys()) {
        const ofMonths = months.map((month) => ({
          month,
          key: key(cell, seen.get(month)!.get(unit)!),
          interval: feasible.get(month)!.get(cell)!.get(unit)!,
        }));
        for (const pinned of ofMonths.filter((entry) => entry.key !== undefined && entry.interval.lo === entry.interval.hi)) {
          for (const other of ofMonths) {
            if (other.key === undefined || other.key === pinned.key) continue;
            if (other.interval.lo === pinned.interval.lo) other.interval.lo++, narrowed.add(`${other.month}|${cell}`);
            if (other.interval.hi === pinned.interval.lo) other.interval.hi--, narrowed.add(`${other.month}|${cell}`);
          }
        }
      }
    }
    if (narrowed.size === 0) return;
    for (const entry of narrowed) {
      const [month, cell] = entry.split('|') as [string, string];
      narrowBySums(feasible.get(month)!.get(cell)!, provinceOf);
    }
  }
}

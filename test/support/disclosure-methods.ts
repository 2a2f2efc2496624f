import type { AttackedMethod, Interval, Publication, Seen, ShownArea, ShownValue } from './disclosure-attacks.js';
import { countNames, indicatorCounts, indicatorIds, noiseBound, partOf, type AreaTruth } from './independent-counts.js';

/** The perturbation table as docs/disclosure.md states it, which the attacker knows: per true count 0, 1, 2 or more, each noise's probability. */
const table: ReadonlyArray<ReadonlyMap<number, number>> = [
  new Map([[0, 1]]),
  new Map([
    [-1, 0.25],
    [0, 0.5],
    [1, 0.25],
  ]),
  new Map([
    [-2, 0.1],
    [-1, 0.2],
    [0, 0.4],
    [1, 0.2],
    [2, 0.1],
  ]),
];
const noiseProbability = (truth: number, noise: number) => table[Math.min(truth, 2)]!.get(noise) ?? 0;

/** True counts that can publish a figure. */
function sources(figure: number): Interval {
  const possible: number[] = [];
  for (let truth = Math.max(0, figure - noiseBound); truth <= figure + noiseBound; truth++)
    if (noiseProbability(truth, figure - truth) > 0) possible.push(truth);
  return { lo: Math.min(...possible), hi: Math.max(...possible) };
}

const unbounded = (): Interval => ({ lo: 0, hi: Number.POSITIVE_INFINITY });
const wholeAndPart = (cell: string) => cell.split('-') as [string, string];
const shown = (seen: Seen | undefined) => (seen?.kind === 'shown' ? seen.value : undefined);

/**
 * The cell-key method: the cells are the counts that are part of none and the
 * differences of each part from its whole; a part is its whole less the
 * differences down to it. A hidden count's figure is below the threshold; a
 * part hidden under a shown whole puts its difference above the whole's
 * figure less the threshold.
 */
export function cellKeyMethod(minimum: number): AttackedMethod {
  const roots = countNames.filter((count) => partOf[count] === undefined);
  const makeup = (target: string): Array<readonly [string, 1 | -1]> => {
    if (target.includes('-')) return [[target, 1]];
    const whole = partOf[target];
    return whole === undefined ? [[target, 1]] : [...makeup(whole), [`${whole}-${target}`, -1]];
  };
  const figureOf = (cell: string, seen: ReadonlyMap<string, Seen>) => {
    if (!cell.includes('-')) return shown(seen.get(cell));
    const [whole, part] = wholeAndPart(cell);
    const [ofWhole, ofPart] = [shown(seen.get(whole)), shown(seen.get(part))];
    return ofWhole === undefined || ofPart === undefined ? undefined : ofWhole - ofPart;
  };
  return {
    name: 'cell-key',
    minimum,
    cells: [...roots, ...Object.entries(partOf).map(([part, whole]) => `${whole}-${part}`)],
    makeup,
    figureOf,
    figuresFollowTruth: true,
    likelihood: (figure, truth) => noiseProbability(truth, figure - truth),
    feasible: (cell, seen) => {
      const figure = figureOf(cell, seen);
      if (figure !== undefined) return sources(figure);
      if (!cell.includes('-')) return seen.get(cell)!.kind === 'hidden' ? { lo: 0, hi: sources(minimum - 1).hi } : unbounded();
      const [whole, part] = wholeAndPart(cell);
      const ofWhole = shown(seen.get(whole));
      if (ofWhole !== undefined && seen.get(part)!.kind === 'hidden')
        return { lo: Math.max(0, sources(Math.max(0, ofWhole - minimum + 1)).lo), hi: Number.POSITIVE_INFINITY };
      return unbounded();
    },
  };
}

/**
 * The method before: counts shown exactly, a count below the threshold hidden,
 * and the smallest other child hidden too when exactly one child of a parent
 * is. A hidden count may be a complement of any size, so the attacker takes it
 * as unknown.
 */
export function suppressionMethod(minimum: number): AttackedMethod {
  return {
    name: 'suppression',
    minimum,
    cells: countNames,
    makeup: (target) => {
      if (!target.includes('-')) return [[target, 1]];
      const [whole, part] = wholeAndPart(target);
      return [
        [whole, 1],
        [part, -1],
      ];
    },
    figureOf: (cell, seen) => shown(seen.get(cell)),
    figuresFollowTruth: false,
    likelihood: (figure, truth) => (figure === truth ? 1 : 0),
    feasible: (cell, seen) => {
      const figure = shown(seen.get(cell));
      return figure === undefined ? unbounded() : { lo: figure, hi: figure };
    },
  };
}

/** What the method before published from the raw counts of every area of one month: its suppression decided per count among siblings. */
export function suppressionPublication(
  truth: ReadonlyMap<string, AreaTruth>,
  provinceOf: ReadonlyMap<string, string>,
  minimum: number,
): Map<string, ShownArea> {
  const groups = new Map<string, string[]>([['', ['VN']]]);
  for (const [commune, province] of provinceOf) {
    if (!groups.has(province)) groups.set(province, []);
    groups.get(province)!.push(commune);
    if (!groups.has('VN')) groups.set('VN', []);
    if (!groups.get('VN')!.includes(province)) groups.get('VN')!.push(province);
  }
  const hidden = new Set<string>();
  for (const units of groups.values()) {
    for (const count of countNames) {
      const below = units.filter((unit) => truth.get(unit)!.counts[count]! < minimum);
      below.forEach((unit) => hidden.add(`${unit}|${count}`));
      if (below.length !== 1 || units.length < 2) continue;
      const [smallest] = units
        .filter((unit) => unit !== below[0])
        .sort((a, b) => truth.get(a)!.counts[count]! - truth.get(b)!.counts[count]! || a.localeCompare(b));
      hidden.add(`${smallest}|${count}`);
    }
  }
  const areas = new Map<string, ShownArea>();
  for (const [unit, { counts }] of truth) {
    const area: Record<string, ShownValue> = {};
    for (const id of indicatorIds) {
      const [numerator, denominator] = indicatorCounts[id];
      const suppressed = hidden.has(`${unit}|${numerator}`) || hidden.has(`${unit}|${denominator}`);
      area[id] = suppressed
        ? { numerator: null, denominator: null, suppressed }
        : { numerator: counts[numerator]!, denominator: counts[denominator]!, suppressed };
    }
    areas.set(unit, area);
  }
  return areas;
}

export type { Publication };

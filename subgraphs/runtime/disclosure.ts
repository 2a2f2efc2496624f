/**
 * Disclosure control for counts of people. A count below the threshold is
 * never shown (primary suppression). When exactly one unit among the children
 * of one parent is suppressed, the smallest other child is suppressed too
 * (complementary suppression), or the hidden count could be had by
 * subtracting the visible children from the parent's total.
 *
 * The decision is taken over all children of the parent, whatever the request
 * asked for, so the same unit is suppressed whether it is asked for alone or
 * among its siblings.
 */
export function suppressedUnits(siblings: ReadonlyMap<string, number>, minimum: number): Set<string> {
  const suppressed = new Set([...siblings].filter(([, count]) => count < minimum).map(([unit]) => unit));
  if (suppressed.size === 1 && siblings.size > 1) {
    const [next] = [...siblings]
      .filter(([unit]) => !suppressed.has(unit))
      .sort(([unitA, a], [unitB, b]) => a - b || unitA.localeCompare(unitB));
    if (next) suppressed.add(next[0]);
  }
  return suppressed;
}

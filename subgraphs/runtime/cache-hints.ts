import type { GraphQLResolveInfo } from 'graphql';
import { isOpen, type Period } from '../../platform/period.js';
import type { CacheHints } from './cache-policy.js';

/**
 * Figures of a closed period change only when source data are corrected, and
 * a correction invalidates them, so they cache for a day; the running period's
 * figures move as data arrive, so they cache for a minute.
 */
export const closedPeriodMaxAge = 86_400;
export const openPeriodMaxAge = 60;

// A period's openness changes only at midnight (UTC), and parsed periods are shared within a day: one check per period and day.
const openness = new WeakMap<Period, { readonly day: number; readonly open: boolean }>();
function isOpenNow(period: Period): boolean {
  const day = Math.floor(Date.now() / 86_400_000);
  let known = openness.get(period);
  if (known?.day !== day) openness.set(period, (known = { day, open: isOpen(period) }));
  return known.open;
}

/** Hints the answer's lifetime from the periods a root field (or an entity it resolves) covers. */
export function hintForPeriods(context: { readonly cacheHints: CacheHints }, info: GraphQLResolveInfo, periods: readonly Period[]): void {
  let root = info.path;
  while (root.prev) root = root.prev;
  const open = periods.some(isOpenNow);
  context.cacheHints.hint(String(root.key), open ? openPeriodMaxAge : closedPeriodMaxAge);
}

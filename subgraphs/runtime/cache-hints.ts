import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { GraphQLResolveInfo } from 'graphql';
import { isOpen, type Period } from '../../platform/period.js';

/**
 * Figures of a closed period change only when source data are corrected, and
 * a correction invalidates them, so they cache for a day; the running period's
 * figures move as data arrive, so they cache for a minute.
 */
export const closedPeriodMaxAge = 86_400;
export const openPeriodMaxAge = 60;

export function hintForPeriods(info: GraphQLResolveInfo, periods: readonly Period[]): void {
  const open = periods.some((period) => isOpen(period));
  maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: open ? openPeriodMaxAge : closedPeriodMaxAge, scope: 'PUBLIC' });
}

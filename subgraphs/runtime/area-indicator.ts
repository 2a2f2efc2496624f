import type DataLoader from 'dataloader';
import { areaKey, disclosed, type AreaCounts } from './area-counts.js';
import { indicatorFor, requiredCount, type IndicatorValue } from './indicator-value.js';
import type { AreaStatsReference } from './references.js';
import type { GraphQLResolveInfo } from 'graphql';
import { hintForPeriods } from './cache-hints.js';

/** Population's denominators, which other subgraphs receive through @requires. */
export type RequiredDenominator = 'residentCount' | 'householdCount';

/**
 * The resolver of one indicator field on AreaStats: the numerator is one of the
 * subgraph's own counts, the denominator another of its counts or one that
 * population supplies through @requires.
 */
export function areaIndicator<Count extends string>(id: string, numerator: Count, denominator: Count | RequiredDenominator) {
  return async (
    area: AreaStatsReference,
    _args: unknown,
    { loaders }: { loaders: { areaCounts: DataLoader<string, AreaCounts<Count>> } },
  ): Promise<IndicatorValue> => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    const below =
      denominator === 'residentCount'
        ? requiredCount(area.residentCount, area.residentCountSuppressed, denominator)
        : denominator === 'householdCount'
          ? requiredCount(area.householdCount, area.householdCountSuppressed, denominator)
          : disclosed(counts, denominator);
    return indicatorFor(id, area.period, disclosed(counts, numerator), below);
  };
}

/** How every agency resolves an AreaStats it is sent: as it came (key and required counts), with the period's cache hint. */
export function resolveAreaReference<Reference extends { period: string }>(
  reference: Reference,
  _context: unknown,
  info: GraphQLResolveInfo,
): Reference {
  hintForPeriods(info, [reference.period]);
  return reference;
}

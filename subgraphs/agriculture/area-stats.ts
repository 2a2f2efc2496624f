import { areaKey, disclosed } from '../runtime/area-counts.js';
import { indicatorFor, requiredCount } from '../runtime/indicator-value.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Agriculture's indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: (reference) => reference,
  farmHouseholdsPer100Households: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor(
      'farmHouseholdsPer100Households',
      area.period,
      disclosed(counts, 'farm_households'),
      requiredCount(area.householdCount, area.householdCountSuppressed, 'householdCount'),
    );
  },
  farmHeadPinMatch: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor('farmHeadPinMatch', area.period, disclosed(counts, 'pin_matched'), disclosed(counts, 'farm_households'));
  },
};

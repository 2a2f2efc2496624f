import { areaIndicator } from '../runtime/area-indicator.js';
import { hintForPeriods } from '../runtime/cache-hints.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Agriculture's indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: (reference, _context, info) => {
    hintForPeriods(info, [reference.period]);
    return reference;
  },
  farmHouseholdsPer100Households: areaIndicator('farmHouseholdsPer100Households', 'farm_households', 'householdCount'),
  farmHeadPinMatch: areaIndicator('farmHeadPinMatch', 'pin_matched', 'farm_households'),
};

import { areaIndicator, resolveAreaReference } from '../runtime/area-indicator.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Agriculture's indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: resolveAreaReference,
  farmHouseholdsPer100Households: areaIndicator('farmHouseholdsPer100Households', 'farm_households', 'householdCount'),
  farmHeadPinMatch: areaIndicator('farmHeadPinMatch', 'pin_matched', 'farm_households'),
};

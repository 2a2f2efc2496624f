import { areaIndicator, resolveAreaReference } from '../runtime/area-indicator.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Health's indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: resolveAreaReference,
  ehrCoverage: areaIndicator('ehrCoverage', 'records', 'residentCount'),
  ehrActiveUse: areaIndicator('ehrActiveUse', 'active_records_12m', 'records'),
};

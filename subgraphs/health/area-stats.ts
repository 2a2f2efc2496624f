import { areaIndicator } from '../runtime/area-indicator.js';
import { hintForPeriods } from '../runtime/cache-hints.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Health's indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: (reference, _context, info) => {
    hintForPeriods(info, [reference.period]);
    return reference;
  },
  ehrCoverage: areaIndicator('ehrCoverage', 'records', 'residentCount'),
  ehrActiveUse: areaIndicator('ehrActiveUse', 'active_records_12m', 'records'),
};

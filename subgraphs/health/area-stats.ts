import { areaKey, disclosed } from '../runtime/area-counts.js';
import { indicatorFor, requiredCount } from '../runtime/indicator-value.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Health's indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: (reference) => reference,
  ehrCoverage: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor('ehrCoverage', area.period, disclosed(counts, 'records'), requiredCount(area.residentCount, area.residentCountSuppressed, 'residentCount'));
  },
  ehrActiveUse: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor('ehrActiveUse', area.period, disclosed(counts, 'active_records_12m'), disclosed(counts, 'records'));
  },
};

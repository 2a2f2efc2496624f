import { areaKey, disclosed } from '../runtime/area-counts.js';
import { indicatorFor, requiredCount } from '../runtime/indicator-value.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Civil-service indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: (reference) => reference,
  civilServantDigitalSkills: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor('civilServantDigitalSkills', area.period, disclosed(counts, 'in_service_trained'), disclosed(counts, 'in_service'));
  },
  civilServantsPer1000Residents: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor(
      'civilServantsPer1000Residents',
      area.period,
      disclosed(counts, 'in_service'),
      requiredCount(area.residentCount, area.residentCountSuppressed, 'residentCount'),
    );
  },
  civilServantPinMatch: async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(areaKey(area.unitCode, area.period));
    return indicatorFor('civilServantPinMatch', area.period, disclosed(counts, 'in_service_pin_matched'), disclosed(counts, 'in_service'));
  },
};

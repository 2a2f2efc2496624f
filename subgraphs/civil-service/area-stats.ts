import { areaIndicator, resolveAreaReference } from '../runtime/area-indicator.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Civil-service indicators on the AreaStats entity population lists. */
export const areaStatsResolvers: Resolvers['AreaStats'] = {
  __resolveReference: resolveAreaReference,
  civilServantDigitalSkills: areaIndicator('civilServantDigitalSkills', 'in_service_trained', 'in_service'),
  civilServantsPer1000Residents: areaIndicator('civilServantsPer1000Residents', 'in_service', 'residentCount'),
  civilServantPinMatch: areaIndicator('civilServantPinMatch', 'in_service_pin_matched', 'in_service'),
};

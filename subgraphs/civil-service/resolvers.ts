import { communePage } from '../runtime/listing.js';
import { dateScalar } from '../runtime/scalars.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { areaStatsResolvers } from '../runtime/area-indicator.js';
import { civilServiceCounts } from './area-counts.js';
import { civilServantsInCommune } from './loaders.js';
import { pinCheckOf } from '../runtime/loaders.js';

export const resolvers: Resolvers = {
  Date: dateScalar,
  Query: {
    civilServants: (_root, args, { database }) =>
      communePage(args, (commune, afterId, limit) => civilServantsInCommune(database, commune, afterId, limit)),
  },
  // Its indicators, as the catalogue (platform/indicators/catalog.ts) declares them.
  AreaStats: areaStatsResolvers('civil-service', civilServiceCounts.counts),
  Citizen: {
    __resolveReference: (reference) => reference,
    civilServant: (citizen, _args, { loaders }) => loaders.civilServantByPin.load(citizen.pin),
  },
  CivilServant: {
    citizen: (servant) => ({ pin: servant.pin }),
    agency: (servant, _args, { loaders }) => loaders.agencyById.load(servant.agencyId).then((agency) => agency!),
    rank: (servant, _args, { loaders }) => loaders.rankByCode.load(servant.rankCode).then((rank) => rank!),
    workplace: (servant) => ({ code: servant.workplaceCode }),
    inService: (servant) => servant.leftOn === null,
    pinCheck: (servant, _args, { loaders }) => loaders.pinCheckById.load(servant.id).then((check) => pinCheckOf(check, servant.pin)),
  },
  Agency: {
    province: (agency) => (agency.provinceCode ? { code: agency.provinceCode } : null),
    commune: (agency) => (agency.communeCode ? { code: agency.communeCode } : null),
  },
};

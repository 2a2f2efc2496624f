import { communePage } from '../runtime/listing.js';
import { dateScalar } from '../runtime/scalars.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { areaStatsResolvers } from '../runtime/area-indicator.js';
import { agricultureCounts } from './area-counts.js';
import { farmHouseholdsInCommune } from './loaders.js';
import { pinCheckOf } from '../runtime/loaders.js';

export const resolvers: Resolvers = {
  Date: dateScalar,
  Query: {
    farmHouseholds: (_root, args, { database }) =>
      communePage(args, (commune, afterId, limit) => farmHouseholdsInCommune(database, commune, afterId, limit)),
  },
  // Its indicators, as the catalogue (platform/indicators/catalog.ts) declares them.
  AreaStats: areaStatsResolvers('agriculture', agricultureCounts.counts),
  Citizen: {
    __resolveReference: (reference) => reference,
    farmHousehold: (citizen, _args, { loaders }) => loaders.farmHouseholdByHeadPin.load(citizen.pin),
  },
  FarmHousehold: {
    head: (farm) => ({ pin: farm.headPin }),
    commune: (farm) => ({ code: farm.communeCode }),
    cropPlots: (farm, _args, { loaders }) => loaders.cropPlotsByFarm.load(farm.id),
    livestock: (farm, _args, { loaders }) => loaders.livestockByFarm.load(farm.id),
    pinCheck: (farm, _args, { loaders }) => loaders.pinCheckById.load(farm.id).then((check) => pinCheckOf(check, farm.headPin)),
  },
};

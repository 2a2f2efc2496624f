import { badUserInput } from '../../platform/errors.js';
import { communePage } from '../runtime/listing.js';
import { dateScalar } from '../runtime/scalars.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { areaStatsResolvers } from '../runtime/area-indicator.js';
import { healthCounts } from './area-counts.js';
import { healthRecordsInCommune } from './loaders.js';

export const maximumEncounters = 50;

export const resolvers: Resolvers = {
  Date: dateScalar,
  Query: {
    healthRecords: (_root, args, { database }) =>
      communePage(args, (commune, afterId, limit) => healthRecordsInCommune(database, commune, afterId, limit)),
  },
  // Its indicators, as the catalogue (platform/indicators/catalog.ts) declares them.
  AreaStats: areaStatsResolvers('health', healthCounts.counts),
  Citizen: {
    __resolveReference: (reference) => reference,
    healthRecord: (citizen, _args, { loaders }) => loaders.healthRecordByPin.load(citizen.pin),
  },
  HealthRecord: {
    holder: (record) => ({ pin: record.pin }),
    commune: (record) => ({ code: record.communeCode }),
    facility: (record, _args, { loaders }) => loaders.facilityById.load(record.facilityId).then((facility) => facility!),
    encounters: (record, { last }, { loaders }) => {
      const count = last ?? 10;
      if (!Number.isInteger(count) || count < 1 || count > maximumEncounters)
        throw badUserInput(`last must be between 1 and ${maximumEncounters}, got ${count}`);
      return loaders.recentEncounters(count).load(record.id);
    },
  },
  Encounter: {
    facility: (encounter, _args, { loaders }) => loaders.facilityById.load(encounter.facilityId).then((facility) => facility!),
  },
  Facility: {
    province: (facility) => ({ code: facility.provinceCode }),
    commune: (facility) => ({ code: facility.communeCode }),
  },
};

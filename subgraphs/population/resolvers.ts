import { assertProvinceCode } from '../../platform/administrative-codes.js';
import { levelOfUnit, nationCode } from '../runtime/area-counts.js';
import { areaStatsResolvers, countFieldsOf, withCounts } from '../runtime/area-indicator.js';
import { hintForPeriods } from '../runtime/cache-hints.js';
import { listAreas, listSeries } from './area-stats.js';
import { parsePeriod } from '../../platform/period.js';
import { badUserInput } from '../../platform/errors.js';
import { parsePin } from '../../platform/pin.js';
import { dateScalar } from '../runtime/scalars.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { listProvinces } from './loaders.js';
import { populationCounts } from './area-counts.js';

export const maximumPinsPerRequest = 1_000;

function assertPin(pin: string, argument: string): void {
  const parsed = parsePin(pin);
  if ('problem' in parsed) throw badUserInput(`${argument}: ${parsed.problem}`);
}

/** The AreaStats fields that read population's counts: a listing that asks for none reads none. */
const countFields = countFieldsOf('population');

export const resolvers: Resolvers = {
  Date: dateScalar,
  Query: {
    areaStats: (_root, { level, period, parentCode }, context, info) => {
      const areas = listAreas(level, parsePeriod(period), parentCode);
      hintForPeriods(context, info, [areas[0]!.period]);
      return withCounts(areas, info, countFields, context);
    },
    areaSeries: (_root, { unitCode, from, to }, context, info) => {
      const series = listSeries(unitCode, from, to);
      hintForPeriods(
        context,
        info,
        series.map((area) => area.period),
      );
      return withCounts(series, info, countFields, context);
    },
    citizen: (_root, { pin }, { loaders }) => {
      assertPin(pin, 'pin');
      return loaders.citizenByPin.load(pin);
    },
    citizens: (_root, { pins }, { loaders }) => {
      if (pins.length > maximumPinsPerRequest)
        throw badUserInput(`pins: at most ${maximumPinsPerRequest} PINs a request, got ${pins.length}`);
      pins.forEach((pin, index) => assertPin(pin, `pins[${index}]`));
      return loaders.citizenByPin.loadMany(pins).then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
    },
    administrativeUnit: (_root, { code }, { loaders }) => {
      if (!/^(\d{2}|\d{5})$/.test(code))
        throw badUserInput(`code: an administrative unit code has 2 digits (province) or 5 (commune), got ${JSON.stringify(code)}`);
      return loaders.unitByCode.load(code);
    },
    administrativeUnits: (_root, { level, parentCode }, { loaders, store }) => {
      if (level === 'PROVINCE') {
        if (parentCode) throw badUserInput('parentCode: provinces have no parent; leave it out or ask for level COMMUNE');
        return listProvinces(store);
      }
      if (!parentCode)
        throw badUserInput('parentCode: give the province whose communes to list (3,321 communes are too many for one answer)');
      assertProvinceCode(parentCode, 'parentCode');
      return loaders.unitsByParent.load(parentCode);
    },
  },
  AdministrativeUnit: {
    __resolveReference: (reference, { loaders }) => loaders.unitByCode.load(reference.code),
    parent: (unit, _args, { loaders }) => (unit.parentCode ? loaders.unitByCode.load(unit.parentCode) : null),
    children: (unit, _args, { loaders }) => (unit.level === 'PROVINCE' ? loaders.unitsByParent.load(unit.code) : []),
  },
  AreaStats: {
    // Its indicators and the counts it shares, as the catalogue (platform/indicators/catalog.ts) declares them.
    ...areaStatsResolvers('population', populationCounts.counts),
    level: (area) => levelOfUnit(area.unitCode),
    unit: (area, _args, { loaders }) => (area.unitCode === nationCode ? null : loaders.unitByCode.load(area.unitCode)),
    asOf: (area) => area.period.lastDay,
  },
  Citizen: {
    // A malformed PIN in a representation finds nobody rather than failing the batch.
    __resolveReference: (reference, { loaders }) =>
      'problem' in parsePin(reference.pin) ? null : loaders.citizenByPin.load(reference.pin),
    residence: (citizen, _args, { loaders }) => loaders.unitByCode.load(citizen.residenceCode).then((unit) => unit!),
    eId: (citizen) => (citizen.eIdLevel === null ? null : { level: citizen.eIdLevel, activatedAt: citizen.eIdActivatedAt! }),
  },
};

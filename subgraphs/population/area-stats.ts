import { assertProvinceCode, officialCommuneCodes, officialProvinceCodes, provinceOfCommune } from '../../platform/administrative-codes.js';
import { levelOfUnit, nationCode, type AreaLevel } from '../runtime/area-counts.js';
import { badUserInput } from '../../platform/errors.js';
import { periodsBetween, type Period } from '../../platform/period.js';
import type { AreaStatsRow } from './rows.js';

/** The areas of a level in a period, in code order: the entities every agency then adds its indicators to. */
export function listAreas(level: AreaLevel, period: Period, parentCode: string | null | undefined): AreaStatsRow[] {
  const area = (unitCode: string) => ({ unitCode, period });
  if (level === 'NATION') {
    if (parentCode) throw badUserInput('parentCode: the nation has no parent; leave it out');
    return [area(nationCode)];
  }
  if (level === 'PROVINCE') {
    if (parentCode && parentCode !== nationCode)
      throw badUserInput(`parentCode: provinces belong to the nation (${nationCode}); leave it out`);
    return officialProvinceCodes.map(area);
  }
  if (!parentCode) return officialCommuneCodes.map(area);
  assertProvinceCode(parentCode, 'parentCode');
  return officialCommuneCodes.filter((code) => provinceOfCommune.get(code) === parentCode).map(area);
}

/** One area over consecutive periods. */
export function listSeries(unitCode: string, from: string, to: string): AreaStatsRow[] {
  levelOfUnit(unitCode);
  return periodsBetween(from, to).map((period) => ({ unitCode, period }));
}

import { readAdministrativeUnits } from '../../subgraphs/population/administrative-units.js';
import { readCsvFile } from '../../platform/csv.js';
import { Random, WeightedChoice } from './random.js';

export type CommuneKind = 'WARD' | 'RURAL' | 'SPECIAL_ZONE';

export interface Commune {
  readonly code: string;
  readonly provinceCode: string;
  /** The pre-2025 province the commune lay in: the usual province of birth of its people. */
  readonly legacyProvinceCode: string;
  readonly kind: CommuneKind;
  /** "phường Ba Đình": how the unit is named inside a longer name. */
  readonly nameInText: string;
}

export interface Province {
  readonly code: string;
  readonly nameInText: string;
  readonly communes: readonly Commune[];
}

export interface Geography {
  readonly provinces: readonly Province[];
  readonly communes: readonly Commune[];
  readonly provinceOf: ReadonlyMap<string, Province>;
  /** Draws a commune for a household: provinces by real population, wards denser than rural communes. */
  readonly communeForHousehold: WeightedChoice<Commune>;
  /** The 63 pre-2025 province codes, zero-padded to three digits as in a PIN. */
  readonly legacyProvincePinCodes: readonly string[];
}

// Relative density of people per unit: a ward holds more people than a rural commune.
const densityOf: Record<CommuneKind, number> = { WARD: 2.2, RURAL: 1, SPECIAL_ZONE: 0.4 };
const kindOf: Record<string, CommuneKind> = { Phường: 'WARD', Xã: 'RURAL', 'Đặc khu': 'SPECIAL_ZONE' };

const dataFolder = new URL('../../platform/administrative-units/', import.meta.url);

export async function loadGeography(seed: number): Promise<Geography> {
  const units = await readAdministrativeUnits();
  const legacy = new Map(
    (await readCsvFile(new URL('commune_legacy_province.csv', dataFolder))).map((row) => [row.commune_code!, row.legacy_province_code!]),
  );
  const population = new Map(
    (await readCsvFile(new URL('province_population.csv', dataFolder))).map((row) => [
      row.province_code!,
      Number(row.population_thousands),
    ]),
  );
  const legacyProvincePinCodes = (await readCsvFile(new URL('provinces_pre-2025-07-01.csv', dataFolder))).map((row) =>
    row.code!.padStart(3, '0'),
  );

  const inText = (unitType: string, name: string) => `${unitType.toLowerCase()} ${name}`;
  const communesByProvince = new Map<string, Commune[]>();
  for (const unit of units) {
    if (unit.level !== 'COMMUNE') continue;
    const kind = kindOf[unit.unit_type];
    if (!kind) throw new Error(`Commune ${unit.code} has an unknown unit type ${unit.unit_type}`);
    const commune: Commune = {
      code: unit.code,
      provinceCode: unit.parent_code!,
      legacyProvinceCode: legacy.get(unit.code) ?? unit.parent_code!,
      kind,
      nameInText: inText(unit.unit_type, unit.name),
    };
    communesByProvince.set(commune.provinceCode, [...(communesByProvince.get(commune.provinceCode) ?? []), commune]);
  }
  const provinces: Province[] = units
    .filter((unit) => unit.level === 'PROVINCE')
    .map((unit) => ({ code: unit.code, nameInText: inText(unit.unit_type, unit.name), communes: communesByProvince.get(unit.code) ?? [] }));

  // Each commune's share of its province: density by kind, jittered so communes of one kind differ.
  const jitter = new Random(seed ^ 0x5eed_6e0);
  const weights: Array<readonly [Commune, number]> = [];
  for (const province of provinces) {
    const people = population.get(province.code);
    if (people === undefined) throw new Error(`province_population.csv has no row for province ${province.code}`);
    const raw = province.communes.map((commune) => densityOf[commune.kind] * (0.5 + jitter.float()));
    const total = raw.reduce((sum, weight) => sum + weight, 0);
    province.communes.forEach((commune, index) => weights.push([commune, (people * raw[index]!) / total]));
  }
  const communes = provinces.flatMap((province) => province.communes);
  return {
    provinces,
    communes,
    provinceOf: new Map(provinces.map((province) => [province.code, province])),
    communeForHousehold: new WeightedChoice(weights),
    legacyProvincePinCodes,
  };
}

/**
 * Where a person lived before moving to `commune`: usually elsewhere in the same
 * province, sometimes anywhere. Agencies that recorded a person before the move
 * still hold that commune.
 */
export function previousCommune(random: Random, geography: Geography, commune: Commune): Commune {
  const province = random.chance(0.8) ? geography.provinceOf.get(commune.provinceCode)! : random.pick(geography.provinces);
  const other = random.pick(province.communes);
  return other.code === commune.code ? random.pick(geography.communes) : other;
}

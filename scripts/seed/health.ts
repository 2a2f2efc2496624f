import { dayOf, isoDate } from './calendar.js';
import { risingDay, takeId, uniformDay, type GenerationContext, type Person } from './context.js';
import { previousCommune, type Commune, type Geography } from './geography.js';
import { WeightedChoice } from './random.js';

const centralHospitals = [
  ['01', 'Bệnh viện Bạch Mai'],
  ['01', 'Bệnh viện Hữu nghị Việt Đức'],
  ['01', 'Bệnh viện Nhi Trung ương'],
  ['01', 'Bệnh viện K'],
  ['19', 'Bệnh viện Trung ương Thái Nguyên'],
  ['46', 'Bệnh viện Trung ương Huế'],
  ['48', 'Bệnh viện C Đà Nẵng'],
  ['79', 'Bệnh viện Chợ Rẫy'],
  ['79', 'Bệnh viện Thống Nhất'],
  ['92', 'Bệnh viện Đa khoa Trung ương Cần Thơ'],
] as const;

// Common diagnoses in primary and hospital care (ICD-10).
const diagnoses = new WeightedChoice([
  ['J06.9', 18],
  ['I10', 14],
  ['E11.9', 8],
  ['K29.7', 7],
  ['M54.5', 6],
  ['J20.9', 6],
  ['A09', 5],
  ['R51', 4],
  ['Z00.0', 8],
  ['N39.0', 3],
  ['J18.9', 3],
  ['E78.5', 4],
  ['K21.9', 3],
  ['I25.9', 2],
  ['M17.9', 2],
  ['H10.9', 2],
  ['L30.9', 2],
  ['O80', 1],
  ['S93.4', 1],
  ['F41.9', 1],
] as const);
const recordRate: Record<Commune['kind'], number> = { WARD: 0.92, RURAL: 0.84, SPECIAL_ZONE: 0.8 };
const recordsStart = dayOf('2022-01-01');

/** Visits per year by age: the very young and the old see a doctor most. */
function visitsPerYear(age: number): number {
  return age < 5 ? 2 : age < 18 ? 0.8 : age < 50 ? 0.6 : age < 65 ? 1.2 : 2.5;
}

export interface HealthGenerator {
  writeReferenceData(context: GenerationContext): void;
  consider(context: GenerationContext, person: Person): void;
}

/** Facilities (central hospitals, one general hospital per province, one station per commune), records and encounters. */
export function healthGenerator(geography: Geography): HealthGenerator {
  const facilities: Array<{ id: number; code: string; name: string; level: string; provinceCode: string; communeCode: string }> = [];
  const perProvince = new Map<string, number>();
  const add = (name: string, level: string, commune: Commune) => {
    const serial = (perProvince.get(commune.provinceCode) ?? 0) + 1;
    perProvince.set(commune.provinceCode, serial);
    const code = `${commune.provinceCode}${String(serial).padStart(3, '0')}`;
    facilities.push({ id: facilities.length + 1, code, name, level, provinceCode: commune.provinceCode, communeCode: commune.code });
    return facilities.length;
  };
  const mainWard = (provinceCode: string) => {
    const communes = geography.provinceOf.get(provinceCode)!.communes;
    return communes.find((commune) => commune.kind === 'WARD') ?? communes[0]!;
  };
  const centralIds = centralHospitals.map(([province, name]) => add(name.normalize('NFC'), 'CENTRAL', mainWard(province)));
  const provincialHospital = new Map(
    geography.provinces.map((province) => [
      province.code,
      add(`Bệnh viện Đa khoa ${province.nameInText}`, 'PROVINCE', mainWard(province.code)),
    ]),
  );
  const station = new Map(geography.communes.map((commune) => [commune.code, add(`Trạm Y tế ${commune.nameInText}`, 'COMMUNE', commune)]));

  return {
    writeReferenceData({ rows }) {
      for (const facility of facilities) {
        rows.add('facility', [facility.id, facility.code, facility.name, facility.level, facility.provinceCode, facility.communeCode]);
      }
    },

    consider(context, person) {
      const { random, rows, asOf } = context;
      const lastDay = person.diedDay ?? asOf;
      const from = Math.max(recordsStart, person.birthDay);
      if (from > lastDay || !random.chance(person.diedDay === null ? recordRate[person.commune.kind] : 0.5)) return;
      const created = risingDay(context, from, lastDay);
      // The commune as recorded when the record was made: people who moved since differ.
      const commune = random.chance(0.96) ? person.commune : previousCommune(random, geography, person.commune);
      const facilityRoll = random.float();
      const facility =
        facilityRoll < 0.7
          ? station.get(commune.code)!
          : facilityRoll < 0.95
            ? provincialHospital.get(commune.provinceCode)!
            : random.pick(centralIds);
      const recordId = takeId(context, 'healthRecord');
      rows.add('healthRecord', [recordId, person.pin, commune.code, isoDate(created), facility]);
      // About a third of records are made and never used again.
      if (random.chance(0.3)) return;
      const visits = random.poisson((visitsPerYear(person.age) * (lastDay - created)) / 365);
      for (let visit = 0; visit < visits; visit++) {
        const roll = random.float();
        const where =
          roll < 0.6 ? facility : roll < 0.85 ? station.get(person.commune.code)! : provincialHospital.get(person.commune.provinceCode)!;
        rows.add('encounter', [
          takeId(context, 'encounter'),
          recordId,
          isoDate(uniformDay(context, created, lastDay)),
          where,
          diagnoses.draw(random),
        ]);
      }
    },
  };
}

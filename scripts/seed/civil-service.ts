import { addYears, dayOf, isoDate, yearOf } from './calendar.js';
import { risingDay, takeId, uniformDay, type GenerationContext, type Person } from './context.js';
import { previousCommune, type Geography } from './geography.js';
import { WeightedChoice } from './random.js';

// Ranks (ngạch) of administrative civil servants with their official codes.
const ranks = [
  ['01.001', 'Chuyên viên cao cấp', 1, 2],
  ['01.002', 'Chuyên viên chính', 2, 12],
  ['01.003', 'Chuyên viên', 3, 60],
  ['01.004', 'Cán sự', 4, 16],
  ['01.005', 'Nhân viên', 5, 10],
] as const;
const rankChoice = new WeightedChoice(ranks.map(([code, , , weight]) => [code, weight] as const));

const ministries = [
  'Bộ Quốc phòng',
  'Bộ Công an',
  'Bộ Ngoại giao',
  'Bộ Nội vụ',
  'Bộ Tư pháp',
  'Bộ Tài chính',
  'Bộ Công Thương',
  'Bộ Nông nghiệp và Môi trường',
  'Bộ Xây dựng',
  'Bộ Văn hóa, Thể thao và Du lịch',
  'Bộ Khoa học và Công nghệ',
  'Bộ Giáo dục và Đào tạo',
  'Bộ Y tế',
  'Bộ Dân tộc và Tôn giáo',
  'Ngân hàng Nhà nước Việt Nam',
  'Thanh tra Chính phủ',
  'Văn phòng Chính phủ',
].map((name) => name.normalize('NFC'));
const provincialDepartments = [
  ['UBND', 'Ủy ban nhân dân'],
  ['SNV', 'Sở Nội vụ'],
  ['STC', 'Sở Tài chính'],
  ['SYT', 'Sở Y tế'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo'],
  ['SNNMT', 'Sở Nông nghiệp và Môi trường'],
  ['SKHCN', 'Sở Khoa học và Công nghệ'],
  ['SXD', 'Sở Xây dựng'],
  ['SCT', 'Sở Công Thương'],
  ['STP', 'Sở Tư pháp'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch'],
] as const;

const earliestHire = dayOf('1980-01-01');
const trainingProgrammeStart = dayOf('2022-03-01');
const unmatchedShare = 0.005;
const serviceRate: Record<string, number> = { WARD: 0.048, RURAL: 0.03, SPECIAL_ZONE: 0.04 };

export interface CivilServiceGenerator {
  /** Writes the agencies and ranks (reference data). */
  writeReferenceData(context: GenerationContext): void;
  /** Makes some working-age people civil servants. */
  consider(context: GenerationContext, person: Person): void;
}

export function civilServiceGenerator(geography: Geography): CivilServiceGenerator {
  const agencies: Array<{
    id: number;
    code: string;
    name: string;
    level: string;
    provinceCode: string | null;
    communeCode: string | null;
  }> = [];
  const add = (code: string, name: string, level: string, provinceCode: string | null, communeCode: string | null) => {
    agencies.push({ id: agencies.length + 1, code, name, level, provinceCode, communeCode });
    return agencies.length;
  };
  const ministryIds = ministries.map((name, index) => add(`TW-${String(index + 1).padStart(2, '0')}`, name, 'CENTRAL', null, null));
  const departmentIds = new Map<string, number[]>();
  const communeCommitteeId = new Map<string, number>();
  for (const province of geography.provinces) {
    departmentIds.set(
      province.code,
      provincialDepartments.map(([code, name]) =>
        add(`${province.code}-${code}`, `${name} ${province.nameInText}`, 'PROVINCE', province.code, null),
      ),
    );
  }
  for (const commune of geography.communes) {
    communeCommitteeId.set(
      commune.code,
      add(`${commune.code}-UBND`, `Ủy ban nhân dân ${commune.nameInText}`, 'COMMUNE', commune.provinceCode, commune.code),
    );
  }

  return {
    writeReferenceData({ rows }) {
      for (const [code, name, grade] of ranks) rows.add('rank', [code, name, grade]);
      for (const agency of agencies)
        rows.add('agency', [agency.id, agency.code, agency.name, agency.level, agency.provinceCode, agency.communeCode]);
    },

    consider(context, person) {
      const { random, asOf } = context;
      if (person.age < 23 || person.age > 65 || !random.chance(serviceRate[person.commune.kind]!)) return;
      const hired = uniformDay(context, Math.max(earliestHire, addYears(person.birthDay, 22)), asOf);
      const retirement = addYears(person.birthDay, 61) + random.int(0, 364);
      let left: number | null = retirement <= asOf ? Math.max(retirement, hired) : null;
      if (left === null && person.diedDay !== null) left = Math.max(person.diedDay, hired);
      if (left === null && random.chance(0.05)) left = uniformDay(context, hired, asOf);
      const inServiceUntil = left ?? asOf;
      const trainingFrom = Math.max(trainingProgrammeStart, hired);
      const trained = trainingFrom <= inServiceUntil && random.chance(0.7) ? risingDay(context, trainingFrom, inServiceUntil) : null;
      const workplace = random.chance(0.88) ? person.commune : previousCommune(random, geography, person.commune);
      const central = random.chance(workplace.provinceCode === '01' ? 0.3 : 0.03);
      const agencyId = central
        ? random.pick(ministryIds)
        : random.chance(0.45)
          ? random.pick(departmentIds.get(workplace.provinceCode)!)
          : communeCommitteeId.get(workplace.code)!;
      // A small share of records carry a PIN that matches no citizen (typing errors, old numbers).
      const pin = random.chance(unmatchedShare)
        ? context.pins.unmatched(person.birthProvincePinCode, yearOf(person.birthDay), person.sex)
        : person.pin;
      context.rows.add('civilServant', [
        takeId(context, 'civilServant'),
        pin,
        person.fullName,
        isoDate(person.birthDay),
        person.sex,
        agencyId,
        rankChoice.draw(random),
        workplace.code,
        isoDate(hired),
        left === null ? null : isoDate(left),
        trained === null ? null : isoDate(trained),
      ]);
    },
  };
}

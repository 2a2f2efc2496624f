import type { Agency } from '../../platform/config.js';

/**
 * The 18 tasks of Decision 27/QĐ-UBQGCĐS (15 March 2022) and the indicators
 * this system computes for them. Source: the press report of the decision and
 * Decision 17/QĐ-UBQGCĐS (4 April 2023), as summarised in
 * docs/indicators.md; where the decision states no lead ministry or target,
 * neither does this catalogue.
 */
export interface Target {
  /** Applies from this year until a later target exists. */
  readonly fromYear: number;
  readonly value: number;
  /** The target as the decision words it. */
  readonly statement: string;
  readonly source: string;
}

export type IndicatorUnit = 'PERCENT' | 'PER_1000' | 'PER_100';
export type Direction = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER' | 'NONE';

export interface IndicatorDefinition {
  readonly id: string;
  readonly task: number;
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly unit: IndicatorUnit;
  readonly direction: Direction;
  readonly targets: readonly Target[];
  /** The agency whose subgraph computes it, then any agency whose counts it uses. */
  readonly sources: readonly Agency[];
}

export interface Task {
  readonly number: number;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly leadMinistry: string | null;
  /** The 2022 targets as the decision states them; null where it states none. */
  readonly targetsAsStated: string | null;
}

const decision27 = 'Decision 27/QĐ-UBQGCĐS (2022)';
const decision17 = 'Decision 17/QĐ-UBQGCĐS (2023)';

export const tasks: readonly Task[] = [
  {
    number: 1,
    nameVi: 'Phổ cập điện thoại thông minh và cáp quang băng rộng toàn dân',
    nameEn: 'Smartphones and fibre broadband for everyone',
    leadMinistry: 'Ministry of Information and Communications',
    targetsAsStated: '≥75% of households with fibre; mobile broadband in 100% of villages; 85% of people with a smartphone',
  },
  {
    number: 2,
    nameVi: 'Phổ cập danh tính điện tử toàn dân',
    nameEn: 'Electronic identity for everyone',
    leadMinistry: 'Ministry of Public Security',
    targetsAsStated: '15–20% of people using the e-ID application',
  },
  {
    number: 3,
    nameVi: 'Phổ cập an toàn thông tin mạng, an ninh mạng toàn dân',
    nameEn: 'Cyber safety and cybersecurity for everyone',
    leadMinistry: 'Ministry of Information and Communications (awareness campaigns: Ministry of Public Security)',
    targetsAsStated: 'basic protection software; knowledge and skills for everyone',
  },
  {
    number: 4,
    nameVi: 'Phổ cập hồ sơ sức khỏe điện tử toàn dân',
    nameEn: 'Electronic health records for everyone',
    leadMinistry: 'Ministry of Health',
    targetsAsStated: 'over 90% of people with an e-health record used in care',
  },
  {
    number: 5,
    nameVi: 'Phổ cập dạy học trực tuyến',
    nameEn: 'Online teaching for everyone',
    leadMinistry: 'Ministry of Education and Training',
    targetsAsStated: 'keep a share of online teaching; pilot 5 digital universities',
  },
  {
    number: 6,
    nameVi: 'Điều phối phát triển, sử dụng các nền tảng số',
    nameEn: 'Coordinate national digital platforms',
    leadMinistry: 'Ministry of Information and Communications',
    targetsAsStated: null,
  },
  {
    number: 7,
    nameVi: 'Phổ cập chuyển đổi số trong doanh nghiệp nhỏ và vừa',
    nameEn: 'Digital transformation of small and medium enterprises',
    leadMinistry: null,
    targetsAsStated: null,
  },
  { number: 8, nameVi: 'Phổ cập hóa đơn điện tử', nameEn: 'Electronic invoices', leadMinistry: null, targetsAsStated: null },
  {
    number: 9,
    nameVi: 'Phổ biến nâng cao nhận thức về chuyển đổi số',
    nameEn: 'Awareness of digital transformation',
    leadMinistry: null,
    targetsAsStated: null,
  },
  { number: 10, nameVi: 'Phổ biến kỹ năng số', nameEn: 'Digital skills', leadMinistry: null, targetsAsStated: null },
  {
    number: 11,
    nameVi: 'Thúc đẩy toàn diện các phương thức thanh toán số',
    nameEn: 'Digital payments',
    leadMinistry: null,
    targetsAsStated: null,
  },
  {
    number: 12,
    nameVi: 'Phát triển thương mại điện tử, thương mại số',
    nameEn: 'E-commerce and digital trade',
    leadMinistry: null,
    targetsAsStated: null,
  },
  { number: 13, nameVi: 'Quy hoạch đô thị thông minh', nameEn: 'Smart-city planning', leadMinistry: null, targetsAsStated: null },
  {
    number: 14,
    nameVi: 'Phát triển Hệ thống thông tin báo cáo',
    nameEn: 'Reporting information system',
    leadMinistry: null,
    targetsAsStated: null,
  },
  {
    number: 15,
    nameVi: 'Tăng cường nguồn lực chi nghiên cứu khoa học cho chuyển đổi số',
    nameEn: 'Research spending for digital transformation',
    leadMinistry: null,
    targetsAsStated: null,
  },
  {
    number: 16,
    nameVi: 'Triển khai và đưa vào khai thác cơ sở dữ liệu nông nghiệp',
    nameEn: 'Agriculture database in service',
    leadMinistry: null,
    targetsAsStated: null,
  },
  {
    number: 17,
    nameVi: 'Phát triển Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức',
    nameEn: 'National database of cadres, civil servants and public employees',
    leadMinistry: null,
    targetsAsStated: null,
  },
  {
    number: 18,
    nameVi: 'Điều phối phát triển, kết nối, chia sẻ dữ liệu',
    nameEn: 'Coordinate data connection and sharing',
    leadMinistry: null,
    targetsAsStated: null,
  },
].map((task) => ({ ...task, nameVi: task.nameVi.normalize('NFC') }));

export const indicators: readonly IndicatorDefinition[] = [
  {
    id: 'eIdAdoption',
    task: 2,
    name: 'Electronic identity adoption',
    numerator: 'residents aged 14 or over with an activated level-2 VNeID electronic identity',
    denominator: 'residents aged 14 or over',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [
      { fromYear: 2022, value: 15, statement: '15–20% of people using the e-ID application', source: decision27 },
      { fromYear: 2023, value: 30, statement: 'over 30% of adults with an e-ID account', source: decision17 },
    ],
    sources: ['population'],
  },
  {
    id: 'ehrCoverage',
    task: 4,
    name: 'E-health record coverage',
    numerator: 'e-health records, by the holder’s commune as the health system recorded it',
    denominator: 'residents',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [
      { fromYear: 2022, value: 90, statement: 'over 90% of people with an e-health record used in care', source: decision27 },
      { fromYear: 2023, value: 80, statement: 'over 80% of people with an e-health record', source: decision17 },
    ],
    sources: ['health', 'population'],
  },
  {
    id: 'ehrActiveUse',
    task: 4,
    name: 'E-health records in active use',
    numerator: 'e-health records with an encounter in the 12 months up to the end of the period',
    denominator: 'e-health records',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
    sources: ['health'],
  },
  {
    id: 'civilServantDigitalSkills',
    task: 10,
    name: 'Civil servants trained in digital skills',
    numerator: 'civil servants in service who completed digital-skills training',
    denominator: 'civil servants in service',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
    sources: ['civil-service'],
  },
  {
    id: 'civilServantsPer1000Residents',
    task: 17,
    name: 'Civil servants per 1,000 residents',
    numerator: 'civil servants in service, by workplace commune',
    denominator: 'residents',
    unit: 'PER_1000',
    direction: 'NONE',
    targets: [],
    sources: ['civil-service', 'population'],
  },
  {
    id: 'farmHouseholdsPer100Households',
    task: 16,
    name: 'Farm households in the agriculture database per 100 households',
    numerator: 'farm households registered in the agriculture database',
    denominator: 'households registered in the population database',
    unit: 'PER_100',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
    sources: ['agriculture', 'population'],
  },
  {
    id: 'civilServantPinMatch',
    task: 18,
    name: 'Civil-servant records matched to a citizen',
    numerator: 'civil servants in service whose PIN was found in the population database (checked by the end of the period)',
    denominator: 'civil servants in service',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
    sources: ['civil-service', 'population'],
  },
  {
    id: 'farmHeadPinMatch',
    task: 18,
    name: 'Farm-household heads matched to a citizen',
    numerator: 'farm households whose head’s PIN was found in the population database (checked by the end of the period)',
    denominator: 'farm households',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    targets: [],
    sources: ['agriculture', 'population'],
  },
];

export type IndicatorId = (typeof indicators)[number]['id'];

export function indicatorById(id: string): IndicatorDefinition {
  const definition = indicators.find((indicator) => indicator.id === id);
  if (!definition) throw new Error(`No indicator ${id} in the catalogue`);
  return definition;
}

/** The target in force in a year: the latest set in or before it; none before the first. */
export function targetIn(definition: IndicatorDefinition, year: number): Target | null {
  return [...definition.targets].reverse().find((target) => target.fromYear <= year) ?? null;
}

/**
 * The 18 tasks of Decision 27/QĐ-UBQGCĐS (15 March 2022). Source: the press
 * report of the decision and Decision 17/QĐ-UBQGCĐS (4 April 2023), as
 * summarised in docs/indicators.md; where the decision states no lead
 * ministry or target, neither does this list.
 */
export interface Task {
  readonly number: number;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly leadMinistry: string | null;
  /** The 2022 targets as the decision states them; null where it states none. */
  readonly targetsAsStated: string | null;
}

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

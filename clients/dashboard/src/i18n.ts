import type { Direction, IndicatorUnit } from './queries';
import type { Period } from './periods';

export type Language = 'vi' | 'en';

const strings = {
  vi: {
    title: 'Chuyển đổi số quốc gia: bảng theo dõi',
    subtitle: '18 nhiệm vụ của Quyết định 27/QĐ-UBQGCĐS, từ các cơ sở dữ liệu quốc gia',
    skip: 'Bỏ qua đến nội dung chính',
    switchLanguage: 'English',
    switchLanguageLabel: 'Switch to English',
    views: 'Các trang',
    scorecard: 'Tổng hợp',
    provinces: 'Tỉnh, thành phố',
    communes: 'Xã, phường',
    trend: 'Xu hướng',
    period: 'Kỳ báo cáo',
    periodKind: 'Loại kỳ',
    year: 'Năm',
    quarter: 'Quý',
    month: 'Tháng',
    indicator: 'Chỉ số',
    loading: 'Đang tải số liệu…',
    loaded: 'Đã tải số liệu kỳ {period}.',
    failed: 'Không tải được số liệu: {message}',
    partial: 'Một phần số liệu không tải được: {message}',
    downloadCsv: 'Tải CSV',
    downloadCsvLabel: 'Tải CSV những gì đang hiển thị',
    task: 'Nhiệm vụ',
    taskNumber: 'Số nhiệm vụ',
    taskName: 'Tên nhiệm vụ',
    nationalValue: 'Cả nước',
    value: 'Giá trị',
    target: 'Chỉ tiêu',
    targetOfYear: 'Chỉ tiêu năm {year}',
    status: 'Đánh giá',
    met: 'Đạt',
    notMet: 'Chưa đạt',
    noTarget: 'Không có chỉ tiêu',
    noValue: 'không có số liệu',
    hidden: 'ẩn',
    hiddenFewer: 'ẩn (ít hơn {n})',
    hiddenExplained: 'Số liệu bị ẩn để bảo vệ bí mật: một số đếm dưới ngưỡng công bố.',
    counts: '{numerator} / {denominator}',
    lastMonths: '12 tháng gần nhất',
    scorecardTrendHint: 'Chọn một giá trị để xem xu hướng toàn quốc của chỉ số; chọn tên chỉ số để xem định nghĩa.',
    notConnected: 'Chưa có cơ sở dữ liệu kết nối: chưa đo được',
    sparkline: '{name}, 12 tháng từ {from} đến {to}: {values}',
    province: 'Tỉnh, thành phố',
    commune: 'Xã, phường',
    nation: 'Toàn quốc',
    numerator: 'Tử số',
    denominator: 'Mẫu số',
    unit: 'Đơn vị',
    direction: 'Chiều tốt',
    sources: 'Nguồn dữ liệu',
    targets: 'Chỉ tiêu',
    noTargets: 'chưa đặt chỉ tiêu',
    definitions: 'Định nghĩa các chỉ số',
    definitionOf: 'Định nghĩa: {name}',
    definitionsNote: 'Tử số, mẫu số và chỉ tiêu được ghi như API trả về (tiếng Anh).',
    barChart: 'Biểu đồ cột',
    notDrawn: 'Không có cột: {names}',
    barChartTitle: '{indicator}: 34 tỉnh, thành phố, kỳ {period}',
    barDescription: '{indicator}, kỳ {period}, xếp từ cao đến thấp: {values}.',
    targetLine: 'đường chỉ tiêu {target}',
    tileMap: 'Bản đồ ô',
    tileMapTitle: 'Bản đồ ô: vị trí gần đúng của 34 tỉnh, thành phố',
    tileMapNote:
      'Mỗi ô là một tỉnh, thành phố, đặt theo vị trí gần đúng; màu đậm hơn là giá trị cao hơn. Chọn một ô để xem các xã, phường.',
    legend: 'Chú giải',
    table: 'Bảng số liệu',
    showCommunes: 'Xem các xã, phường của {name}',
    showTrend: 'Xem xu hướng của {name}',
    communesOf: 'Các xã, phường của {name}',
    communesTitle: '{indicator}: các xã, phường của {name}, kỳ {period}',
    communeCount: '{count} xã, phường; {hidden} bị ẩn.',
    trendTitle: '{indicator}: {name}, từ {from} đến {to}',
    trendDescription: '{indicator} của {name} theo kỳ: {values}.',
    area: 'Địa bàn',
    backToProvinces: 'Về danh sách tỉnh, thành phố',
    breadcrumb: 'Vị trí',
    selectProvince: 'Chọn một tỉnh, thành phố trong trang Tỉnh, thành phố để xem các xã, phường.',
    rank: 'Hạng',
    higherIsBetter: 'cao hơn là tốt hơn',
    lowerIsBetter: 'thấp hơn là tốt hơn',
    neither: 'chỉ để tham khảo',
    PERCENT: '%',
    PER_1000: 'trên 1.000',
    PER_100: 'trên 100',
    unitPERCENT: 'phần trăm',
    unitPER_1000: 'trên 1.000',
    unitPER_100: 'trên 100',
    quarterName: 'Quý {part}',
    monthName: 'Tháng {part}',
    yearKind: 'Năm',
    quarterKind: 'Quý',
    monthKind: 'Tháng',
    unknownArea: 'Không có địa bàn {code}',
  },
  en: {
    title: 'National digital transformation: dashboard',
    subtitle: 'The 18 tasks of Decision 27/QĐ-UBQGCĐS, from the national databases',
    skip: 'Skip to the main content',
    switchLanguage: 'Tiếng Việt',
    switchLanguageLabel: 'Chuyển sang tiếng Việt',
    views: 'Pages',
    scorecard: 'Scorecard',
    provinces: 'Provinces',
    communes: 'Communes',
    trend: 'Trend',
    period: 'Period',
    periodKind: 'Kind of period',
    year: 'Year',
    quarter: 'Quarter',
    month: 'Month',
    indicator: 'Indicator',
    loading: 'Loading figures…',
    loaded: 'Figures for {period} loaded.',
    failed: 'The figures could not be loaded: {message}',
    partial: 'Some figures could not be loaded: {message}',
    downloadCsv: 'Download CSV',
    downloadCsvLabel: 'Download CSV of what is on screen',
    task: 'Task',
    taskNumber: 'Task number',
    taskName: 'Task name',
    nationalValue: 'Nation',
    value: 'Value',
    target: 'Target',
    targetOfYear: 'Target for {year}',
    status: 'Status',
    met: 'Met',
    notMet: 'Not met',
    noTarget: 'No target',
    noValue: 'no data',
    hidden: 'hidden',
    hiddenFewer: 'hidden (fewer than {n})',
    hiddenExplained: 'Hidden for confidentiality: a count is below the disclosure threshold.',
    counts: '{numerator} / {denominator}',
    lastMonths: 'Last 12 months',
    scorecardTrendHint: "Choose a value to see the indicator's national trend; choose its name for its definition.",
    notConnected: 'No connected database yet: not measured',
    sparkline: '{name}, 12 months from {from} to {to}: {values}',
    province: 'Province',
    commune: 'Commune',
    nation: 'Nation',
    numerator: 'Numerator',
    denominator: 'Denominator',
    unit: 'Unit',
    direction: 'Better when',
    sources: 'Sources',
    targets: 'Targets',
    noTargets: 'no target set',
    definitions: 'Indicator definitions',
    definitionOf: 'Definition: {name}',
    definitionsNote: 'Numerators, denominators and targets as the API gives them.',
    barChart: 'Bar chart',
    notDrawn: 'Without a bar: {names}',
    barChartTitle: '{indicator}: the 34 provinces, {period}',
    barDescription: '{indicator}, {period}, highest first: {values}.',
    targetLine: 'target line {target}',
    tileMap: 'Tile map',
    tileMapTitle: 'Tile map: the 34 provinces by approximate position',
    tileMapNote: 'Each tile is a province, placed by approximate position; darker is a higher value. Choose a tile to see its communes.',
    legend: 'Legend',
    table: 'Table',
    showCommunes: 'Show the communes of {name}',
    showTrend: 'Show the trend of {name}',
    communesOf: 'Communes of {name}',
    communesTitle: '{indicator}: the communes of {name}, {period}',
    communeCount: '{count} communes; {hidden} hidden.',
    trendTitle: '{indicator}: {name}, {from} to {to}',
    trendDescription: '{indicator} of {name} by period: {values}.',
    area: 'Area',
    backToProvinces: 'Back to the provinces',
    breadcrumb: 'You are here',
    selectProvince: 'Choose a province on the Provinces page to see its communes.',
    rank: 'Rank',
    higherIsBetter: 'higher',
    lowerIsBetter: 'lower',
    neither: 'informative only',
    PERCENT: '%',
    PER_1000: 'per 1,000',
    PER_100: 'per 100',
    unitPERCENT: 'per cent',
    unitPER_1000: 'per 1,000',
    unitPER_100: 'per 100',
    quarterName: 'Q{part}',
    monthName: 'Month {part}',
    yearKind: 'Year',
    quarterKind: 'Quarter',
    monthKind: 'Month',
    unknownArea: 'No area {code}',
  },
} as const;

export type StringKey = keyof (typeof strings)['vi'];

/**
 * Vietnamese names of the indicators the catalogue has today. The API names
 * indicators in English only; an indicator added later shows its API name
 * until it is given one here.
 */
const indicatorNamesVi: Record<string, string> = {
  eIdAdoption: 'Tỷ lệ người dân dùng định danh điện tử mức 2',
  eIdLevel2Share: 'Tỷ lệ tài khoản định danh điện tử mức 2',
  ehrCoverage: 'Tỷ lệ người dân có hồ sơ sức khỏe điện tử',
  ehrActiveUse: 'Tỷ lệ hồ sơ sức khỏe điện tử đang được sử dụng',
  ehrUsedInCare: 'Tỷ lệ người dân có hồ sơ sức khỏe điện tử dùng trong khám chữa bệnh',
  civilServantDigitalSkills: 'Tỷ lệ công chức được bồi dưỡng kỹ năng số',
  civilServantsPer1000Residents: 'Công chức trên 1.000 dân',
  farmHouseholdsPer100Households: 'Hộ nông nghiệp trong cơ sở dữ liệu trên 100 hộ',
  farmHouseholdsWithCropRecords: 'Tỷ lệ hộ nông nghiệp có ghi nhận cây trồng',
  civilServantPinMatch: 'Tỷ lệ hồ sơ công chức khớp số định danh cá nhân',
  farmHeadPinMatch: 'Tỷ lệ chủ hộ nông nghiệp khớp số định danh cá nhân',
};

export interface Translator {
  readonly language: Language;
  t(key: StringKey, values?: Record<string, string | number>): string;
  number(value: number): string;
  /** A count: 12.345 or 12,345. */
  count(value: number): string;
  /** A value with its unit: 45,2 % or 3,1 trên 1.000. */
  value(value: number, unit: IndicatorUnit): string;
  indicatorName(indicator: { id: string; name: string }): string;
  taskName(task: { nameVi: string; nameEn: string }): string;
  unitName(unit: { name: string; nameEn: string } | null | undefined, code: string): string;
  direction(direction: Direction): string;
  period(period: Period): string;
}

export function translator(language: Language): Translator {
  const table = strings[language];
  const numbers = new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const counts = new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 0 });
  const t = (key: StringKey, values: Record<string, string | number> = {}) =>
    table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
  return {
    language,
    t,
    number: (value) => numbers.format(value),
    count: (value) => counts.format(value),
    value: (value, unit) => (unit === 'PERCENT' ? `${numbers.format(value)} %` : `${numbers.format(value)} ${table[unit]}`),
    indicatorName: (indicator) => (language === 'vi' ? (indicatorNamesVi[indicator.id] ?? indicator.name) : indicator.name),
    taskName: (task) => (language === 'vi' ? task.nameVi : task.nameEn),
    unitName: (unit, code) => (code === 'VN' ? table.nation : unit ? (language === 'vi' ? unit.name : unit.nameEn) : code),
    direction: (direction) =>
      direction === 'HIGHER_IS_BETTER' ? table.higherIsBetter : direction === 'LOWER_IS_BETTER' ? table.lowerIsBetter : table.neither,
    period: (period) =>
      period.kind === 'YEAR'
        ? `${period.year}`
        : period.kind === 'QUARTER'
          ? `${t('quarterName', { part: period.part! })}/${period.year}`
          : `${String(period.part).padStart(2, '0')}/${period.year}`,
  };
}

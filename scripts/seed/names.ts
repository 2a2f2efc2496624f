import type { Sex } from '../../platform/pin.js';
import { type Random, WeightedChoice } from './random.js';

/**
 * Vietnamese names (NFC). Family-name shares follow the commonly cited
 * frequencies (Nguyễn about 38%); middle and given names differ by sex.
 */
const nfc = (names: string) => names.normalize('NFC').split(' ');

const familyNames = new WeightedChoice<string>(
  (
    [
      ['Nguyễn', 38],
      ['Trần', 11],
      ['Lê', 9.5],
      ['Phạm', 7],
      ['Hoàng', 3],
      ['Huỳnh', 2.1],
      ['Phan', 4.5],
      ['Vũ', 2.2],
      ['Võ', 1.7],
      ['Đặng', 2.1],
      ['Bùi', 2],
      ['Đỗ', 1.4],
      ['Hồ', 1.3],
      ['Ngô', 1.3],
      ['Dương', 1],
      ['Lý', 0.5],
      ['Đinh', 0.6],
      ['Trương', 0.6],
      ['Lương', 0.4],
      ['Mai', 0.4],
      ['Đoàn', 0.4],
      ['Tô', 0.2],
      ['Hà', 0.4],
      ['Lâm', 0.3],
    ] as const
  ).map(([name, weight]) => [name.normalize('NFC'), weight] as const),
);

const middleNames: Record<Sex, WeightedChoice<string>> = {
  MALE: new WeightedChoice([
    ['Văn', 30],
    ...nfc('Hữu Đức Minh Quang Công Thành Xuân Ngọc Anh Gia Hoàng Tuấn Duy Bảo Trọng').map((name) => [name, 4.5] as const),
  ]),
  FEMALE: new WeightedChoice([
    ['Thị', 40],
    ...nfc('Ngọc Thu Thanh Minh Phương Hồng Bảo Khánh Mai Kim Diệu Thùy Hải Tuyết').map((name) => [name, 4.3] as const),
  ]),
};

const givenNames: Record<Sex, readonly string[]> = {
  MALE: nfc(
    'Anh Hùng Dũng Tuấn Minh Nam Hải Long Phong Sơn Thắng Trung Hiếu Đức Quân Huy Khoa Bảo Khang Phúc Thành Tâm Hoàng Việt Cường Hưng Kiên Lâm Lộc Nghĩa Quang Tài Thịnh Toàn Vinh Đạt Duy Hòa Tùng Vũ Khôi Nhật An',
  ),
  FEMALE: nfc(
    'Anh Linh Hương Lan Mai Ngọc Trang Thảo Hà Hằng Huyền Nhung Oanh Phương Quỳnh Thủy Trâm Tuyết Vân Yến Hoa Hạnh Dung Giang Hiền Loan My Nga Nhi Thư Uyên Vy Châu Diệp Hồng Khánh Ly Ngân Tâm Thu Xuân Chi Ánh',
  ),
};

export function drawFamilyName(random: Random): string {
  return familyNames.draw(random);
}

export function drawFullName(random: Random, sex: Sex, familyName: string): string {
  return `${familyName} ${middleNames[sex].draw(random)} ${random.pick(givenNames[sex])}`;
}

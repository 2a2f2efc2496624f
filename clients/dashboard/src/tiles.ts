/**
 * The tile map: each of the 34 provinces (since 1 July 2025) as one square on
 * a grid, placed by hand at its approximate position, north at the top, so
 * that the country's shape can be read without any geometry. Column 0 is the
 * west. Where a merged province spans the country (Quảng Ngãi with Kon Tum,
 * Gia Lai with Bình Định), it takes the place of its larger part.
 *
 *        0            1            2            3            4
 *  0  Lai Châu     Lào Cai      Tuyên Quang  Cao Bằng
 *  1  Điện Biên    Sơn La       Thái Nguyên  Lạng Sơn
 *  2               Phú Thọ      Hà Nội       Bắc Ninh     Quảng Ninh
 *  3                            Ninh Bình    Hưng Yên     Hải Phòng
 *  4                            Thanh Hoá
 *  5                            Nghệ An      Hà Tĩnh
 *  6                                         Quảng Trị    Huế
 *  7                                                      Đà Nẵng
 *  8                                                      Quảng Ngãi
 *  9                                                      Gia Lai
 * 10                                                      Đắk Lắk
 * 11                                         Lâm Đồng     Khánh Hoà
 * 12               Tây Ninh     Hồ Chí Minh  Đồng Nai
 * 13  An Giang     Đồng Tháp    Vĩnh Long
 * 14  Cà Mau       Cần Thơ
 */
export interface Tile {
  /** The province's 2-digit code. */
  readonly code: string;
  readonly row: number;
  readonly column: number;
}

export const tileRows = 15;
export const tileColumns = 5;

export const tiles: readonly Tile[] = [
  { code: '12', row: 0, column: 0 },
  { code: '15', row: 0, column: 1 },
  { code: '08', row: 0, column: 2 },
  { code: '04', row: 0, column: 3 },
  { code: '11', row: 1, column: 0 },
  { code: '14', row: 1, column: 1 },
  { code: '19', row: 1, column: 2 },
  { code: '20', row: 1, column: 3 },
  { code: '25', row: 2, column: 1 },
  { code: '01', row: 2, column: 2 },
  { code: '24', row: 2, column: 3 },
  { code: '22', row: 2, column: 4 },
  { code: '37', row: 3, column: 2 },
  { code: '33', row: 3, column: 3 },
  { code: '31', row: 3, column: 4 },
  { code: '38', row: 4, column: 2 },
  { code: '40', row: 5, column: 2 },
  { code: '42', row: 5, column: 3 },
  { code: '44', row: 6, column: 3 },
  { code: '46', row: 6, column: 4 },
  { code: '48', row: 7, column: 4 },
  { code: '51', row: 8, column: 4 },
  { code: '52', row: 9, column: 4 },
  { code: '66', row: 10, column: 4 },
  { code: '68', row: 11, column: 3 },
  { code: '56', row: 11, column: 4 },
  { code: '80', row: 12, column: 1 },
  { code: '79', row: 12, column: 2 },
  { code: '75', row: 12, column: 3 },
  { code: '91', row: 13, column: 0 },
  { code: '82', row: 13, column: 1 },
  { code: '86', row: 13, column: 2 },
  { code: '96', row: 14, column: 0 },
  { code: '92', row: 14, column: 1 },
];

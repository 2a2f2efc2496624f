import type { Table } from './common';

/** RFC 4180 CSV, UTF-8 with a byte-order mark so that spreadsheet programs read the Vietnamese letters right. */
export function toCsv(table: Table): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return `\uFEFF${[table.headers, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

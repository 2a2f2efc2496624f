import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Reads a small reference CSV with a header line into records (NFC-normalised).
 * These files are ours and hold no quoted fields, so a quote or a wrong field
 * count is an error in the file, reported with its line.
 */
export async function readCsvFile(file: string | URL): Promise<Record<string, string>[]> {
  const name = typeof file === 'string' ? file : fileURLToPath(file);
  const lines = (await readFile(name, 'utf8'))
    .normalize('NFC')
    .split(/\r?\n/)
    .filter((line) => line !== '');
  const header = (lines.shift() ?? '').split(',');
  return lines.map((line, index) => {
    const fields = line.split(',');
    if (fields.length !== header.length || line.includes('"')) {
      throw new Error(`${name}:${index + 2}: expected ${header.length} plain fields, found ${JSON.stringify(line)}`);
    }
    return Object.fromEntries(header.map((column, position) => [column, fields[position] ?? '']));
  });
}

/** One CSV field for COPY (FORMAT csv): null is an empty unquoted field. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return /[",\n\r]/.test(value) || value === '' ? `"${value.replaceAll('"', '""')}"` : value;
}

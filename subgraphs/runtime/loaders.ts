import DataLoader from 'dataloader';
import type { Database } from '../../platform/database/database.js';

/**
 * Request-scoped batching: every `load` made while one subgraph fetch resolves
 * is gathered into a single call of `fetch`, i.e. one SQL statement, however
 * many entities the gateway sent. Results come back in key order; a key with
 * no row gets null (or, for groups, an empty list).
 */
export function rowLoader<Key, Row>(
  fetch: (keys: readonly Key[]) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
): DataLoader<Key, Row | null> {
  return new DataLoader<Key, Row | null>(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

export function groupLoader<Key, Row>(fetch: (keys: readonly Key[]) => Promise<Row[]>, keyOf: (row: Row) => Key): DataLoader<Key, Row[]> {
  return new DataLoader<Key, Row[]>(async (keys) => {
    const groups = groupBy(await fetch(keys), keyOf);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** Rows grouped by a key, each group in the rows' order. */
export function groupBy<Key, Row>(rows: readonly Row[], keyOf: (row: Row) => Key): Map<Key, Row[]> {
  const groups = new Map<Key, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** A record's last PIN check, as the store keeps it (reconcile writes it there, never into the agency's rows). */
export interface PinCheckRow {
  readonly id: number;
  readonly pin: string;
  readonly status: 'MATCHED' | 'UNMATCHED';
  readonly checkedAt: Date;
}

/** Loads PIN checks by source record id from an agency's store schema. */
export function pinCheckLoader(store: Database, schema: string): DataLoader<number, PinCheckRow | null> {
  return rowLoader(
    (ids: readonly number[]) =>
      store.query<PinCheckRow>(`SELECT id, pin, status, checked_at AS "checkedAt" FROM ${schema}.pin_check WHERE id = ANY($1)`, [ids]),
    (row) => Number(row.id),
  );
}

/** The GraphQL PinCheck of a record: unchecked when never checked, or when its PIN has changed since. */
export function pinCheckOf(check: PinCheckRow | null, pin: string) {
  if (!check || check.pin.trim() !== pin.trim()) return { status: 'UNCHECKED' as const, checkedAt: null };
  return { status: check.status, checkedAt: check.checkedAt.toISOString() };
}

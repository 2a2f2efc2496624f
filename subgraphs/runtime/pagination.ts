import { badUserInput } from '../../platform/errors.js';

/** Cursor pagination by a row's numeric id, the order every listing uses. */
export const maximumPageSize = 500;

export interface PageRequest {
  readonly first: number;
  /** Rows after this id. */
  readonly afterId: number;
}

export interface Page<Row> {
  readonly nodes: readonly Row[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > maximumPageSize) {
    throw badUserInput(`first must be between 1 and ${maximumPageSize}, got ${size}`);
  }
  return { first: size, afterId: after ? decodeCursor(after) : 0 };
}

/** `rows` holds up to first + 1 rows: the extra one only says that another page exists. */
export function toPage<Row extends { id: number | string }>(rows: readonly Row[], request: PageRequest): Page<Row> {
  const nodes = rows.slice(0, request.first);
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage: rows.length > request.first, endCursor: last ? encodeCursor(Number(last.id)) : null } };
}

export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^id:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badUserInput(`after is not a cursor this listing gave out: ${JSON.stringify(cursor)}`);
  return Number(match[1]);
}

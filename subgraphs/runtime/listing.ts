import { assertCommuneCode } from '../../platform/administrative-codes.js';
import { pageRequest, toPage, type Page } from './pagination.js';

/**
 * A page of an agency's rows in one commune, by id: validates the arguments,
 * asks `fetch` for one row more than the page (to know whether another page
 * exists) and builds the page.
 */
export async function communePage<Row extends { id: number }>(
  args: { communeCode: string; first?: number | null; after?: string | null },
  fetch: (communeCode: string, afterId: number, limit: number) => Promise<Row[]>,
): Promise<Page<Row>> {
  assertCommuneCode(args.communeCode, 'communeCode');
  const request = pageRequest(args.first, args.after);
  return toPage(await fetch(args.communeCode, request.afterId, request.first + 1), request);
}

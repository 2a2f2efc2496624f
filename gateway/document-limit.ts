import { AppError, ErrorCode } from '../platform/errors.js';

/**
 * Refuses a query document longer than `limitBytes` (UTF-8, comments and
 * whitespace included) before anything parses it. graphql-js's token limit
 * skips comments, so a short query padded with a comment of 250 KB passed
 * every other limit and was kept for a day as a persisted query. Reads the
 * document where GraphQL over HTTP puts it: `query` in a POST body or in a
 * GET's search parameters.
 */
export function documentTooLarge(
  method: string | undefined,
  body: unknown,
  search: URLSearchParams,
  limitBytes: number,
): AppError | undefined {
  if (limitBytes <= 0) return undefined;
  const query =
    method === 'GET' ? search.get('query') : typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : undefined;
  if (typeof query !== 'string') return undefined;
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes <= limitBytes) return undefined;
  return new AppError(
    ErrorCode.DOCUMENT_TOO_LARGE,
    `The query document is ${bytes} bytes, over the ${limitBytes} allowed (comments count): send a shorter one`,
    {
      extensions: { bytes, limit: limitBytes },
    },
  );
}

/** Whether a request body sends a document together with its persisted-query hash: a registration, which the store keeps. */
export function registersPersistedQuery(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { query, extensions } = body as { query?: unknown; extensions?: { persistedQuery?: unknown } };
  return typeof query === 'string' && typeof extensions === 'object' && extensions !== null && extensions.persistedQuery !== undefined;
}

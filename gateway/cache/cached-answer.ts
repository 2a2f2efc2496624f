import type { HttpAnswer } from '../../platform/http.js';

/** An answer as the store keeps it. */
export interface CachedAnswer {
  readonly body: string;
  readonly storedAt: number;
  readonly maxAge: number;
}

/** An answer kept in this process, its bytes encoded once. */
export interface LocalAnswer {
  readonly bytes: Buffer;
  readonly storedAt: number;
  readonly maxAge: number;
  /** An invalidation marked it stale. */
  stale: boolean;
  /** The subgraphs that served it, when this process computed it (not known of an answer only other replicas computed). */
  readonly subgraphs?: ReadonlySet<string>;
}

const ageOf = (cached: LocalAnswer) => Math.max(0, Math.floor((Date.now() - cached.storedAt) / 1000));

/** A kept answer within its max-age: its bytes, and how long a client may keep it still. */
export function freshAnswer(cached: LocalAnswer): HttpAnswer & { age: number } {
  const age = ageOf(cached);
  return {
    status: 200,
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', `max-age=${cached.maxAge - age}, public`],
    ],
    body: cached.bytes,
    age,
  };
}

/**
 * A kept answer served stale: its bytes as kept (parsing a commune dashboard
 * to add a note would cost more than the hit), unless its last recomputation
 * failed for want of a subgraph, which `extensions.stale` then names.
 */
export function staleAnswer(
  cached: LocalAnswer,
  failedSubgraphs: readonly string[] | undefined,
): HttpAnswer & { age: number; stale: true } {
  const age = ageOf(cached);
  let body: Buffer | string = cached.bytes;
  if (failedSubgraphs && failedSubgraphs.length > 0) {
    const parsed = JSON.parse(cached.bytes.toString()) as { extensions?: Record<string, unknown> };
    parsed.extensions = { ...parsed.extensions, stale: { ageSeconds: age, failedSubgraphs } };
    body = JSON.stringify(parsed);
  }
  return {
    status: 200,
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', 'no-store'],
      ['warning', '110 - "Response is Stale"'],
    ],
    body,
    age,
    stale: true,
  };
}

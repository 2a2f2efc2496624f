import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const requestIdHeader = 'x-request-id';

/** What a caller's own id may look like: a token a log line, a header and the audit trail carry safely. */
const saneRequestId = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;
const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The id of a request: the caller's `x-request-id` when it is a sane token
 * (8 to 128 letters, digits, `.`, `_`, `:`, `-`), so a client can follow its
 * request through our logs and audit trail; otherwise a new UUID. The same
 * for every part of the gateway that asks, for the life of the request.
 */
export function requestIdOf(request: IncomingMessage): string {
  let id = assigned.get(request);
  if (id === undefined) {
    const offered = request.headers[requestIdHeader];
    id = typeof offered === 'string' && saneRequestId.test(offered) ? offered : randomUUID();
    assigned.set(request, id);
  }
  return id;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../platform/access/caller.js';
import { log } from '../platform/log.js';
import { activeTraceId } from '../platform/telemetry.js';
import { requestIdOf } from './request-id.js';

/**
 * One log line per request, written when its answer is done: what the parts
 * of the gateway learned about it on the way (who asked, which operation,
 * what each subgraph took, the error codes), gathered here by request id.
 * Never a variable, an answer or an error message: they may hold a PIN.
 */
export interface RequestFacts {
  subject?: string;
  agency?: string | null;
  via?: Caller['via'];
  operationName?: string | null;
  /** SHA-256 of the operation's text: the operation without its variables. */
  operationHash?: string;
  errorCodes?: string[];
  readonly subgraphs: Array<{ readonly name: string; readonly ms: number; readonly outcome: 'ok' | 'failed' }>;
}

const underWay = new Map<string, RequestFacts>();

/** The facts of a request under way, by its id (made on first use; forgotten when its line is written). */
export function factsOf(requestId: string): RequestFacts {
  let facts = underWay.get(requestId);
  if (!facts) underWay.set(requestId, (facts = { subgraphs: [] }));
  return facts;
}

export function recordCaller(caller: Caller): void {
  Object.assign(factsOf(caller.requestId), { subject: caller.subject, agency: caller.agency, via: caller.via });
}

/**
 * The request's trace id, so a log line can be found from its trace: with
 * tracing on, the id of the trace its spans are in (the caller's, when it sent
 * a valid `traceparent`); off, the W3C trace id the caller sent, if any.
 */
function traceIdOf(request: IncomingMessage): string | undefined {
  const traced = activeTraceId();
  if (traced) return traced;
  const header = request.headers.traceparent;
  return typeof header === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(header.trim())?.[1] : undefined;
}

/** Writes the request's line once its answer is finished (or its connection gone). */
export function logWhenDone(request: IncomingMessage, response: ServerResponse, path: string): void {
  const started = performance.now();
  const requestId = requestIdOf(request);
  // Now, inside the request's span: the close event may come in another context.
  const traceId = traceIdOf(request);
  response.once('close', () => {
    const facts = underWay.get(requestId);
    underWay.delete(requestId);
    const cache = response.getHeader('x-cache');
    log.info(
      {
        requestId,
        traceId,
        method: request.method,
        path,
        status: response.statusCode,
        completed: response.writableFinished,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(typeof cache === 'string' ? { cache } : {}),
        ...facts,
      },
      'request',
    );
  });
}

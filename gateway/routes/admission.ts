import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../../platform/access/caller.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { sendError } from '../../platform/http.js';
import { carriesCredentials, rateLimitKey } from '../auth/authenticate.js';
import { registersPersistedQuery } from '../document-limit.js';
import { recordCaller } from '../request-log.js';
import type { GatewaySecurity } from '../security.js';

/** Who is asking, and whether they may ask now; on refusal the answer is written and undefined returned. */
export type Admit = (request: IncomingMessage, response: ServerResponse, body?: unknown) => Promise<Caller | undefined>;

/**
 * Admission for every route that needs a caller: a failed-authentication
 * limit per address, authentication, then the caller's request budget. A
 * request that registers a persisted query counts twice: it leaves something
 * behind in the store.
 */
export function createAdmission(security: GatewaySecurity): Admit {
  return async (request, response, body) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    try {
      if (carriesCredentials(request)) security.authFailures?.check(address);
      const caller = await security.authenticate(request).catch(async (error: unknown) => {
        if (error instanceof AppError && error.code === ErrorCode.UNAUTHENTICATED) await security.authFailures?.failed(address);
        throw error;
      });
      recordCaller(caller);
      await security.rateLimiter?.consume(rateLimitKey(caller, request));
      if (registersPersistedQuery(body)) await security.rateLimiter?.consume(rateLimitKey(caller, request));
      return caller;
    } catch (error) {
      const refusal =
        error instanceof AppError ? error : new AppError(ErrorCode.UNAUTHENTICATED, 'The credentials cannot be checked', { cause: error });
      const retryAfter = refusal.extensions.retryAfterSeconds;
      sendError(response, refusal, retryAfter === undefined ? [] : [['retry-after', String(retryAfter)]]);
      return undefined;
    }
  };
}

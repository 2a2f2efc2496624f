import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../platform/http.js';
import { AppError, ErrorCode } from '../platform/errors.js';

/** What a browser page may send: JSON, credentials, the purpose, and Apollo's CSRF-prevention and client headers. */
export const corsRequestHeaders = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-purpose',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];
/** What a page may read of an answer beyond the simple headers. */
export const corsExposedHeaders = ['x-request-id', 'x-cache', 'age', 'retry-after'];
/** How long a browser may reuse a preflight's answer (s). */
export const corsMaxAgeSeconds = 600;
const methods = 'GET, POST, OPTIONS';

/**
 * CORS for the GraphQL endpoint, from an allow-list of exact origins
 * (CORS_ORIGINS). An allowed origin gets its own origin back, never `*`, so
 * that one origin's answers are not handed to another by a shared cache
 * (`Vary: Origin` says so too); an origin not on the list gets no CORS header,
 * and the browser keeps the answer from the page.
 */
export function createCors(origins: readonly string[]) {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  const allows = (origin: string | undefined): origin is string => origin !== undefined && (anyOrigin || allowed.has(origin));
  return {
    /**
     * Adds the CORS headers an answer to `request` needs; answers a preflight (or any OPTIONS)
     * itself and returns true, in which case the request is done.
     */
    handle(request: IncomingMessage, response: ServerResponse): boolean {
      const origin = request.headers.origin;
      response.setHeader('vary', 'Origin');
      if (allows(origin)) {
        response.setHeader('access-control-allow-origin', origin);
        response.setHeader('access-control-expose-headers', corsExposedHeaders.join(', '));
      }
      if (request.method !== 'OPTIONS') return false;
      const preflight = origin !== undefined && request.headers['access-control-request-method'] !== undefined;
      if (preflight && !allows(origin)) {
        sendError(
          response,
          new AppError(ErrorCode.FORBIDDEN, `Pages from ${origin} may not call this API from a browser (it is not in CORS_ORIGINS)`),
        );
        return true;
      }
      if (preflight) {
        response.setHeader('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
        response.setHeader('access-control-allow-methods', methods);
        response.setHeader('access-control-allow-headers', corsRequestHeaders.join(', '));
        response.setHeader('access-control-max-age', String(corsMaxAgeSeconds));
      }
      response.writeHead(204, { allow: methods }).end();
      return true;
    },
  };
}

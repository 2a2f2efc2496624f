import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../platform/http.js';
import type { Explorer } from '../explorer/index.js';
import { requestIdHeader, requestIdOf } from '../request-id.js';
import { logWhenDone } from '../request-log.js';
import { graphqlPath } from './graphql.js';

/** What answers one path. */
export type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/** `/` sends a browser to the explorer. */
export const toExplorer: Route = (_request, response) => {
  response.writeHead(302, { location: graphqlPath }).end();
};

/**
 * The gateway's one request handler: the explorer's page and assets first
 * (a browser's GET /graphql is the explorer), then the route of the path,
 * else 404.
 */
export function createRouter(routes: ReadonlyMap<string, Route>, explorer: Explorer) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // On every answer, refusals included: the id the audit trail records a request under, which a client can quote.
    response.setHeader(requestIdHeader, requestIdOf(request));
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    logWhenDone(request, response, path);
    if (explorer.handle(request, response, path)) return;
    const route = routes.get(path);
    if (route) return route(request, response);
    sendJson(response, 404, { error: `No route ${path}; GraphQL and the explorer are at ${graphqlPath}` });
  };
}

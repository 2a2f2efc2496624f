import type { ServerResponse } from 'node:http';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { failed, readRequestBody, sendError, sendJson } from '../../platform/http.js';
import { subgraphsOfType, type Invalidation, type InvalidationMessage } from '../cache/invalidation.js';
import type { Admit } from './admission.js';
import type { Route } from './index.js';

export const cacheAdminPath = '/admin/cache/invalidate';

export const cacheAdminScope = 'cache:admin';

export interface CacheAdminOptions {
  readonly invalidation: Invalidation;
  readonly supergraphSdl: string;
  readonly subgraphNames: readonly string[];
  readonly admit: Admit;
  readonly maximumBodyBytes: number;
}

/**
 * POST /admin/cache/invalidate with `{ "subgraphs": [...], "types": [...], "entities": [{ "type", "key" }] }`:
 * publishes an invalidation that every replica (this one included) carries out.
 */
export function createCacheAdminRoute(options: CacheAdminOptions): Route {
  const refuse = (response: ServerResponse, code: ErrorCode, message: string) => sendError(response, new AppError(code, message));

  return async (request, response) => {
    const read = await readRequestBody(request, response, options.maximumBodyBytes);
    if (read === failed) return;
    const caller = await options.admit(request, response);
    if (!caller) return;
    const body = read.value;
    if (request.method !== 'POST') return refuse(response, ErrorCode.METHOD_NOT_ALLOWED, `Use POST on ${cacheAdminPath}`);
    if (!caller.scopes.has(cacheAdminScope))
      return refuse(response, ErrorCode.FORBIDDEN, `Invalidating the cache needs the ${cacheAdminScope} scope`);
    const {
      subgraphs = [],
      types = [],
      entities = [],
    } = (typeof body === 'object' && body !== null ? body : {}) as {
      subgraphs?: unknown;
      types?: unknown;
      entities?: unknown;
    };
    if (!Array.isArray(subgraphs) || !Array.isArray(types) || !Array.isArray(entities)) {
      return refuse(response, ErrorCode.BAD_USER_INPUT, 'subgraphs and types are lists of names; entities a list of { type, key }');
    }
    const message: { subgraphs: string[]; entities: Array<{ type: string; key: Record<string, unknown> }> } = {
      subgraphs: [],
      entities: [],
    };
    for (const name of subgraphs) {
      if (!options.subgraphNames.includes(String(name)))
        return refuse(response, ErrorCode.BAD_USER_INPUT, `No subgraph is called ${JSON.stringify(name)}`);
      message.subgraphs.push(String(name));
    }
    for (const type of types) {
      const owners = subgraphsOfType(options.supergraphSdl, String(type));
      if (owners.length === 0) return refuse(response, ErrorCode.BAD_USER_INPUT, `No type is called ${JSON.stringify(type)}`);
      message.subgraphs.push(...owners);
    }
    for (const entity of entities as Array<{ type?: unknown; key?: unknown }>) {
      if (
        typeof entity?.type !== 'string' ||
        subgraphsOfType(options.supergraphSdl, entity.type).length === 0 ||
        typeof entity.key !== 'object' ||
        entity.key === null
      ) {
        return refuse(
          response,
          ErrorCode.BAD_USER_INPUT,
          `Each entity is { "type": a type of the schema, "key": its key fields }, got ${JSON.stringify(entity)}`,
        );
      }
      message.entities.push({ type: entity.type, key: entity.key as Record<string, unknown> });
    }
    if (message.subgraphs.length === 0 && message.entities.length === 0)
      return refuse(response, ErrorCode.BAD_USER_INPUT, 'Say what changed: subgraphs, types or entities');
    const invalidation: InvalidationMessage = { subgraphs: [...new Set(message.subgraphs)], entities: message.entities };
    await options.invalidation.publish(invalidation);
    sendJson(response, 202, { invalidated: invalidation });
  };
}

import { describe, expect, it } from 'vitest';
import {
  cacheKeyPrefix,
  entityKey,
  entitySubgraphTag,
  entityTag,
  invalidationChannel,
  persistedQueryPrefix,
  responseKey,
  subgraphTag,
} from '../../../gateway/cache/keys.js';

const supergraph = 'type Query @join__type(graph: POPULATION) { province(code: ID!): Province }';

describe('cache keys', () => {
  it('prefixes keys with the deployment and a short hash of the supergraph', () => {
    const prefix = cacheKeyPrefix('vn-gateway', supergraph);
    expect(prefix).toMatch(/^vn-gateway:[0-9a-f]{12}$/);
    expect(cacheKeyPrefix('vn-gateway', supergraph)).toBe(prefix);
    expect(cacheKeyPrefix('vn-gateway', `${supergraph}\n`)).not.toBe(prefix);
    expect(invalidationChannel(prefix)).toBe(`${prefix}:invalidate`);
  });

  it('keeps each layer under its own part of the prefix, where other replicas and the tools look for it', () => {
    expect(responseKey('p', 'operation', 'variables')).toBe('p:response:operation|variables');
    expect(subgraphTag('p', 'health')).toBe('p:tag:health');
    expect(entityKey('p', 'health', '{ _entities }', { __typename: 'AreaStats' })).toMatch(/^p:entity:health:[\w-]{24}:[\w-]{24}$/);
    expect(entitySubgraphTag('p', 'health')).toBe('p:entity-subgraph:health');
    expect(entityTag('p', 'AreaStats', { unitCode: '01' })).toMatch(/^p:entity-key:AreaStats:[\w-]{24}$/);
    expect(persistedQueryPrefix('p')).toBe('p:apq:');
  });
});

import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../../gateway/config.js';

describe('readGatewayConfig', () => {
  it('listens on 127.0.0.1:4000 and keeps the supergraph URLs by default', () => {
    expect(readGatewayConfig({})).toMatchObject({ port: 4000, host: '127.0.0.1', subgraphUrls: {}, redisUrl: undefined, cachePrefix: 'vn-gateway', cacheEnabled: true });
  });

  it('takes a Redis URL or a list of cluster nodes', () => {
    expect(readGatewayConfig({ REDIS_URL: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000' }).redisUrl).toBe('redis://10.0.0.1:7000,redis://10.0.0.2:7000');
    expect(readGatewayConfig({ CACHE: 'off' }).cacheEnabled).toBe(false);
  });

  it('takes SUBGRAPH_<NAME>_URL overrides', () => {
    expect(readGatewayConfig({ SUBGRAPH_CIVIL_SERVICE_URL: 'http://civil:4002/graphql', PORT: '8080', GATEWAY_SIGNING_SECRET: 'x'.repeat(32) })).toMatchObject({
      port: 8080,
      subgraphUrls: { 'civil-service': 'http://civil:4002/graphql' },
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['SUBGRAPH_HEALTH_URL', 'health:4004'],
    ['SUBGRAPH_POPULATION_URL', 'ftp://x/graphql'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_URL', 'redis://a:6379,http://b:6379'],
    ['CACHE_PREFIX', 'has spaces'],
    ['CACHE', 'maybe'],
  ])('stops on a bad %s, naming it', (variable, value) => {
    expect(() => readGatewayConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

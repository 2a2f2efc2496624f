import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../../gateway/config.js';

describe('readGatewayConfig', () => {
  it('listens on 127.0.0.1:4000 and keeps the supergraph URLs by default', () => {
    expect(readGatewayConfig({})).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      subgraphUrls: {},
      redisUrl: undefined,
      cachePrefix: 'vn-gateway',
      cacheEnabled: true,
    });
  });

  it('gives every subgraph fetch a deadline: 10 s unless SUBGRAPH_TIMEOUT_MS says otherwise', () => {
    expect(readGatewayConfig({}).subgraphTimeoutMs).toBe(10_000);
    expect(readGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '' }).subgraphTimeoutMs).toBe(10_000);
    expect(readGatewayConfig({}).breakerResetMs).toBe(2_000);
    expect(readGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '1500' }).subgraphTimeoutMs).toBe(1_500);
    expect(readGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '1' }).subgraphTimeoutMs).toBe(1);
    expect(readGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '300000' }).subgraphTimeoutMs).toBe(300_000);
  });

  it.each([
    ['0', 'must be at least 1 (every subgraph fetch has a deadline) (got "0")'],
    ['-5', 'must be at least 1 (every subgraph fetch has a deadline) (got "-5")'],
    ['2.5', 'must be a whole number of milliseconds from 1 to 300000 (got "2.5")'],
    ['soon', 'must be a whole number of milliseconds from 1 to 300000 (got "soon")'],
    ['300001', 'must be at most 300000 (5 minutes) (got "300001")'],
  ])('refuses SUBGRAPH_TIMEOUT_MS=%s: there is no fetch without a deadline', (value, problem) => {
    expect(() => readGatewayConfig({ SUBGRAPH_TIMEOUT_MS: value })).toThrow(`Invalid configuration: SUBGRAPH_TIMEOUT_MS ${problem}`);
  });

  it('takes a Redis URL or a list of cluster nodes', () => {
    expect(readGatewayConfig({ REDIS_URL: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000' }).redisUrl).toBe(
      'redis://10.0.0.1:7000,redis://10.0.0.2:7000',
    );
    expect(readGatewayConfig({ CACHE: 'off' }).cacheEnabled).toBe(false);
  });

  it('takes SUBGRAPH_<NAME>_URL overrides', () => {
    expect(
      readGatewayConfig({ SUBGRAPH_CIVIL_SERVICE_URL: 'http://civil:4002/graphql', PORT: '8080', GATEWAY_SIGNING_SECRET: 'x'.repeat(32) }),
    ).toMatchObject({
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
    ['SUBGRAPH_TIMEOUT_MS', '0'],
  ])('stops on a bad %s, naming it', (variable, value) => {
    expect(() => readGatewayConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../../../gateway/config.js';
import { clusterOf, createRedisStore, withoutPassword } from '../../../gateway/cache/redis-store.js';
import type { CacheStore } from '../../../gateway/cache/store.js';
import { RedisCluster } from '../../../scripts/topology/redis-cluster.js';
import { patientCommandTimeoutMs } from '../../support/redis.js';
import { eventually } from '../../support/system.js';

describe('the nodes of a Redis Cluster in REDIS_URL', () => {
  it('are read with the credentials and TLS of the first URL', () => {
    expect(clusterOf(['rediss://gateway:s%40cret@10.0.0.1:7000', 'rediss://gateway:s%40cret@10.0.0.2', 'rediss://[::1]:7002'])).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      options: { username: 'gateway', password: 's@cret', tls: {} },
    });
    expect(clusterOf(['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000']).options).toEqual({});
  });

  it('must share one scheme and one set of credentials', () => {
    for (const url of ['redis://a:7000,rediss://b:7000', 'redis://:one@a:7000,redis://:two@b:7000', 'redis://a:7000,redis://:two@b:7000'])
      expect(() => readGatewayConfig({ REDIS_URL: url }), url).toThrow(
        /REDIS_URL.*same scheme \(redis:\/\/ or rediss:\/\/\) and credentials/s,
      );
    expect(readGatewayConfig({ REDIS_URL: 'rediss://:one@a:7000, rediss://:one@b:7000' }).redisUrl).toBe(
      'rediss://:one@a:7000, rediss://:one@b:7000',
    );
    expect(() => readGatewayConfig({ REDIS_URL: 'redis://a:7000,http://b' })).toThrow(/must be a redis:\/\/ URL/);
  });

  it('are shown in messages without their password', () => {
    expect(withoutPassword('rediss://gateway:s%40cret@10.0.0.1:7000,redis://:other@10.0.0.2,redis://10.0.0.3')).toBe(
      'rediss://gateway:***@10.0.0.1:7000,redis://:***@10.0.0.2,redis://10.0.0.3',
    );
  });
});

describe('a Redis Cluster that wants a password', () => {
  const password = 'topology s3cret/with:signs';
  let directory: string;
  let cluster: RedisCluster;
  const stores: CacheStore[] = [];
  const storeOf = (url: string) => {
    const store = createRedisStore({ url, commandTimeoutMs: patientCommandTimeoutMs });
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'cluster-credentials-'));
    await mkdir(path.join(directory, 'logs'));
    cluster = await RedisCluster.start(directory, path.join(directory, 'logs'), { password });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await cluster?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('is reached on every node, for commands and for the invalidation channel, with the password in REDIS_URL', async () => {
    const store = storeOf(cluster.url);
    await store.ready(30_000);
    // Thirty keys land in the slots of all three nodes: each node's connection authenticated.
    const keys = Array.from({ length: 30 }, (_, index) => `credentials:k${index}`);
    await Promise.all(keys.map((key) => store.set(key, key, 60)));
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys);
    const listener = storeOf(cluster.url);
    const heard: string[] = [];
    await listener.subscribe('credentials:channel', (message) => heard.push(message));
    await store.publish('credentials:channel', 'hello');
    expect(await eventually(async () => heard.length === 1, 10_000)).toBe(true);
  });

  it('is not reached without it', async () => {
    const store = storeOf(cluster.url.replaceAll(`:${encodeURIComponent(password)}@`, ''));
    const answered = await store
      .ready(5_000)
      .then(() => store.get('credentials:k0'))
      .then(
        () => true,
        () => false,
      );
    expect(answered).toBe(false);
  });
});

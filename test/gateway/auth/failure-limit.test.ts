import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFailureLimit } from '../../../gateway/auth/failure-limit.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../../support/redis.js';
import type { TestSecurity } from '../../support/security.js';
import { bearer, post, startReplica, startTestSystem, type TestSystem, securityBeside } from '../../support/system.js';
import type { RunningGateway } from '../../../gateway/server.js';

const prefix = uniquePrefix('auth-failures');

describe('failed authentications per address', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    await deleteKeys(prefix);
    redis?.disconnect();
  });

  it('refuses an address past the limit, before checking anything more from it, and leaves others alone', async () => {
    const limit = createAuthFailureLimit({ perMinute: 3, keyPrefix: `${prefix}:one` })!;
    for (let failure = 0; failure < 3; failure++) await limit.failed('10.0.0.1');
    limit.check('10.0.0.1');
    await expect(limit.failed('10.0.0.1')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      httpStatus: 429,
      extensions: { retryAfterSeconds: expect.any(Number) },
    });
    expect(() => limit.check('10.0.0.1')).toThrow(
      /Too many failed authentications from this address: at most 3 a minute; try again in \d+ s/,
    );
    limit.check('10.0.0.2');
  });

  it('is counted in Redis, so replicas share one count', async () => {
    const [first, second] = [1, 2].map(() => createAuthFailureLimit({ perMinute: 3, keyPrefix: `${prefix}:shared`, redis })!);
    await first!.failed('10.0.0.3');
    await second!.failed('10.0.0.3');
    await first!.failed('10.0.0.3');
    await expect(second!.failed('10.0.0.3')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('is off at 0', () => {
    expect(createAuthFailureLimit({ perMinute: 0, keyPrefix: prefix })).toBeUndefined();
  });
});

describe('a gateway with AUTH_FAILURES_PER_MINUTE', () => {
  let test: TestSystem;
  let security: TestSecurity;
  let gateway: RunningGateway;
  beforeAll(async () => {
    test = await startTestSystem();
    security = await securityBeside(test, { AUTH_FAILURES_PER_MINUTE: '3' }, { keyPrefix: uniquePrefix('gateway-auth-failures') });
    gateway = await startReplica(test, { security: security.security });
  });
  afterAll(async () => {
    await gateway?.stop();
    await security?.close();
    await test?.stop();
  });

  it('answers 429 to an address that keeps sending bad keys, even its good token, while its anonymous requests still pass', async () => {
    const query = '{ tasks { number } }';
    const badKey = { 'x-api-key': `vnk_${'0'.repeat(12)}_${'A'.repeat(43)}` };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await post(gateway.url, query, undefined, badKey)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const good = bearer(await security.token({ scopes: ['indicators:read'] }));
    expect(await post(gateway.url, query, undefined, good)).toMatchObject({
      status: 429,
      errors: [{ extensions: { code: 'RATE_LIMITED' } }],
    });
    expect((await post(gateway.url, query)).status).toBe(200);
  });
});

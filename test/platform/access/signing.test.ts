import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerHeader, encodeCaller } from '../../../platform/access/caller.js';
import { gatewayHeaders, signatureHeader, signatureToleranceMs, signRequest, verifySignature } from '../../../platform/access/signing.js';
import {
  entitiesQuery,
  signedPost,
  startTestSubgraph,
  testSigningSecret,
  trustedCaller,
  type TestSubgraph,
} from '../../support/subgraph.js';

const secret = testSigningSecret;

describe('request signatures', () => {
  const body = '{"query":"{ _service { sdl } }"}';
  const caller = encodeCaller(trustedCaller);
  // A fixed time: every check below is about the header, not the machine's clock.
  const now = 1_790_000_000_000;
  const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
  const refused = (reason: string) => ({ valid: false, reason });

  it('signs the time, the forwarded caller and the exact body, each on its own line, with HMAC-SHA256', () => {
    expect(signRequest(secret, caller, body, now)).toBe(`t=${now},v1=${hmac(secret, `${now}\n${caller}\n${body}`)}`);
  });

  it('gives the gateway both headers: the caller as forwarded and a signature over it, at the present time', () => {
    const before = Date.now();
    const headers = gatewayHeaders(secret, caller, body);
    expect(Object.keys(headers).sort()).toEqual(['x-gateway-caller', 'x-gateway-signature']);
    expect(headers[callerHeader]).toBe(caller);
    const time = Number(/^t=(\d+),/.exec(headers[signatureHeader]!)![1]);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(headers[signatureHeader]).toBe(signRequest(secret, caller, body, time));
  });

  it('accepts what was signed with the secret, within the time window', () => {
    expect(verifySignature(secret, signRequest(secret, caller, body), caller, body)).toEqual({ valid: true });
    expect(verifySignature(secret, signRequest(secret, caller, body, now - 50_000), caller, body, now)).toEqual({ valid: true });
  });

  it('accepts a signature up to a minute old or a minute ahead, and no further', () => {
    expect(signatureToleranceMs).toBe(60_000);
    for (const skew of [-60_000, 60_000]) {
      expect(verifySignature(secret, signRequest(secret, caller, body, now + skew), caller, body, now)).toEqual({ valid: true });
    }
    for (const skew of [-60_001, 60_001]) {
      expect(verifySignature(secret, signRequest(secret, caller, body, now + skew), caller, body, now)).toEqual(
        refused('the signature has expired (or the clocks disagree by more than a minute)'),
      );
    }
  });

  it.each([
    ['no signature', () => undefined, caller, body, 'the request has no x-gateway-signature header: subgraphs answer only the gateway'],
    ['an empty signature', () => '', caller, body, 'the request has no x-gateway-signature header: subgraphs answer only the gateway'],
    ['a malformed one', () => 'v1=abc', caller, body, 'the x-gateway-signature header is malformed'],
    [
      'another secret',
      () => signRequest('another-secret-of-32-characters-long!', caller, body, now),
      caller,
      body,
      'the signature does not match',
    ],
    [
      'a changed body',
      () => signRequest(secret, caller, body, now),
      caller,
      body.replace('sdl', 'sdl __typename'),
      'the signature does not match',
    ],
    [
      'a changed caller',
      () => signRequest(secret, caller, body, now),
      encodeCaller({ ...trustedCaller, subject: 'someone-else' }),
      body,
      'the signature does not match',
    ],
    [
      'an old signature (replayed)',
      () => signRequest(secret, caller, body, now - 120_000),
      caller,
      body,
      'the signature has expired (or the clocks disagree by more than a minute)',
    ],
    [
      'a time it changed (signed for another time)',
      () => signRequest(secret, caller, body, now).replace(`t=${now}`, `t=${now + 1}`),
      caller,
      body,
      'the signature does not match',
    ],
  ])('refuses %s', (_name, header, sentCaller, sentBody, reason) => {
    expect(verifySignature(secret, header(), sentCaller, sentBody, now)).toEqual(refused(reason));
  });

  // Headers are made inside the test, not while tests are collected, so mutation testing knows which test covers signRequest.
  const digestOf = (header: string) => header.slice(header.indexOf('v1=') + 3);
  it.each<[string, (valid: string, hex: string) => string]>([
    ['text before it', (valid) => `x${valid}`],
    ['text after it', (valid) => `${valid}0`],
    ['a time of 16 digits', (_valid, hex) => `t=1${'0'.repeat(15)},v1=${hex}`],
    ['no time', (_valid, hex) => `t=,v1=${hex}`],
    ['a time that is not digits', (_valid, hex) => `t=1a,v1=${hex}`],
    ['capital hex digits', (_valid, hex) => `t=${now},v1=${hex.toUpperCase()}`],
    ['a digest one digit short', (_valid, hex) => `t=${now},v1=${hex.slice(1)}`],
    ['a digest one digit long', (_valid, hex) => `t=${now},v1=${hex}a`],
    ['a digest with a non-hex digit', (_valid, hex) => `t=${now},v1=g${hex.slice(1)}`],
    ['the parts in the other order', (_valid, hex) => `v1=${hex},t=${now}`],
    ['spaces', (_valid, hex) => `t=${now}, v1=${hex}`],
  ])('calls a header with %s malformed', (_name, malform) => {
    const valid = signRequest(secret, caller, body, now);
    expect(verifySignature(secret, malform(valid, digestOf(valid)), caller, body, now)).toEqual(
      refused('the x-gateway-signature header is malformed'),
    );
  });

  it('reads a time of fewer digits as that time', () => {
    const early = signRequest(secret, caller, body, 5);
    expect(early).toMatch(/^t=5,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, early, caller, body, 5)).toEqual({ valid: true });
    expect(verifySignature(secret, early, caller, body, 60_006)).toEqual(
      refused('the signature has expired (or the clocks disagree by more than a minute)'),
    );
  });
});

describe('a subgraph reached directly', () => {
  let subgraph: TestSubgraph;
  let pin: string;
  beforeAll(async () => {
    subgraph = await startTestSubgraph('population');
    const [row] = await subgraph.databases.get('population').query<{ pin: string }>('SELECT pin FROM citizen ORDER BY pin LIMIT 1');
    pin = row!.pin;
  });
  afterAll(() => subgraph?.stop());

  const query = 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }';

  it('gives nothing without the gateway signature', async () => {
    const response = await fetch(subgraph.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { pin } }),
    });
    expect(response.status).toBe(401);
    const answer = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    expect(answer.data).toBeUndefined();
    expect(answer.errors[0]).toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringMatching(/subgraphs answer only the gateway/),
    });
  });

  it('gives nothing to a request signed with another secret, or with a caller header it did not sign', async () => {
    expect((await signedPost(subgraph.server.url, query, { pin }, trustedCaller, 'a-guessed-secret-of-32-characters!!')).status).toBe(401);
    const body = JSON.stringify({ query, variables: { pin } });
    const signed = signRequest(secret, encodeCaller({ ...trustedCaller, scopes: new Set() }), body);
    const forged = await fetch(subgraph.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [signatureHeader]: signed, [callerHeader]: encodeCaller(trustedCaller) },
      body,
    });
    expect(forged.status).toBe(401);
  });

  it('checks the scopes again for the caller the gateway vouches for', async () => {
    const withoutPii = { ...trustedCaller, scopes: new Set(['indicators:read']) };
    const answer = await signedPost(
      subgraph.server.url,
      entitiesQuery('... on Citizen { fullName }'),
      { representations: [{ __typename: 'Citizen', pin }] },
      withoutPii,
    );
    expect(answer.status).toBe(403);
    expect(answer.errors![0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
      message: expect.stringMatching(/_entities\.fullName \(needs population:pii\)/),
    });
    const allowed = await signedPost<{ citizen: { fullName: string } }>(subgraph.server.url, query, { pin });
    expect(allowed.data!.citizen.fullName).toEqual(expect.any(String));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerHeader, encodeCaller } from '../../../../subgraphs/runtime/access/caller.js';
import { signatureHeader, signRequest, verifySignature } from '../../../../subgraphs/runtime/access/signing.js';
import { entitiesQuery, signedPost, startTestSubgraph, testSigningSecret, trustedCaller, type TestSubgraph } from '../../../support/subgraph.js';

const secret = testSigningSecret;

describe('request signatures', () => {
  const body = '{"query":"{ _service { sdl } }"}';
  const caller = encodeCaller(trustedCaller);

  it('accepts what was signed with the secret, within the time window', () => {
    expect(verifySignature(secret, signRequest(secret, caller, body), caller, body)).toEqual({ valid: true });
    expect(verifySignature(secret, signRequest(secret, caller, body, Date.now() - 50_000), caller, body).valid).toBe(true);
  });

  it.each([
    ['no signature', () => undefined, caller, body, /no x-gateway-signature/],
    ['a malformed one', () => 'v1=abc', caller, body, /malformed/],
    ['another secret', () => signRequest('another-secret-of-32-characters-long!', caller, body), caller, body, /does not match/],
    ['a changed body', () => signRequest(secret, caller, body), caller, body.replace('sdl', 'sdl __typename'), /does not match/],
    ['a changed caller', () => signRequest(secret, caller, body), encodeCaller({ ...trustedCaller, subject: 'someone-else' }), body, /does not match/],
    ['an old signature (replayed)', () => signRequest(secret, caller, body, Date.now() - 120_000), caller, body, /expired/],
  ])('refuses %s', (_name, header, sentCaller, sentBody, reason) => {
    const check = verifySignature(secret, header(), sentCaller, sentBody);
    expect(check.valid).toBe(false);
    expect(check.valid ? '' : check.reason).toMatch(reason);
  });
});

describe('a subgraph reached directly', () => {
  let subgraph: TestSubgraph;
  let pin: string;
  beforeAll(async () => {
    subgraph = await startTestSubgraph('population');
    const [row] = await subgraph.databases.get('population').query<{ pin: string }>('SELECT pin FROM population.citizen ORDER BY pin LIMIT 1');
    pin = row!.pin;
  });
  afterAll(() => subgraph?.stop());

  const query = 'query ($pin: ID!) { citizen(pin: $pin) { fullName } }';

  it('gives nothing without the gateway signature', async () => {
    const response = await fetch(subgraph.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { pin } }) });
    expect(response.status).toBe(401);
    const answer = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    expect(answer.data).toBeUndefined();
    expect(answer.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/subgraphs answer only the gateway/) });
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
    const answer = await signedPost(subgraph.server.url, entitiesQuery('... on Citizen { fullName }'), { representations: [{ __typename: 'Citizen', pin }] }, withoutPii);
    expect(answer.status).toBe(403);
    expect(answer.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/_entities\.fullName \(needs population:pii\)/) });
    const allowed = await signedPost<{ citizen: { fullName: string } }>(subgraph.server.url, query, { pin });
    expect(allowed.data!.citizen.fullName).toEqual(expect.any(String));
  });
});

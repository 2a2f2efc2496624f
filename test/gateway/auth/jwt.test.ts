import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../../gateway/auth/jwt.js';

const issuer = 'https://id.example.gov.vn';
const audience = 'vn-gateway';

describe('bearer tokens', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let other: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksServer: Server;
  let viaJwks: TokenVerifier;
  let viaPublicKey: TokenVerifier;

  beforeAll(async () => {
    keys = await generateKeyPair('RS256', { extractable: true });
    other = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    // The identity provider's key set, served over HTTP as a real one is.
    jwksServer = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    jwksServer.listen(0, '127.0.0.1');
    await once(jwksServer, 'listening');
    const { port } = jwksServer.address() as { port: number };
    viaJwks = await createTokenVerifier({ kind: 'jwks', url: `http://127.0.0.1:${port}/jwks.json`, issuer, audience });
    viaPublicKey = await createTokenVerifier({
      kind: 'public-key',
      pem: await exportSPKI(keys.publicKey),
      algorithm: 'RS256',
      issuer,
      audience,
    });
  });
  afterAll(() => jwksServer?.close());

  const sign = (
    claims: JWTPayload = {},
    options: {
      key?: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
      kid?: string;
      expires?: number;
      omit?: Array<'sub' | 'exp'>;
      issuer?: string;
      audience?: string;
    } = {},
  ) => {
    let token = new SignJWT({ agency: 'health', scope: 'health:pii indicators:read', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? audience)
      .setIssuedAt();
    if (!options.omit?.includes('sub')) token = token.setSubject('nguyen.van.a');
    if (!options.omit?.includes('exp')) token = token.setExpirationTime(options.expires ?? Math.floor(Date.now() / 1000) + 300);
    return token.sign(options.key ?? keys.privateKey);
  };

  it('accepts a valid token from the key set or the configured public key, with its subject, agency and scopes', async () => {
    const token = await sign({ purpose: 'health-care' });
    const expected = { subject: 'nguyen.van.a', agency: 'health', scopes: ['health:pii', 'indicators:read'], purpose: 'health-care' };
    expect(await viaJwks(token)).toEqual(expected);
    expect(await viaPublicKey(token)).toEqual(expected);
    expect((await viaJwks(await sign({ scope: undefined, scopes: ['population:pii'] }))).scopes).toEqual(['population:pii']);
  });

  it.each([
    ['an expired token', () => sign({}, { expires: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['a token for another audience', () => sign({}, { audience: 'another-service' }), /aud claim/],
    ['a token from another issuer', () => sign({}, { issuer: 'https://evil.example' }), /iss claim/],
    ['a token signed by another key under the same key id', () => sign({}, { key: other.privateKey }), /signature does not verify/],
    ['a token without an expiry', () => sign({}, { omit: ['exp'] }), /exp claim/],
    ['a token without a subject', () => sign({}, { omit: ['sub'] }), /sub claim/],
    [
      'an unsigned token (alg none)',
      async () => new UnsecuredJWT({ sub: 'x' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').encode(),
      /not accepted|not a valid/,
    ],
    ['garbage', async () => 'a.b.c', /not a valid JWT/],
  ])('refuses %s with UNAUTHENTICATED', async (_name, make, reason) => {
    const token = await make();
    for (const verify of [viaJwks, viaPublicKey]) {
      await expect(verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(reason) });
    }
  });

  it('refuses an HS256 token signed with the public key as its secret (algorithm confusion)', async () => {
    const pem = await exportSPKI(keys.publicKey);
    const forged = await new SignJWT({ scope: 'population:pii' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('attacker')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    for (const verify of [viaJwks, viaPublicKey]) await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token whose key id the key set does not have', async () => {
    await expect(viaJwks(await sign({}, { kid: 'key-9' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/no key/),
    });
  });
});

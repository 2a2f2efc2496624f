import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../gateway/auth/authenticate.js';
import type { TokenClaims } from '../../../gateway/auth/jwt.js';
import { AppError, ErrorCode } from '../../../platform/errors.js';

// Tokens are verified for real in jwt.test.ts; here the verifier is a table of
// already-verified claims, so the test is about what the authenticator does with them.
const claimsByToken: Record<string, TokenClaims> = {
  'for-health-care': { subject: 'nguyen.van.a', agency: 'health', scopes: ['health:pii'], purpose: 'health-care' },
  'without-purpose': { subject: 'tran.thi.b', agency: 'health', scopes: ['health:pii'], purpose: null },
};
const authenticate = createAuthenticator({
  verifyToken: async (token) => {
    const claims = claimsByToken[token];
    if (!claims) throw new AppError(ErrorCode.UNAUTHENTICATED, 'unknown token');
    return claims;
  },
  verifyApiKey: async () => {
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'no keys here');
  },
  anonymousScopes: new Set(['indicators:read']),
});
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("the caller's purpose", () => {
  it("is the token's purpose claim when the token has one", async () => {
    expect((await authenticate(request({ authorization: 'Bearer for-health-care' }))).purpose).toBe('health-care');
    expect((await authenticate(request({ authorization: 'Bearer for-health-care', 'x-purpose': 'health-care' }))).purpose).toBe(
      'health-care',
    );
  });

  it('cannot be changed by an x-purpose header naming another purpose: the request is refused, not re-purposed', async () => {
    await expect(authenticate(request({ authorization: 'Bearer for-health-care', 'x-purpose': 'law-enforcement' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message:
        'The token was issued for the purpose "health-care"; x-purpose cannot change it to "law-enforcement": leave the header out or ask for a token for that purpose',
    });
  });

  it('comes from the x-purpose header for a token without the claim, an API key or an anonymous caller', async () => {
    expect((await authenticate(request({ authorization: 'Bearer without-purpose', 'x-purpose': 'statistics' }))).purpose).toBe(
      'statistics',
    );
    expect((await authenticate(request({ 'x-purpose': 'statistics' }))).purpose).toBe('statistics');
    expect((await authenticate(request({ authorization: 'Bearer without-purpose' }))).purpose).toBeNull();
  });
});

import { createRemoteJWKSet, errors, importSPKI, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { agencies, personalDataScope } from '../../platform/agencies.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import type { JwtVerification } from './config.js';

/** The claims the gateway uses from a verified token. */
export interface TokenClaims {
  readonly subject: string;
  readonly agency: string | null;
  readonly scopes: readonly string[];
  readonly purpose: string | null;
}

export type TokenVerifier = (token: string) => Promise<TokenClaims>;

/** Only these: a token may not pick its own algorithm (no `none`, no HS256 signed with a public key). */
const asymmetric = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/**
 * Verifies bearer tokens with jose: signature, issuer, audience and expiry
 * (30 s of clock skew allowed); a token without `exp` or `sub` is refused.
 */
export async function createTokenVerifier(config: JwtVerification): Promise<TokenVerifier> {
  let key: JWTVerifyGetKey | Awaited<ReturnType<typeof importSPKI>> | Uint8Array;
  let algorithms: string[];
  if (config.kind === 'jwks') {
    // Keys are fetched when first needed and refreshed when a token names an unknown key id.
    key = createRemoteJWKSet(new URL(config.url), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    algorithms = asymmetric;
  } else if (config.kind === 'public-key') {
    key = await importSPKI(config.pem, config.algorithm);
    algorithms = [config.algorithm];
  } else {
    key = new TextEncoder().encode(config.secret);
    algorithms = ['HS256'];
  }
  // A token verified once is known until it expires: clients send the same token with every request.
  const verified = new LRUCache<string, { claims: TokenClaims; expiresAt: number }>({ max: 10_000 });
  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.claims;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms,
        clockTolerance: 30,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, `The bearer token is refused: ${reasonOf(error)}`, { cause: error });
    }
    const claims = claimsOf(payload);
    verified.set(token, { claims, expiresAt: (payload.exp ?? 0) * 1000 });
    return claims;
  };
}

/** `scope` as OAuth 2 writes it (space-separated), or `scopes` as a list. */
function claimsOf(payload: JWTPayload): TokenClaims {
  const listed = typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scopes) ? payload.scopes : [];
  return {
    subject: String(payload.sub),
    agency: typeof payload.agency === 'string' ? payload.agency : null,
    scopes: listed.filter((scope): scope is string => typeof scope === 'string' && scope !== ''),
    purpose: typeof payload.purpose === 'string' ? payload.purpose : null,
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWTClaimValidationFailed) return `its ${error.claim} claim is not accepted (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches it';
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) return 'the issuer keys cannot be fetched now';
  return 'it is not a valid JWT';
}

/** A token signed with a shared secret: the development demo token, and the tools of the same process. */
export async function signToken(
  config: Extract<JwtVerification, { kind: 'secret' }>,
  claims: TokenClaims,
  lifetimeSeconds: number,
): Promise<string> {
  return new SignJWT({
    agency: claims.agency ?? undefined,
    scope: claims.scopes.join(' '),
    ...(claims.purpose ? { purpose: claims.purpose } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
    .sign(new TextEncoder().encode(config.secret));
}

/** Who the development demo token speaks for: an analyst allowed everything but cache administration. */
export const demoAnalyst: TokenClaims = {
  subject: 'demo-analyst',
  agency: 'demo',
  scopes: ['indicators:read', ...agencies.map(personalDataScope), 'schema:read', 'audit:read'],
  purpose: null,
};

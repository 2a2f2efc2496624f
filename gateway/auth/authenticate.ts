import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../platform/access/caller.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import type { ApiKey } from './api-keys.js';
import type { TokenVerifier } from './jwt.js';
import { requestIdOf } from '../request-id.js';

export interface Authenticator {
  /** The caller a request proves to be; throws UNAUTHENTICATED for credentials that do not hold. */
  (request: IncomingMessage): Promise<Caller>;
}

export interface AuthenticatorOptions {
  /** None: bearer tokens are refused (no way to verify them is configured). */
  readonly verifyToken: TokenVerifier | undefined;
  readonly verifyApiKey: (key: string) => Promise<ApiKey>;
  readonly anonymousScopes: ReadonlySet<string>;
}

export const purposeHeader = 'x-purpose';
export const apiKeyHeader = 'x-api-key';

/**
 * Bearer JWT (Authorization header) for people and their applications, API
 * key (x-api-key header) for machine clients, nobody otherwise. Every caller
 * also holds the anonymous scopes. The purpose is the token's `purpose`
 * claim when it has one (the identity provider issued it for that purpose; a
 * header naming another is refused, never obeyed), else the x-purpose header.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  return async (request) => {
    const requestId = requestIdOf(request);
    const declared = header(request, purposeHeader)?.trim() || null;
    const authorization = header(request, 'authorization');
    const apiKey = header(request, apiKeyHeader);
    if (authorization && apiKey)
      throw new AppError(ErrorCode.UNAUTHENTICATED, `Send either an Authorization header or an ${apiKeyHeader} header, not both`);
    if (authorization) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (!token) throw new AppError(ErrorCode.UNAUTHENTICATED, 'The Authorization header must be "Bearer <token>"');
      if (!options.verifyToken)
        throw new AppError(
          ErrorCode.UNAUTHENTICATED,
          'This gateway accepts no bearer tokens (none of AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY, AUTH_JWT_SECRET is set); use an API key',
        );
      const claims = await options.verifyToken(token);
      if (claims.purpose && declared && declared !== claims.purpose) {
        throw new AppError(
          ErrorCode.FORBIDDEN,
          `The token was issued for the purpose ${JSON.stringify(claims.purpose)}; ${purposeHeader} cannot change it to ${JSON.stringify(declared)}: leave the header out or ask for a token for that purpose`,
        );
      }
      return {
        subject: claims.subject,
        agency: claims.agency,
        authenticated: true,
        scopes: new Set([...options.anonymousScopes, ...claims.scopes]),
        purpose: claims.purpose ?? declared,
        via: 'jwt',
        requestId,
      };
    }
    if (apiKey) {
      const key = await options.verifyApiKey(apiKey.trim());
      return {
        subject: `api-key:${key.id}`,
        agency: key.agency,
        authenticated: true,
        scopes: new Set([...options.anonymousScopes, ...key.scopes]),
        purpose: declared,
        via: 'api-key',
        requestId,
      };
    }
    return {
      subject: 'anonymous',
      agency: null,
      authenticated: false,
      scopes: options.anonymousScopes,
      purpose: declared,
      via: 'anonymous',
      requestId,
    };
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Whom a rate limit counts: the subject or key, or for anonymous callers their address. */
/** Whether the request presents a token or an API key (which may fail to verify). */
export function carriesCredentials(request: IncomingMessage): boolean {
  return header(request, 'authorization') !== undefined || header(request, apiKeyHeader) !== undefined;
}

export function rateLimitKey(caller: Caller, request: IncomingMessage): string {
  return caller.authenticated ? `${caller.via}:${caller.subject}` : `address:${request.socket.remoteAddress ?? 'unknown'}`;
}

import { randomBytes } from 'node:crypto';

/**
 * The secrets of a gateway run in production settings for a measurement:
 * the signing secret shared with the subgraphs and an HS256 token key, made
 * for the run, with the environment that gives them to the gateway.
 */
export function productionSecrets(issuer: string) {
  const signingSecret = randomBytes(32).toString('base64url');
  const jwt = {
    kind: 'secret' as const,
    secret: randomBytes(32).toString('base64url'),
    issuer,
    audience: 'vn-gateway',
    development: false,
  };
  return {
    signingSecret,
    jwt,
    environment: {
      DEPLOYMENT: 'production',
      GATEWAY_SIGNING_SECRET: signingSecret,
      AUTH_JWT_SECRET: jwt.secret,
      AUTH_JWT_ISSUER: jwt.issuer,
      AUTH_JWT_AUDIENCE: jwt.audience,
    },
  };
}

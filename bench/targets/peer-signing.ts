import { agencies, personalDataScope } from '../../platform/agencies.js';
import { encodeCaller } from '../../platform/access/caller.js';
import { gatewayHeaders } from '../../platform/access/signing.js';

/**
 * What a peer gateway must add to reach the project's subgraphs, which answer
 * only signed requests: a fixed caller holding every scope, and the HMAC over
 * each body. The same work the project's gateway does per subgraph fetch.
 */
const caller = encodeCaller({
  subject: 'benchmark-peer',
  agency: 'benchmark',
  authenticated: true,
  scopes: new Set(['indicators:read', ...agencies.map(personalDataScope)]),
  purpose: 'statistics',
  via: 'jwt',
  requestId: 'benchmark',
});

export function signedHeaders(body: string, secret: string = process.env.GATEWAY_SIGNING_SECRET!): Record<string, string> {
  return gatewayHeaders(secret, caller, body);
}

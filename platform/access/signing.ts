import { createHmac, timingSafeEqual } from 'node:crypto';
import { callerHeader } from './caller.js';

/**
 * Requests from the gateway to a subgraph carry an HMAC-SHA256, under a secret
 * only they share, over the time, the forwarded caller and the exact body; a
 * subgraph answers nothing that lacks it, so reaching one directly gives nothing.
 */
export const signatureHeader = 'x-gateway-signature';

/** How far a signature's time may be from the subgraph's clock: bounds replay of a captured request. */
export const signatureToleranceMs = 60_000;

export function signRequest(secret: string, callerHeader: string, body: string, now = Date.now()): string {
  return `t=${now},v1=${digest(secret, now, callerHeader, body)}`;
}

/** The headers of a request from the gateway: the forwarded caller and the signature over it and the body. */
export function gatewayHeaders(secret: string, encodedCaller: string, body: string): Record<string, string> {
  return { [callerHeader]: encodedCaller, [signatureHeader]: signRequest(secret, encodedCaller, body) };
}

export type SignatureCheck = { readonly valid: true } | { readonly valid: false; readonly reason: string };

export function verifySignature(
  secret: string,
  header: string | undefined,
  callerHeader: string,
  body: string,
  now = Date.now(),
): SignatureCheck {
  if (!header) return { valid: false, reason: `the request has no ${signatureHeader} header: subgraphs answer only the gateway` };
  const match = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return { valid: false, reason: `the ${signatureHeader} header is malformed` };
  const time = Number(match[1]);
  if (Math.abs(now - time) > signatureToleranceMs)
    return { valid: false, reason: 'the signature has expired (or the clocks disagree by more than a minute)' };
  const expected = Buffer.from(digest(secret, time, callerHeader, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) return { valid: false, reason: 'the signature does not match' };
  return { valid: true };
}

function digest(secret: string, time: number, callerHeader: string, body: string): string {
  return createHmac('sha256', secret).update(`${time}\n${callerHeader}\n${body}`).digest('hex');
}

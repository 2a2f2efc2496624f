import type { AccessHolder } from './rules.js';

/** Who is asking, as the gateway established it; subgraphs receive the same facts, signed. */
export interface Caller extends AccessHolder {
  /** The token's `sub`, the API key's name, or `anonymous`. */
  readonly subject: string;
  /** The agency the caller acts for; null when anonymous or not stated. */
  readonly agency: string | null;
  readonly authenticated: boolean;
  /** The caller's scopes together with ANONYMOUS_SCOPES, which every caller holds. */
  readonly scopes: ReadonlySet<string>;
  /** The declared purpose of processing (x-purpose header or the token's `purpose` claim). */
  readonly purpose: string | null;
  /** How the caller proved who it is. */
  readonly via: 'jwt' | 'api-key' | 'anonymous';
  /** One id per request, in the audit trail and on the subgraph calls it makes. */
  readonly requestId: string;
}

export const callerHeader = 'x-gateway-caller';

interface CallerWire {
  readonly subject: string;
  readonly agency: string | null;
  readonly authenticated: boolean;
  readonly scopes: readonly string[];
  readonly purpose: string | null;
  readonly via: Caller['via'];
  readonly requestId: string;
}

// A caller lives for one request; what is derived from it is derived once, however many subgraph calls and checks ask.
const scopeKeys = new WeakMap<Caller, string>();
const encodings = new WeakMap<Caller, string>();

/** The caller's scopes, sorted and space-separated: what access checks and cache keys are keyed by. */
export function scopeKey(caller: Caller): string {
  let key = scopeKeys.get(caller);
  if (key === undefined) scopeKeys.set(caller, (key = [...caller.scopes].sort().join(' ')));
  return key;
}

export function encodeCaller(caller: Caller): string {
  let encoded = encodings.get(caller);
  if (encoded === undefined) {
    const wire: CallerWire = {
      subject: caller.subject,
      agency: caller.agency,
      authenticated: caller.authenticated,
      scopes: scopeKey(caller).split(' ').filter(Boolean),
      purpose: caller.purpose,
      via: caller.via,
      requestId: caller.requestId,
    };
    encodings.set(caller, (encoded = Buffer.from(JSON.stringify(wire)).toString('base64url')));
  }
  return encoded;
}

/** The caller a signed header describes; undefined when it is not one. */
export function decodeCaller(header: string): Caller | undefined {
  try {
    const wire = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Partial<CallerWire>;
    if (
      typeof wire.subject !== 'string' ||
      typeof wire.authenticated !== 'boolean' ||
      !Array.isArray(wire.scopes) ||
      typeof wire.requestId !== 'string'
    )
      return undefined;
    return {
      subject: wire.subject,
      agency: typeof wire.agency === 'string' ? wire.agency : null,
      authenticated: wire.authenticated,
      scopes: new Set(wire.scopes.map(String)),
      purpose: typeof wire.purpose === 'string' ? wire.purpose : null,
      via: wire.via === 'jwt' || wire.via === 'api-key' ? wire.via : 'anonymous',
      requestId: wire.requestId,
    };
  } catch {
    return undefined;
  }
}

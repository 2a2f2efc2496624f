import { describe, expect, it } from 'vitest';
import { callerHeader, decodeCaller, encodeCaller, scopeKey, type Caller } from '../../../platform/access/caller.js';

const officer: Caller = {
  subject: 'officer-17',
  agency: 'population',
  authenticated: true,
  scopes: new Set(['population:pii', 'indicators:read', 'audit:read']),
  purpose: 'public-service',
  via: 'jwt',
  requestId: 'req-1',
};

/** The header as another implementation would write it: base64url of the JSON. */
const header = (wire: unknown) => Buffer.from(typeof wire === 'string' ? wire : JSON.stringify(wire)).toString('base64url');
const wire = {
  subject: 'officer-17',
  agency: 'population',
  authenticated: true,
  scopes: ['audit:read'],
  purpose: 'public-service',
  via: 'api-key',
  requestId: 'req-2',
};

describe('the scope key', () => {
  it('lists the scopes sorted and space-separated, whatever order they were granted in', () => {
    expect(scopeKey(officer)).toBe('audit:read indicators:read population:pii');
    expect(scopeKey({ ...officer, scopes: new Set(['population:pii', 'audit:read', 'indicators:read']) })).toBe(
      'audit:read indicators:read population:pii',
    );
    expect(scopeKey({ ...officer, scopes: new Set() })).toBe('');
  });

  it('is derived once per caller: the request keeps the key it started with', () => {
    const scopes = new Set(['indicators:read']);
    const caller = { ...officer, scopes };
    expect(scopeKey(caller)).toBe('indicators:read');
    scopes.add('population:pii');
    expect(scopeKey(caller)).toBe('indicators:read');
  });
});

describe('the forwarded caller header', () => {
  it('is named x-gateway-caller', () => {
    expect(callerHeader).toBe('x-gateway-caller');
  });

  it('is the base64url JSON of every fact, scopes sorted', () => {
    expect(JSON.parse(Buffer.from(encodeCaller(officer), 'base64url').toString('utf8'))).toEqual({
      subject: 'officer-17',
      agency: 'population',
      authenticated: true,
      scopes: ['audit:read', 'indicators:read', 'population:pii'],
      purpose: 'public-service',
      via: 'jwt',
      requestId: 'req-1',
    });
    expect(encodeCaller(officer)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('carries no scope at all, not an empty one, for a caller without scopes', () => {
    const anonymous: Caller = {
      subject: 'anonymous',
      agency: null,
      authenticated: false,
      scopes: new Set(),
      purpose: null,
      via: 'anonymous',
      requestId: 'r',
    };
    expect(JSON.parse(Buffer.from(encodeCaller(anonymous), 'base64url').toString('utf8')).scopes).toEqual([]);
    expect(decodeCaller(encodeCaller(anonymous))).toEqual(anonymous);
  });

  it('describes the same caller after a round trip', () => {
    expect(decodeCaller(encodeCaller(officer))).toEqual(officer);
    const keyHolder: Caller = { ...officer, agency: null, purpose: null, via: 'api-key' };
    expect(decodeCaller(encodeCaller(keyHolder))).toEqual(keyHolder);
  });

  it('is encoded once per caller: every subgraph call of a request forwards the same text', () => {
    const caller: { -readonly [Fact in keyof Caller]: Caller[Fact] } = { ...officer };
    const first = encodeCaller(caller);
    caller.purpose = 'research';
    expect(encodeCaller(caller)).toBe(first);
    expect(encodeCaller({ ...caller })).not.toBe(first);
  });
});

describe('decoding a caller header', () => {
  it('reads a well-formed header', () => {
    expect(decodeCaller(header(wire))).toEqual({ ...wire, scopes: new Set(['audit:read']) });
  });

  it.each([
    ['subject', { subject: 17 }],
    ['subject', { subject: undefined }],
    ['authenticated', { authenticated: 'true' }],
    ['authenticated', { authenticated: undefined }],
    ['scopes', { scopes: 'audit:read' }],
    ['scopes', { scopes: undefined }],
    ['requestId', { requestId: 5 }],
    ['requestId', { requestId: undefined }],
  ])('refuses a header whose %s is missing or of the wrong type (%j)', (_field, change) => {
    expect(decodeCaller(header({ ...wire, ...change }))).toBeUndefined();
  });

  it.each([
    ['not base64url JSON', '%%%not-a-caller'],
    ['JSON null', header('null')],
    ['JSON that is cut short', header('{"subject":"x"')],
    ['empty', ''],
  ])('refuses a header that is %s', (_name, text) => {
    expect(decodeCaller(text)).toBeUndefined();
  });

  it('reads an agency or purpose that is not a string as none', () => {
    expect(decodeCaller(header({ ...wire, agency: 3, purpose: ['x'] }))).toEqual({
      ...wire,
      agency: null,
      purpose: null,
      scopes: new Set(['audit:read']),
    });
    const { agency: _agency, purpose: _purpose, ...without } = wire;
    expect(decodeCaller(header(without))).toEqual({ ...wire, agency: null, purpose: null, scopes: new Set(['audit:read']) });
  });

  it('reads an unknown or missing way of proof as anonymous, never as a stronger one', () => {
    expect(decodeCaller(header({ ...wire, via: 'jwt' }))!.via).toBe('jwt');
    expect(decodeCaller(header({ ...wire, via: 'api-key' }))!.via).toBe('api-key');
    expect(decodeCaller(header({ ...wire, via: 'root' }))!.via).toBe('anonymous');
    expect(decodeCaller(header({ ...wire, via: undefined }))!.via).toBe('anonymous');
  });

  it('reads every scope as text', () => {
    expect(decodeCaller(header({ ...wire, scopes: ['audit:read', 7, true] }))!.scopes).toEqual(new Set(['audit:read', '7', 'true']));
  });
});

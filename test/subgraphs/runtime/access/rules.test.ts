import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { describeRequirement, isPersonal, readAccessRules, satisfies } from '../../../../subgraphs/runtime/access/rules.js';

const sdl = parse(`
  type Citizen @authenticated {
    pin: ID!
    fullName: String @requiresScopes(scopes: [["population:pii"]])
    record: String @requiresScopes(scopes: [["health:pii"], ["audit:read", "population:pii"]]) @requiresScopes(scopes: [["indicators:read"]])
  }
  extend type Citizen { note: String @requiresScopes(scopes: [["population:pii"]]) }
  enum Secret @requiresScopes(scopes: [["schema:read"]]) { A }
`);

describe('access rules from the security directives', () => {
  const rules = readAccessRules(sdl);
  const holder = (scopes: string[], authenticated = true) => ({ authenticated, scopes: new Set(scopes) });

  it('reads types, fields, extensions and enums', () => {
    expect([...rules.keys()].sort()).toEqual(['Citizen', 'Citizen.fullName', 'Citizen.note', 'Citizen.record', 'Secret']);
    expect(rules.get('Citizen')).toEqual({ authenticated: true, scopes: [] });
  });

  it('grants a field only when every condition has an alternative the caller holds in full', () => {
    const record = rules.get('Citizen.record')!;
    expect(satisfies(holder(['health:pii', 'indicators:read']), record)).toBe(true);
    expect(satisfies(holder(['audit:read', 'population:pii', 'indicators:read']), record)).toBe(true);
    expect(satisfies(holder(['audit:read', 'indicators:read']), record)).toBe(false);
    expect(satisfies(holder(['health:pii']), record)).toBe(false);
    expect(describeRequirement(record)).toBe('health:pii or (audit:read and population:pii), and indicators:read');
  });

  it('lets scopes, not authentication, decide @requiresScopes, so anonymous scopes work; @authenticated needs a caller', () => {
    expect(satisfies(holder(['population:pii'], false), rules.get('Citizen.fullName')!)).toBe(true);
    expect(satisfies(holder(['population:pii'], false), rules.get('Citizen')!)).toBe(false);
  });

  it('calls personal what needs an agency :pii scope', () => {
    expect(isPersonal(rules.get('Citizen.fullName')!)).toBe(true);
    expect(isPersonal(rules.get('Secret')!)).toBe(false);
  });
});

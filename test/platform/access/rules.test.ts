import { Kind, parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  combine,
  describeRequirement,
  isPersonal,
  noRequirement,
  personalTypes,
  readAccessRules,
  satisfies,
  type AccessRequirement,
} from '../../../platform/access/rules.js';

const sdl = parse(`
  type Citizen @authenticated {
    pin: ID!
    fullName: String @requiresScopes(scopes: [["population:pii"]])
    record: String @requiresScopes(scopes: [["health:pii"], ["audit:read", "population:pii"]]) @requiresScopes(scopes: [["indicators:read"]])
  }
  extend type Citizen { note: String @requiresScopes(scopes: [["population:pii"]]) }
  enum Secret @requiresScopes(scopes: [["schema:read"]]) { A }
`);

const holder = (scopes: string[], authenticated = true) => ({ authenticated, scopes: new Set(scopes) });
const needs = (...conditions: string[][][]): AccessRequirement => ({ authenticated: false, scopes: conditions });

// Rules are read inside each test, never while tests are collected: mutation testing then knows which test covers what.
describe('access rules from the security directives', () => {
  const citizenRules = () => readAccessRules(sdl);

  it('reads types, fields, extensions and enums', () => {
    const rules = citizenRules();
    expect([...rules.keys()].sort()).toEqual(['Citizen', 'Citizen.fullName', 'Citizen.note', 'Citizen.record', 'Secret']);
    expect(rules.get('Citizen')).toEqual({ authenticated: true, scopes: [] });
    expect(rules.get('Citizen.note')).toEqual(needs([['population:pii']]));
    expect(rules.get('Secret')).toEqual(needs([['schema:read']]));
  });

  it('grants a field only when every condition has an alternative the caller holds in full', () => {
    const record = citizenRules().get('Citizen.record')!;
    expect(record).toEqual(needs([['health:pii'], ['audit:read', 'population:pii']], [['indicators:read']]));
    expect(satisfies(holder(['health:pii', 'indicators:read']), record)).toBe(true);
    expect(satisfies(holder(['audit:read', 'population:pii', 'indicators:read']), record)).toBe(true);
    expect(satisfies(holder(['audit:read', 'indicators:read']), record)).toBe(false);
    expect(satisfies(holder(['health:pii']), record)).toBe(false);
    expect(describeRequirement(record)).toBe('health:pii or (audit:read and population:pii), and indicators:read');
  });

  it('lets scopes, not authentication, decide @requiresScopes, so anonymous scopes work; @authenticated needs a caller', () => {
    const rules = citizenRules();
    expect(satisfies(holder(['population:pii'], false), rules.get('Citizen.fullName')!)).toBe(true);
    expect(satisfies(holder(['population:pii'], false), rules.get('Citizen')!)).toBe(false);
    expect(satisfies(holder([], true), rules.get('Citizen')!)).toBe(true);
  });

  it('calls personal what needs an agency :pii scope', () => {
    const rules = citizenRules();
    expect(isPersonal(rules.get('Citizen.fullName')!)).toBe(true);
    expect(isPersonal(rules.get('Secret')!)).toBe(false);
  });

  it('reads interfaces, interface extensions and scalars, and adds up the directives met on one element', () => {
    const read = readAccessRules(
      parse(`
        interface Person @authenticated { name: String @requiresScopes(scopes: [["population:pii"]]) }
        extend interface Person @requiresScopes(scopes: [["civil-service:read"]]) { rank: Int @authenticated }
        scalar Pin @requiresScopes(scopes: [["population:pii"]])
        type Household @authenticated
        extend type Household @requiresScopes(scopes: [["population:read"]])
      `),
    );
    expect(Object.fromEntries(read)).toEqual({
      Person: { authenticated: true, scopes: [[['civil-service:read']]] },
      'Person.name': needs([['population:pii']]),
      'Person.rank': { authenticated: true, scopes: [] },
      Pin: needs([['population:pii']]),
      Household: { authenticated: true, scopes: [[['population:read']]] },
    });
  });

  it('ignores elements without security directives, other directives, and kinds it does not guard (inputs, unions)', () => {
    const read = readAccessRules(
      parse(`
        type Query { open: String @deprecated(reason: "old") }
        input Filter @authenticated { code: ID @requiresScopes(scopes: [["a"]]) }
        union Result @authenticated = Query
      `),
    );
    expect(read.size).toBe(0);
  });

  it('applies list coercion as federation does: a lone scope or a flat list means one scope per alternative', () => {
    // Before this was read, `scopes: ["population:pii"]` gave every caller the field: federation accepts and composes it.
    const read = readAccessRules(
      parse(`
        type Query {
          flat: String @requiresScopes(scopes: ["population:pii", "health:pii"])
          lone: String @requiresScopes(scopes: "population:pii")
        }
      `),
    );
    expect(read.get('Query.flat')).toEqual(needs([['population:pii'], ['health:pii']]));
    expect(read.get('Query.lone')).toEqual(needs([['population:pii']]));
    expect(satisfies(holder([], false), read.get('Query.flat')!)).toBe(false);
    expect(satisfies(holder(['health:pii'], false), read.get('Query.flat')!)).toBe(true);
    expect(satisfies(holder([], false), read.get('Query.lone')!)).toBe(false);
  });

  it('reads only the scopes argument of @requiresScopes, and a value that is not a string as a scope nobody holds', () => {
    const read = readAccessRules(
      parse(`
        type Query {
          other: String @requiresScopes(policies: [["population:pii"]])
          bare: String @requiresScopes
          mixed: String @requiresScopes(other: [["x"]], scopes: [["population:pii", 7]])
          lookalike: String @policy(scopes: [["population:pii"]])
        }
      `),
    );
    expect(Object.fromEntries(read)).toEqual({ 'Query.mixed': needs([['population:pii', '(not a scope)']]) });
    // Dropping the 7 would have asked for population:pii alone; ignoring the whole alternative, for nothing.
    expect(satisfies(holder(['population:pii'], true), read.get('Query.mixed')!)).toBe(false);
  });

  it('reads a document built by hand, whose optional lists (fields, directives, arguments) may be left out', () => {
    const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        { kind: Kind.OBJECT_TYPE_DEFINITION, name: name('Citizen'), directives: [{ kind: Kind.DIRECTIVE, name: name('authenticated') }] },
        {
          kind: Kind.OBJECT_TYPE_DEFINITION,
          name: name('Query'),
          fields: [{ kind: Kind.FIELD_DEFINITION, name: name('open'), type: { kind: Kind.NAMED_TYPE, name: name('String') } }],
        },
        { kind: Kind.SCALAR_TYPE_DEFINITION, name: name('Pin'), directives: [{ kind: Kind.DIRECTIVE, name: name('requiresScopes') }] },
      ],
    };
    expect(Object.fromEntries(readAccessRules(document))).toEqual({ Citizen: { authenticated: true, scopes: [] } });
  });
});

describe('combining requirements', () => {
  const first: AccessRequirement = { authenticated: true, scopes: [[['a']]] };
  const second = needs([['b'], ['c']]);

  it('keeps every condition of both and authentication if either asks for it', () => {
    expect(combine(first, second)).toEqual({ authenticated: true, scopes: [[['a']], [['b'], ['c']]] });
    expect(combine(second, first)).toEqual({ authenticated: true, scopes: [[['b'], ['c']], [['a']]] });
    expect(combine(second, needs([['d']]))).toEqual({ authenticated: false, scopes: [[['b'], ['c']], [['d']]] });
  });

  it('returns the other requirement itself when one side is no requirement', () => {
    expect(combine(noRequirement, second)).toBe(second);
    expect(combine(first, noRequirement)).toBe(first);
  });
});

describe('whether a holder satisfies a requirement', () => {
  it('grants no requirement to anyone', () => {
    expect(satisfies(holder([], false), noRequirement)).toBe(true);
  });

  it('needs every condition, not just one', () => {
    const both = needs([['a']], [['b']]);
    expect(satisfies(holder(['a']), both)).toBe(false);
    expect(satisfies(holder(['b']), both)).toBe(false);
    expect(satisfies(holder(['a', 'b']), both)).toBe(true);
  });

  it('needs one alternative of a condition, held in full', () => {
    const either = needs([['a', 'b'], ['c']]);
    expect(satisfies(holder(['c']), either)).toBe(true);
    expect(satisfies(holder(['a', 'b']), either)).toBe(true);
    expect(satisfies(holder(['a']), either)).toBe(false);
    expect(satisfies(holder(['b']), either)).toBe(false);
  });

  it('refuses an anonymous holder what needs authentication, whatever its scopes', () => {
    const requirement: AccessRequirement = { authenticated: true, scopes: [[['a']]] };
    expect(satisfies(holder(['a'], false), requirement)).toBe(false);
    expect(satisfies(holder(['a'], true), requirement)).toBe(true);
    expect(satisfies(holder([], true), requirement)).toBe(false);
  });
});

describe('personal data', () => {
  it('is personal when any scope of any alternative of any condition ends in :pii', () => {
    expect(isPersonal(needs([['indicators:read']], [['population:pii']]))).toBe(true);
    expect(isPersonal(needs([['indicators:read'], ['health:pii']]))).toBe(true);
    expect(isPersonal(needs([['audit:read', 'health:pii']]))).toBe(true);
  });

  it('is not personal without a :pii scope, even one that merely starts or contains pii', () => {
    expect(isPersonal(noRequirement)).toBe(false);
    expect(isPersonal({ authenticated: true, scopes: [] })).toBe(false);
    expect(isPersonal(needs([['pii:population', 'population:piix', 'pii']]))).toBe(false);
  });

  it('names the types with personal fields or personal as a whole, never Query', () => {
    const rules = new Map<string, AccessRequirement>([
      ['Query.citizen', needs([['population:pii']])],
      ['Citizen.fullName', needs([['population:pii']])],
      ['Citizen.pin', needs([['population:read']])],
      ['HealthRecord', needs([['health:pii']])],
      ['AreaStats', needs([['indicators:read']])],
      ['Task.title', { authenticated: true, scopes: [] }],
    ]);
    expect([...personalTypes(rules)].sort()).toEqual(['Citizen', 'HealthRecord']);
  });
});

describe('describing a requirement for an error message', () => {
  it.each<[string, AccessRequirement, string]>([
    ['no requirement', noRequirement, 'nothing'],
    ['authentication alone', { authenticated: true, scopes: [] }, 'an authenticated caller'],
    ['one scope', needs([['population:pii']]), 'population:pii'],
    ['alternatives', needs([['a'], ['b']]), 'a or b'],
    ['a set of scopes', needs([['a', 'b', 'c']]), '(a and b and c)'],
    ['conditions', needs([['a']], [['b'], ['c', 'd']]), 'a, and b or (c and d)'],
    ['scopes with authentication (the scopes say more)', { authenticated: true, scopes: [[['a']]] }, 'a'],
  ])('%s', (_name, requirement, described) => {
    expect(describeRequirement(requirement)).toBe(described);
  });
});

import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { inspectOperation } from '../../../platform/access/inspect.js';
import { readAccessRules } from '../../../platform/access/rules.js';

const sdl = `
  directive @authenticated on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM
  directive @requiresScopes(scopes: [[String!]!]!) on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM

  type Query {
    citizen(pin: ID!): Citizen
    search: SearchResult
    node: Node
    task: Task
    open: String
    archived__: String @requiresScopes(scopes: [["audit:read"]])
  }
  type Mutation { revokeKey(name: String!): Boolean @requiresScopes(scopes: [["admin:keys"]]) }
  type Citizen @authenticated {
    pin: ID!
    fullName: String @requiresScopes(scopes: [["population:pii"]])
    household: Household @requiresScopes(scopes: [["population:pii"]])
  }
  type Household { address: String, members: [Citizen!]! }
  type AreaStats @requiresScopes(scopes: [["indicators:read"]]) { count: Int }
  union SearchResult = Citizen | AreaStats
  interface Node { id: ID!, note: String @requiresScopes(scopes: [["audit:read"]]) }
  type Memo implements Node { id: ID!, note: String }
  type Task @requiresScopes(scopes: [["indicators:read"]]) { owner: Officer @requiresScopes(scopes: [["civil-service:read"]]) }
  type Officer @requiresScopes(scopes: [["civil-service:pii"]]) { name: String }
`;
const schema = buildSchema(sdl);
const rules = readAccessRules(parse(sdl));

const anonymous = { authenticated: false, scopes: new Set<string>() };
const signedIn = (...scopes: string[]) => ({ authenticated: true, scopes: new Set(scopes) });
const inspect = (query: string, holder = anonymous, operationName: string | null = null) =>
  inspectOperation(schema, parse(query), operationName, rules, holder);
const nothing = { denied: [], personalFields: new Set(), introspection: false };
const pii = (path: string, coordinate: string) => ({ path, coordinate, needs: 'population:pii' });

describe('fields the caller may not read', () => {
  it('refuses an anonymous caller a field returning an @authenticated type, once, and nothing below it', () => {
    expect(inspect('{ citizen(pin: "1") { pin fullName household { address } } }')).toEqual({
      ...nothing,
      denied: [{ path: 'citizen', coordinate: 'Query.citizen', needs: 'an authenticated caller' }],
    });
  });

  it('names each field needing a scope the caller lacks, with its response path', () => {
    expect(inspect('{ citizen(pin: "1") { pin fullName household { address } } }', signedIn()).denied).toEqual([
      pii('citizen.fullName', 'Citizen.fullName'),
      pii('citizen.household', 'Citizen.household'),
    ]);
  });

  it('lets through a caller holding the scopes', () => {
    expect(inspect('{ citizen(pin: "1") { pin fullName } }', signedIn('population:pii')).denied).toEqual([]);
  });

  it("adds up the rules of the field's type, the field and the type it returns", () => {
    const { denied } = inspect('{ task { owner { name } } }', signedIn('indicators:read'));
    expect(denied).toEqual([
      { path: 'task.owner', coordinate: 'Task.owner', needs: 'indicators:read, and civil-service:read, and civil-service:pii' },
    ]);
    expect(inspect('{ task { owner { name } } }', signedIn('indicators:read', 'civil-service:read', 'civil-service:pii')).denied).toEqual(
      [],
    );
  });

  it('gives paths by alias, at the root and below', () => {
    expect(inspect('{ who: citizen(pin: "1") { name: fullName, home: household { address } } }', signedIn()).denied).toEqual([
      pii('who.name', 'Citizen.fullName'),
      pii('who.home', 'Citizen.household'),
    ]);
    expect(inspect('{ secret: archived__ }').denied).toEqual([{ path: 'secret', coordinate: 'Query.archived__', needs: 'audit:read' }]);
  });

  it('checks mutations against the mutation type', () => {
    expect(inspect('mutation { revokeKey(name: "k") }', signedIn()).denied).toEqual([
      { path: 'revokeKey', coordinate: 'Mutation.revokeKey', needs: 'admin:keys' },
    ]);
  });

  it('counts fields under @skip and @include as selected: access does not depend on variables', () => {
    const query =
      'query ($no: Boolean = false) { citizen(pin: "1") { fullName @include(if: $no) ... @skip(if: true) { household { address } } } }';
    expect(inspect(query, signedIn()).denied).toEqual([
      pii('citizen.fullName', 'Citizen.fullName'),
      pii('citizen.household', 'Citizen.household'),
    ]);
  });

  it('lists a field selected several times at one path once', () => {
    const query = '{ citizen(pin: "1") { fullName fullName ...Name ... on Citizen { fullName } } } fragment Name on Citizen { fullName }';
    expect(inspect(query, signedIn()).denied).toEqual([pii('citizen.fullName', 'Citizen.fullName')]);
  });
});

describe('walking fragments and abstract types', () => {
  it('follows named fragments, at every path that spreads them', () => {
    const query = '{ a: citizen(pin: "1") { ...Private } b: citizen(pin: "2") { ...Private } } fragment Private on Citizen { fullName }';
    expect(inspect(query, signedIn()).denied).toEqual([pii('a.fullName', 'Citizen.fullName'), pii('b.fullName', 'Citizen.fullName')]);
  });

  it('follows inline fragments with and without a type condition', () => {
    const query = '{ citizen(pin: "1") { ... on Citizen { fullName } ... { household { address } } } }';
    expect(inspect(query, signedIn()).denied).toEqual([
      pii('citizen.fullName', 'Citizen.fullName'),
      pii('citizen.household', 'Citizen.household'),
    ]);
  });

  it('checks the members of a union through their fragments', () => {
    const query = '{ search { __typename ... on Citizen { pin fullName } ... on AreaStats { count } } }';
    expect(inspect(query, signedIn()).denied).toEqual([
      pii('search.fullName', 'Citizen.fullName'),
      { path: 'search.count', coordinate: 'AreaStats.count', needs: 'indicators:read' },
    ]);
  });

  it('checks fields of an interface against the interface rules', () => {
    expect(inspect('{ node { id note } }', signedIn()).denied).toEqual([
      { path: 'node.note', coordinate: 'Node.note', needs: 'audit:read' },
    ]);
  });

  it('ends on fragments that spread each other, however the document was written', () => {
    // Validation refuses such a document; the walk must end even so, each fragment expanded once on a path.
    const query = `{ citizen(pin: "1") { ...Person } }
      fragment Person on Citizen { pin household { ...Home } }
      fragment Home on Household { address members { ...Person } }`;
    expect(inspect(query, signedIn('population:pii'))).toEqual({
      ...nothing,
      personalFields: new Set(['Citizen.household', 'Household.address', 'Household.members']),
    });
  });

  // Validation refuses these documents; inspection must still skip them whole, not guess.
  it('skips what the schema does not know: fragments, fields, and everything under an unknown or scalar type condition', () => {
    const query = `{ citizen(pin: "1") { ...Missing ...OnGhost ...OnScalar ... on Ghost { ...Name } ... on ID { ...Name } unknown } }
      fragment OnGhost on Ghost { ... on Citizen { fullName } }
      fragment OnScalar on ID { ... on Citizen { fullName } }
      fragment Name on Citizen { fullName }`;
    expect(inspect(query, signedIn())).toEqual(nothing);
  });

  it('skips fields selected directly on a union, and a composite field selected without subfields', () => {
    expect(inspect('{ search { pin } open }', anonymous)).toEqual(nothing);
    expect(inspect('{ citizen(pin: "1") }', signedIn())).toEqual(nothing);
  });
});

describe('personal data an operation reads', () => {
  it('names the :pii fields and everything selected below them, not what lies beside them', () => {
    const query = '{ open citizen(pin: "1") { pin fullName household { address members { pin } } } }';
    expect(inspect(query, signedIn('population:pii')).personalFields).toEqual(
      new Set(['Citizen.fullName', 'Citizen.household', 'Household.address', 'Household.members', 'Citizen.pin']),
    );
    expect(inspect('{ open citizen(pin: "1") { pin } }', signedIn('population:pii')).personalFields).toEqual(new Set());
  });

  it('names none of the fields it refuses', () => {
    expect(inspect('{ citizen(pin: "1") { fullName } }', signedIn()).personalFields).toEqual(new Set());
  });
});

describe('introspection', () => {
  it.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Citizen") { name } }'],
    ['__schema in a fragment', '{ ...Meta } fragment Meta on Query { __schema { types { name } } }'],
  ])('is asked for by %s', (_name, query) => {
    expect(inspect(query)).toEqual({ ...nothing, introspection: true });
  });

  it('is not asked for by __typename, at the root or below', () => {
    expect(inspect('{ __typename citizen(pin: "1") { __typename } }', signedIn())).toEqual(nothing);
  });
});

describe('which operation is inspected', () => {
  const document = 'query Open { open } query Private { citizen(pin: "1") { fullName } }';

  it('is the one named', () => {
    expect(inspect(document, signedIn(), 'Open')).toEqual(nothing);
    expect(inspect(document, signedIn(), 'Private').denied).toEqual([pii('citizen.fullName', 'Citizen.fullName')]);
  });

  it('is none when the name is missing among several or unknown, or the schema has no such root', () => {
    expect(inspect(document, signedIn())).toEqual(nothing);
    expect(inspect(document, signedIn(), 'Other')).toEqual(nothing);
    expect(inspect('subscription { open __schema { queryType { name } } ... on Query { citizen(pin: "1") { pin } } }', anonymous)).toEqual(
      nothing,
    );
  });
});

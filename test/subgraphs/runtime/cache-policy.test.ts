import { ApolloServer } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cacheControlHeader, CacheHints } from '../../../subgraphs/runtime/cache-policy.js';

const sdl = `
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
enum CacheControlScope { PUBLIC PRIVATE }
type Query {
  units: [Unit!]! @cacheControl(maxAge: 86400)
  areas: [Area!]!
  person: Person
  tasks: [Task!]! @cacheControl(maxAge: 3600)
  mine: Task @cacheControl(maxAge: 100, scope: PRIVATE)
  entities: [Entity]!
  version: String
}
type Unit @cacheControl(maxAge: 86400) { code: ID! parent: Unit }
type Area @cacheControl(inheritMaxAge: true) { code: ID! value: Value! unit: Unit person: Person }
type Value @cacheControl(inheritMaxAge: true) { n: Int }
type Person { name: String }
type Task @cacheControl(maxAge: 3600) { n: Int shortLived: Int @cacheControl(maxAge: 30) }
union Entity = Unit | Area | Person
`;
const schema = buildSchema(sdl);

/** The header our computation gives, with the run-time hints resolvers gave per root field. */
function header(query: string, hints: Record<string, number> = {}, variables: Record<string, unknown> = {}): string {
  const given = new CacheHints();
  for (const [field, maxAge] of Object.entries(hints)) given.hint(field, maxAge);
  return cacheControlHeader(schema, parse(query), undefined, variables, given);
}

/** The header Apollo's own cache control plugin gives, for the same operation over resolvers that give the same hints. */
async function apolloHeader(query: string, hints: Record<string, number> = {}, variables: Record<string, unknown> = {}): Promise<string> {
  // Hints go by response key (an alias, or the field's name), as resolvers give them for the field they answer.
  const hinted =
    (_field: string, value: unknown) =>
    (
      _parent: unknown,
      _args: unknown,
      _context: unknown,
      info: { path: { key: string | number }; cacheControl: { setCacheHint(hint: object): void } },
    ) => {
      const hint = hints[String(info.path.key)];
      if (hint !== undefined) info.cacheControl.setCacheHint({ maxAge: hint });
      return value;
    };
  const unit = { code: '01', parent: { code: 'VN' } };
  const area = { code: '01', value: { n: 1 }, unit, person: { name: 'A' } };
  const server = new ApolloServer({
    typeDefs: sdl,
    resolvers: {
      Query: {
        units: hinted('units', [unit]),
        areas: hinted('areas', [area]),
        person: hinted('person', { name: 'A' }),
        tasks: hinted('tasks', [{ n: 1, shortLived: 2 }]),
        mine: hinted('mine', { n: 1, shortLived: 2 }),
        entities: hinted('entities', [unit, area]),
        version: hinted('version', '1'),
      },
      Entity: { __resolveType: (value: { value?: unknown; name?: unknown }) => (value.value ? 'Area' : value.name ? 'Person' : 'Unit') },
    },
  });
  await server.start();
  try {
    const response = await server.executeOperation({ query, variables });
    return response.http.headers.get('cache-control') ?? 'none';
  } finally {
    await server.stop();
  }
}

const cases: Array<[string, string, Record<string, number>?, Record<string, unknown>?]> = [
  ['a field and type with a maxAge', '{ units { code parent { code } } }'],
  ['a root field with no hint', '{ areas { code } }'],
  ['a root field hinted at run time', '{ areas { code value { n } } }', { areas: 60 }],
  ['an inheriting type under a hinted root, with a longer-lived type below', '{ areas { code unit { code } } }', { areas: 600 }],
  ['a type with no hint below an inheriting one', '{ areas { code person { name } } }', { areas: 600 }],
  ['a root field of a type with no hint', '{ person { name } }'],
  ['the shortest of two root fields', '{ units { code } tasks { n } }'],
  ['a field shorter than its type', '{ tasks { n shortLived } }'],
  ['a private scope', '{ mine { n } }'],
  ['an alias, hinted under its own name', '{ a: areas { code } }', { a: 120 }],
  ['a field left out by @skip', 'query ($no: Boolean!) { units { code } person @skip(if: $no) { name } }', {}, { no: true }],
  ['a field kept by @include', 'query ($yes: Boolean!) { units { code } person @include(if: $yes) { name } }', {}, { yes: true }],
  ['fragments, named and inline', '{ ...U } fragment U on Query { units { ... on Unit { code } } }'],
  ['a union, entity by entity', '{ entities { ... on Unit { code } ... on Area { code } } }', { entities: 300 }],
  ['a scalar root field with no hint', '{ version }'],
];

describe('the Cache-Control of a subgraph answer, from the operation', () => {
  it.each(cases)('agrees with Apollo’s cache control plugin: %s', async (_name, query, hints = {}, variables = {}) => {
    expect(header(query, hints, variables)).toBe(await apolloHeader(query, hints, variables));
  });

  it('gives the figures it should, not merely the same as Apollo', () => {
    expect(header('{ units { code } }')).toBe('max-age=86400, public');
    expect(header('{ areas { code } }')).toBe('no-store');
    expect(header('{ areas { code } }', { areas: 60 })).toBe('max-age=60, public');
    expect(header('{ mine { n } }')).toBe('max-age=100, private');
    expect(header('{ units { code } tasks { n shortLived } }')).toBe('max-age=30, public');
  });

  it('keeps the shortest run-time hint of a root field', () => {
    const hints = new CacheHints();
    hints.hint('areas', 86_400);
    hints.hint('areas', 60);
    hints.hint('areas', 86_400);
    expect(cacheControlHeader(schema, parse('{ areas { code } }'), undefined, {}, hints)).toBe('max-age=60, public');
  });
});

import {
  buildASTSchema,
  getIntrospectionQuery,
  getVariableValues,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { indicators as catalogue } from '../../../platform/indicators/catalog.js';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../gateway/cost/estimate.js';
import { introspectionListSizes, readCostModel } from '../../../gateway/cost/model.js';
import { readSupergraph } from '../../../gateway/supergraph.js';

const supergraph = parse(readSupergraph());
const schema = buildASTSchema(supergraph, { assumeValidSDL: true });
const model = readCostModel(supergraph);
const introspection = introspectionListSizes(schema);

/** The estimate of `query` with `variables`, as the gateway's demand control computes it. */
function cost(query: string, variables: Record<string, unknown> = {}, defaultListSize = 100): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return estimateCost({ schema, model, introspection, defaultListSize, operation, fragments, variables: coerced.coerced });
}

// The sizes the subgraph SDLs give (test/gateway/cost/list-sizes.test.ts checks them against the data).
const communes = 3_321;
const mostChildren = 168;

describe('the estimated cost of an operation', () => {
  it('prices the nested children/parent request of the issue by the lengths it multiplies', () => {
    const query = '{ administrativeUnits(level: PROVINCE) { children { parent { children { parent { children { code } } } } } } }';
    // Each list: its length × (1 for the object + what is under it); a single object (parent) costs 1 + what is under it.
    const innermost = mostChildren * (1 + 0);
    const expected = mostChildren * (1 + mostChildren * (1 + (1 + mostChildren * (1 + (1 + innermost)))));
    expect(cost(query)).toBe(expected);
    expect(expected).toBeGreaterThan(800_000_000);
  });

  it('prices a dashboard of every indicator of every commune for one period at 3,321 × its objects', () => {
    const indicators = catalogue.map((indicator) => indicator.id);
    const query = `{ areaStats(level: COMMUNE, period: "2025") { unitCode period asOf unit { name } ${indicators.map((name) => `${name} { value numerator denominator suppressed }`).join(' ')} } }`;
    // One AreaStats, its unit, and one IndicatorValue per indicator; scalars cost nothing.
    expect(cost(query)).toBe(communes * (1 + 1 + indicators.length));
  });

  it('counts every alias: ten aliases of a list cost ten lists', () => {
    const one = cost('{ areaStats(level: COMMUNE, period: "2025") { unitCode } }');
    const aliases = Array.from({ length: 10 }, (_, index) => `a${index}: areaStats(level: COMMUNE, period: "2025") { unitCode }`).join(' ');
    expect(one).toBe(communes);
    expect(cost(`{ ${aliases} }`)).toBe(10 * one);
  });

  it('takes a page size from a literal, a variable or the schema default, and applies it to the page nodes', () => {
    const page = (first: string) =>
      `{ healthRecords(communeCode: "00004"${first}) { nodes { pin encounters { date } } pageInfo { hasNextPage } } }`;
    // The page object (1) and its pageInfo (1); each node (1) and its ten encounters (last defaults to 10).
    const perNode = 1 + 10 * 1;
    expect(cost(page(''))).toBe(1 + 1 + 50 * perNode);
    expect(cost(page(', first: 3'))).toBe(1 + 1 + 3 * perNode);
    expect(cost('query Q($size: Int) { healthRecords(communeCode: "00004", first: $size) { nodes { pin } } }', { size: 1_000_000 })).toBe(
      1 + 1_000_000,
    );
    expect(cost('query Q($size: Int) { healthRecords(communeCode: "00004", first: $size) { nodes { pin } } }', {})).toBe(1 + 50);
    // A negative size produces nothing: the subgraph refuses it, and it cannot make a cost negative.
    expect(cost(page(', first: -5'))).toBe(1 + 1);
  });

  it('takes a slicing argument from a variable inside a nested list', () => {
    const query = 'query Q($last: Int) { healthRecords(communeCode: "00004", first: 2) { nodes { encounters(last: $last) { date } } } }';
    expect(cost(query, { last: 50 })).toBe(1 + 2 * (1 + 50));
  });

  it('uses the assumed size where no slicing argument applies', () => {
    expect(cost('{ citizens(pins: ["1"]) { pin } }')).toBe(1_000);
    expect(cost('{ tasks { number indicators { id targets { value } } } }')).toBe(18 * (1 + 16 * (1 + 10)));
  });

  it('uses the default list size for a list the schema gives no size, and @cost weights where given', () => {
    const sdl = parse(`
      directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
      type Query { things(expensive: Boolean @cost(weight: 7)): [Thing!]! heavy: Thing @cost(weight: 5) }
      type Thing @cost(weight: 3) { id: ID names: [String!]! }`);
    const small = buildASTSchema(sdl);
    const priced = (query: string) => {
      const operation = parse(query).definitions[0] as OperationDefinitionNode;
      return estimateCost({
        schema: small,
        model: readCostModel(sdl),
        introspection: new Map(),
        defaultListSize: 4,
        operation,
        fragments: {},
        variables: {},
      });
    };
    expect(priced('{ things { id names } }')).toBe(4 * 3);
    expect(priced('{ things(expensive: true) { id } }')).toBe(7 + 4 * 3);
    expect(priced('{ heavy { id } }')).toBe(5);
  });

  it('leaves out what @skip and @include leave out, from literals and variables', () => {
    const query =
      'query Q($hide: Boolean!) { a: areaStats(level: COMMUNE, period: "2025") @skip(if: $hide) { unitCode } b: tasks @include(if: false) { number } }';
    expect(cost(query, { hide: true })).toBe(0);
    expect(cost(query, { hide: false })).toBe(communes);
  });

  it('counts fragments, named and inline, each time they are spread', () => {
    const query = `
      query { areaStats(level: COMMUNE, period: "2025") { ...Values ...Values ... on AreaStats { unit { code } } } }
      fragment Values on AreaStats { eIdAdoption { value } }`;
    expect(cost(query)).toBe(communes * (1 + 1 + 1 + 1));
  });

  it('prices a fragment spread many times over without walking it each time', () => {
    // Ten levels that each spread the next twice: 2^10 spreads of the last, priced once each level.
    const levels = Array.from(
      { length: 10 },
      (_, level) => `fragment F${level} on AdministrativeUnit { code ${level < 9 ? `...F${level + 1} ...F${level + 1}` : ''} }`,
    );
    const query = `{ administrativeUnit(code: "01") { ...F0 } } ${levels.join(' ')}`;
    expect(cost(query)).toBe(1);
  });

  it('prices introspection by the lengths of this schema, so nested introspection is expensive', () => {
    const types = introspection.get('__Schema.types')!.assumedSize!;
    const fields = introspection.get('__Type.fields')!.assumedSize!;
    expect(cost('{ __schema { types { name } } }')).toBe(1 + types);
    const nested = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    expect(cost(nested)).toBe(1 + types * (1 + fields * (1 + (1 + fields * (1 + (1 + fields))))));
    const deeper = `{ __schema { types { ${'fields { type { '.repeat(5)}name${' } }'.repeat(5)} } } }`;
    // Over an anonymous caller's budget, while the explorer's own introspection query stays far below it.
    expect(cost(deeper)).toBeGreaterThan(100_000);
    expect(cost(getIntrospectionQuery())).toBeLessThan(20_000);
  });

  it('costs a single object 1 and a scalar nothing', () => {
    expect(cost('{ administrativeUnit(code: "01") { code name } }')).toBe(1);
    expect(cost('{ __typename }')).toBe(0);
  });
});

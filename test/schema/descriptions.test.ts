import { composeServices } from '@apollo/composition';
import {
  buildSchema,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  parse,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readApiSchema } from '../../scripts/compose/api-schema.js';
import { subgraphs } from '../../subgraphs/index.js';

const described = (description: string | null | undefined) => (description ?? '').trim() !== '';

/** The schema coordinate of every type, field, argument, input field and enum value of a type that has no description. */
function undescribed(type: GraphQLNamedType): string[] {
  const missing = described(type.description) ? [] : [type.name];
  if (isObjectType(type) || isInterfaceType(type))
    for (const field of Object.values(type.getFields())) {
      if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
      for (const arg of field.args) if (!described(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name}:)`);
    }
  if (isInputObjectType(type))
    for (const field of Object.values(type.getFields())) if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
  if (isEnumType(type)) for (const value of type.getValues()) if (!described(value.description)) missing.push(`${type.name}.${value.name}`);
  return missing;
}

describe('the API schema documents itself', () => {
  it('describes every type, field, argument and enum value a client can see (describe them in schema/<subgraph>.graphql)', () => {
    const schema = buildSchema(readApiSchema());
    const types = Object.values(schema.getTypeMap()).filter((type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type));
    expect(types.length).toBeGreaterThan(20);
    expect(types.flatMap(undescribed)).toEqual([]);
  });

  it('says the same of a type declared in several subgraphs in each of them (composition would keep one and hint)', () => {
    const result = composeServices(
      subgraphs.map(({ definition }) => ({
        name: definition.name,
        url: 'http://subgraph.invalid/graphql',
        typeDefs: parse(readFileSync(definition.schemaFile, 'utf8')),
      })),
    );
    expect(result.errors).toBeUndefined();
    expect((result.hints ?? []).filter((hint) => hint.definition.code === 'INCONSISTENT_DESCRIPTION').map((hint) => hint.message)).toEqual(
      [],
    );
  });

  it('finds what is missing (the check is not vacuous)', () => {
    const schema = buildSchema(`"Q" type Query { "f" f(a: Int): E } enum E { "x" X Y }`);
    expect(['Query', 'E'].flatMap((name) => undescribed(schema.getType(name)!))).toEqual(['Query.f(a:)', 'E', 'E.Y']);
  });
});

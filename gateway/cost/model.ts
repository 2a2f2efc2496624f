import {
  Kind,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  isEnumType,
} from 'graphql';

/**
 * What the supergraph says about the cost of its elements, from the cost
 * directives that composition carries over from the subgraph SDLs
 * (https://specs.apollo.dev/cost/v0.1, the IBM GraphQL Cost Directives):
 * `@cost(weight:)` on types, fields and arguments, and `@listSize` on list
 * fields, which says how long the list can be.
 */
export interface CostModel {
  /** `@cost` weights by coordinate: `Type`, `Type.field`, `Type.field(argument:)`. */
  readonly weights: ReadonlyMap<string, number>;
  /** `@listSize` by field coordinate `Type.field`. */
  readonly listSizes: ReadonlyMap<string, ListSize>;
}

export interface ListSize {
  /** The length to assume when no slicing argument says it. */
  readonly assumedSize?: number;
  /** Arguments whose value is the length of the list (`first`, `last`); the largest one given counts. */
  readonly slicingArguments: readonly string[];
  /** For a page object: its list fields the slicing applies to (`nodes`), instead of the field itself. */
  readonly sizedFields: readonly string[];
}

/** Reads the cost directives of the supergraph (or of a subgraph SDL). */
export function readCostModel(document: DocumentNode): CostModel {
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const readWeight = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const weight = directiveArgument(directives, 'cost', 'weight');
    if (weight?.kind === Kind.INT) weights.set(coordinate, Number(weight.value));
  };
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION &&
      definition.kind !== Kind.ENUM_TYPE_DEFINITION
    ) {
      continue;
    }
    const typeName = definition.name.value;
    readWeight(typeName, definition.directives);
    if (definition.kind === Kind.SCALAR_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      readWeight(coordinate, field.directives);
      for (const argument of field.arguments ?? []) readWeight(`${coordinate}(${argument.name.value}:)`, argument.directives);
      const listSize = field.directives?.find((directive) => directive.name.value === 'listSize');
      if (listSize) listSizes.set(coordinate, readListSize(listSize));
    }
  }
  return { weights, listSizes };
}

function readListSize(directive: ConstDirectiveNode): ListSize {
  const assumed = directiveArgument([directive], 'listSize', 'assumedSize');
  return {
    ...(assumed?.kind === Kind.INT ? { assumedSize: Number(assumed.value) } : {}),
    slicingArguments: stringList(directiveArgument([directive], 'listSize', 'slicingArguments')),
    sizedFields: stringList(directiveArgument([directive], 'listSize', 'sizedFields')),
  };
}

function directiveArgument(
  directives: readonly ConstDirectiveNode[] | undefined,
  directive: string,
  argument: string,
): ConstValueNode | undefined {
  return directives?.find((node) => node.name.value === directive)?.arguments?.find((node) => node.name.value === argument)?.value;
}

function stringList(value: ConstValueNode | undefined): string[] {
  if (value?.kind === Kind.LIST) return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
  if (value?.kind === Kind.STRING) return [value.value];
  return [];
}

/**
 * The lengths of introspection's lists in this schema, so that an
 * introspection query is priced like any other: one that nests
 * `fields { type { fields ... } }` costs what it would produce. Per-type
 * lists take their mean length (rounded up): `types { fields }` then costs
 * about the number of fields the schema has, where the longest list would
 * price the explorer's own introspection query several times over.
 */
export function introspectionListSizes(schema: GraphQLSchema): ReadonlyMap<string, ListSize> {
  const types = Object.values(schema.getTypeMap());
  const lengths = {
    fields: [] as number[],
    inputFields: [] as number[],
    enumValues: [] as number[],
    interfaces: [] as number[],
    possibleTypes: [] as number[],
    args: [] as number[],
  };
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = Object.values(type.getFields());
      lengths.fields.push(fields.length);
      lengths.interfaces.push(type.getInterfaces().length);
      for (const field of fields) lengths.args.push(field.args.length);
    }
    if (isInterfaceType(type) || isUnionType(type)) lengths.possibleTypes.push(schema.getPossibleTypes(type).length);
    if (isInputObjectType(type)) lengths.inputFields.push(Object.keys(type.getFields()).length);
    if (isEnumType(type)) lengths.enumValues.push(type.getValues().length);
  }
  const directives = schema.getDirectives();
  const directiveArgs = directives.map((directive) => directive.args.length);
  const sized = (assumedSize: number): ListSize => ({ assumedSize, slicingArguments: [], sizedFields: [] });
  const mean = (values: readonly number[]) =>
    sized(values.length === 0 ? 0 : Math.ceil(values.reduce((sum, value) => sum + value, 0) / values.length));
  return new Map([
    ['__Schema.types', sized(types.length)],
    ['__Schema.directives', sized(directives.length)],
    ['__Type.fields', mean(lengths.fields)],
    ['__Type.inputFields', mean(lengths.inputFields)],
    ['__Type.enumValues', mean(lengths.enumValues)],
    ['__Type.interfaces', mean(lengths.interfaces)],
    ['__Type.possibleTypes', mean(lengths.possibleTypes)],
    ['__Field.args', mean(lengths.args)],
    ['__Directive.args', mean(directiveArgs)],
  ]);
}

import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostModel, ListSize } from './model.js';

export interface EstimateInput {
  readonly schema: GraphQLSchema;
  readonly model: CostModel;
  /** List lengths for introspection's lists (see introspectionListSizes). */
  readonly introspection: ReadonlyMap<string, ListSize>;
  /** The length assumed for a list field the schema gives no @listSize. */
  readonly defaultListSize: number;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** The operation's variables, already coerced. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/**
 * The estimated cost of an operation, before anything runs, in the model of
 * the IBM GraphQL Cost Specification as Apollo Router's demand control applies
 * it: an object costs 1 and a scalar or enum 0 unless `@cost` says otherwise;
 * a list costs its length times the cost of one item, the length taken from
 * the largest slicing argument given (a literal, a variable or the schema's
 * default), else `@listSize(assumedSize:)`, else the default list size; with
 * `sizedFields` the length applies to the named fields of the page object.
 * Every alias and every fragment counts (a fragment on a type the object may
 * not have is counted anyway: the estimate is an upper bound), and fields that
 * `@skip`/`@include` leave out do not.
 */
export function estimateCost(input: EstimateInput): number {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return 0;
  const estimator = new Estimator(input);
  return estimator.selections(root, input.operation.selectionSet, undefined);
}

class Estimator {
  /** Fragment costs by fragment, type and imposed sizes: a fragment spread many times is priced once. */
  readonly #fragmentCosts = new Map<string, number>();

  constructor(private readonly input: EstimateInput) {}

  selections(parent: GraphQLCompositeType, selectionSet: SelectionSetNode, sizedFields: ReadonlyMap<string, number> | undefined): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (!this.#included(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          total += this.#field(parent, selection, sizedFields?.get(selection.name.value));
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? this.#compositeType(selection.typeCondition.name.value) : parent;
          if (type) total += this.selections(type, selection.selectionSet, sizedFields);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = this.input.fragments[selection.name.value];
          const type = fragment && this.#compositeType(fragment.typeCondition.name.value);
          if (!fragment || !type) break;
          const key = `${fragment.name.value}|${type.name}|${sizedFields ? JSON.stringify([...sizedFields]) : ''}`;
          let cost = this.#fragmentCosts.get(key);
          if (cost === undefined) {
            // Cycles are refused by validation; this guards the walk all the same.
            this.#fragmentCosts.set(key, 0);
            cost = this.selections(type, fragment.selectionSet, sizedFields);
            this.#fragmentCosts.set(key, cost);
          }
          total += cost;
          break;
        }
      }
    }
    return total;
  }

  #field(parent: GraphQLCompositeType, node: FieldNode, imposedSize: number | undefined): number {
    const name = node.name.value;
    if (name === '__typename') return 0;
    const definition = this.#fieldDefinition(parent, name);
    if (!definition) return 0;
    const coordinate = `${parent.name}.${name}`;
    const { weights } = this.input.model;
    const args = getArgumentValues(definition, node, this.input.variables as Record<string, unknown>);
    let argumentCost = 0;
    for (const argument of definition.args) {
      if (args[argument.name] !== undefined) argumentCost += weights.get(`${coordinate}(${argument.name}:)`) ?? 0;
    }
    const itemType = getNamedType(definition.type);
    const itemCost = weights.get(coordinate) ?? weights.get(itemType.name) ?? (isCompositeType(itemType) ? 1 : 0);
    const listSize = this.input.model.listSizes.get(coordinate) ?? this.input.introspection.get(coordinate);
    const isList = isListType(getNullableType(definition.type));
    let length = isList ? (imposedSize ?? this.input.defaultListSize) : 1;
    let childSizes: Map<string, number> | undefined;
    if (listSize) {
      const size = sizeFrom(listSize, args) ?? this.input.defaultListSize;
      if (listSize.sizedFields.length > 0) childSizes = new Map(listSize.sizedFields.map((field) => [field, size]));
      else if (isList) length = imposedSize ?? size;
    }
    const childCost = node.selectionSet && isCompositeType(itemType) ? this.selections(itemType, node.selectionSet, childSizes) : 0;
    return argumentCost + length * (itemCost + childCost);
  }

  #fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (parent === this.input.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
    return undefined;
  }

  #compositeType(name: string): GraphQLCompositeType | undefined {
    const type = this.input.schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  }

  #included(selection: SelectionSetNode['selections'][number]): boolean {
    const variables = this.input.variables as Record<string, unknown>;
    if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.['if'] !== false;
  }
}

/** The list length the slicing arguments give (the largest given), else the assumed size. */
function sizeFrom(listSize: ListSize, args: Record<string, unknown>): number | undefined {
  const sliced = listSize.slicingArguments.map((name) => args[name]).filter((value): value is number => typeof value === 'number');
  // A negative page size produces nothing; a fractional one cannot occur (Int).
  if (sliced.length > 0) return Math.max(0, ...sliced);
  return listSize.assumedSize;
}

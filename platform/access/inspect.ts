import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import {
  combine,
  describeRequirement,
  isPersonal,
  noRequirement,
  satisfies,
  type AccessHolder,
  type AccessRequirement,
  type AccessRules,
} from './rules.js';

/** What an operation reads, as far as access is concerned. */
export interface OperationAccess {
  /** Fields the caller may not read: response path, coordinate and what it needs. */
  readonly denied: ReadonlyArray<{ readonly path: string; readonly coordinate: string; readonly needs: string }>;
  /** Coordinates of personal data it selects: `:pii` fields and everything below them. */
  readonly personalFields: ReadonlySet<string>;
  /** Whether it asks for the schema (__schema or __type). */
  readonly introspection: boolean;
}

/**
 * Walks the operation's selections (through fragments) against the schema and
 * the access rules. Fields under @skip/@include count as selected: access is
 * decided on what the operation could read, not on its variables.
 */
export function inspectOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rules: AccessRules,
  holder: AccessHolder,
): OperationAccess {
  const operation = getOperationAST(document, operationName);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const denied: Array<{ path: string; coordinate: string; needs: string }> = [];
  const deniedPaths = new Set<string>();
  const personalFields = new Set<string>();
  let introspection = false;
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return { denied, personalFields, introspection };

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: string,
    personal: boolean,
    seen: ReadonlySet<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const narrowed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (narrowed && isCompositeType(narrowed)) walk(selection.selectionSet, narrowed, path, personal, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const narrowed = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && narrowed && isCompositeType(narrowed) && !seen.has(fragment.name.value)) {
          walk(fragment.selectionSet, narrowed, path, personal, new Set([...seen, fragment.name.value]));
        }
        continue;
      }
      const name = selection.name.value;
      if (name === '__schema' || name === '__type') {
        introspection = true;
        continue;
      }
      if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const returned = getNamedType(field.type);
      const coordinate = `${parent.name}.${name}`;
      const requirement = [rules.get(parent.name), rules.get(coordinate), rules.get(returned.name)].reduce<AccessRequirement>(
        (all, one) => (one ? combine(all, one) : all),
        noRequirement,
      );
      const fieldPath = path ? `${path}.${selection.alias?.value ?? name}` : (selection.alias?.value ?? name);
      if (!satisfies(holder, requirement)) {
        if (!deniedPaths.has(fieldPath)) denied.push({ path: fieldPath, coordinate, needs: describeRequirement(requirement) });
        deniedPaths.add(fieldPath);
        // What lies below a refused field is refused with it: one entry says so.
        continue;
      }
      const readsPersonal = personal || isPersonal(requirement);
      if (readsPersonal) personalFields.add(coordinate);
      if (selection.selectionSet && isCompositeType(returned)) walk(selection.selectionSet, returned, fieldPath, readsPersonal, seen);
    }
  };
  walk(operation.selectionSet, root, '', false, new Set());
  return { denied, personalFields, introspection };
}

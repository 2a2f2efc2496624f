import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/**
 * What reading one schema element needs, from its @authenticated and
 * @requiresScopes (Apollo Federation's security directives). `scopes` is a
 * list of conditions that must all hold; each condition is a list of
 * alternatives, and an alternative is a set of scopes the caller must all
 * hold: `[[["a"], ["b", "c"]]]` reads "a, or both b and c".
 */
export interface AccessRequirement {
  readonly authenticated: boolean;
  readonly scopes: ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>;
}

/** Requirements by schema coordinate: `Type` for a type, `Type.field` for a field. */
export type AccessRules = ReadonlyMap<string, AccessRequirement>;

export const noRequirement: AccessRequirement = { authenticated: false, scopes: [] };

/** The caller facts a requirement is checked against. */
export interface AccessHolder {
  readonly authenticated: boolean;
  readonly scopes: ReadonlySet<string>;
}

/** Reads the security directives of a subgraph SDL or of the composed supergraph. */
export function readAccessRules(document: DocumentNode): AccessRules {
  const rules = new Map<string, AccessRequirement>();
  const add = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const found = requirementOf(directives);
    if (found) rules.set(coordinate, combine(rules.get(coordinate) ?? noRequirement, found));
  };
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        add(definition.name.value, definition.directives);
        for (const field of definition.fields ?? []) add(`${definition.name.value}.${field.name.value}`, field.directives);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
        add(definition.name.value, definition.directives);
        break;
      default:
    }
  }
  return rules;
}

export function combine(first: AccessRequirement, second: AccessRequirement): AccessRequirement {
  if (first === noRequirement) return second;
  if (second === noRequirement) return first;
  return { authenticated: first.authenticated || second.authenticated, scopes: [...first.scopes, ...second.scopes] };
}

export function satisfies(holder: AccessHolder, requirement: AccessRequirement): boolean {
  if (requirement.authenticated && !holder.authenticated) return false;
  return requirement.scopes.every((alternatives) => alternatives.some((needed) => needed.every((scope) => holder.scopes.has(scope))));
}

/** Whether the requirement guards personal data: it names an agency's `:pii` scope. */
export function isPersonal(requirement: AccessRequirement): boolean {
  return requirement.scopes.some((alternatives) => alternatives.some((needed) => needed.some((scope) => scope.endsWith(':pii'))));
}

/** Object types with personal fields, or personal as a whole (Citizen, HealthRecord...); Query is no one's data. */
export function personalTypes(rules: AccessRules): Set<string> {
  const types = new Set([...rules].filter(([, requirement]) => isPersonal(requirement)).map(([coordinate]) => coordinate.split('.')[0]!));
  types.delete('Query');
  return types;
}

/** "population:pii", "a or (b and c)", "an authenticated caller": for error messages. */
export function describeRequirement(requirement: AccessRequirement): string {
  const conditions = requirement.scopes.map((alternatives) =>
    alternatives.map((needed) => (needed.length === 1 ? needed[0]! : `(${needed.join(' and ')})`)).join(' or '),
  );
  if (conditions.length === 0) return requirement.authenticated ? 'an authenticated caller' : 'nothing';
  return conditions.join(', and ');
}

function requirementOf(directives: readonly ConstDirectiveNode[] | undefined): AccessRequirement | undefined {
  let requirement: AccessRequirement | undefined;
  for (const directive of directives ?? []) {
    if (directive.name.value === 'authenticated') {
      requirement = combine(requirement ?? noRequirement, { authenticated: true, scopes: [] });
    } else if (directive.name.value === 'requiresScopes') {
      const argument = directive.arguments?.find((candidate) => candidate.name.value === 'scopes');
      if (!argument) continue;
      // GraphQL's list input coercion, which federation applies: `scopes: ["a", "b"]` means [["a"], ["b"]] and
      // `scopes: "a"` means [["a"]]. Read otherwise, they would be no requirement at all.
      // A scope that is not a string (`[[7]]`, which federation accepts) is one nobody holds: dropping it would open the field.
      const alternatives = listOf(argument.value).map((needed) =>
        listOf(needed).map((scope) => (scope.kind === Kind.STRING ? scope.value : unholdableScope)),
      );
      // Scopes alone, not authentication: anonymous callers hold ANONYMOUS_SCOPES.
      requirement = combine(requirement ?? noRequirement, { authenticated: false, scopes: [alternatives] });
    }
  }
  return requirement;
}

/** Caller scopes look like `agency:name`; this one cannot be held. */
const unholdableScope = '(not a scope)';

function listOf(value: ConstValueNode): readonly ConstValueNode[] {
  return value.kind === Kind.LIST ? value.values : [value];
}

import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective } from 'graphql';

/**
 * The Cache-Control header of a subgraph answer, which the gateway's caches
 * obey, computed from the operation instead of field by field. Apollo's cache
 * control plugin wraps every resolver to do this: for 3,321 areas with a few
 * indicators that is tens of thousands of calls, a good part of the time of
 * the answer. The rules are Apollo's (@cacheControl on types and fields,
 * inheritMaxAge, a default of 0 for root fields and fields returning objects),
 * taken once per operation document; the one dynamic hint our resolvers give,
 * a period's, is recorded per root field in the request's CacheHints.
 */
export interface CacheHint {
  readonly maxAge?: number;
  readonly scope?: 'PUBLIC' | 'PRIVATE';
}

/** Hints resolvers give at run time, per root field (by response key): the shortest one counts. */
export class CacheHints {
  private readonly byRootField = new Map<string, number>();

  hint(rootField: string, maxAge: number): void {
    this.byRootField.set(rootField, Math.min(maxAge, this.byRootField.get(rootField) ?? maxAge));
  }

  of(rootField: string): number | undefined {
    return this.byRootField.get(rootField);
  }
}

interface Annotation extends CacheHint {
  readonly inheritMaxAge?: boolean;
}

function annotationOf(directives: readonly DirectiveNode[] | undefined): Annotation {
  const directive = directives?.find((candidate) => candidate.name.value === 'cacheControl');
  const argument = (name: string) => directive?.arguments?.find((candidate) => candidate.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scope =
    scopeValue?.kind === Kind.ENUM && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE') ? scopeValue.value : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, ...(scope ? { scope } : {}) };
  const maxAge = argument('maxAge');
  return { ...(maxAge?.kind === Kind.INT ? { maxAge: Number.parseInt(maxAge.value, 10) } : {}), ...(scope ? { scope } : {}) };
}

const typeAnnotation = (type: GraphQLNamedType): Annotation =>
  [type.astNode, ...(type.extensionASTNodes ?? [])]
    .map((node) => annotationOf(node?.directives))
    .find((found) => Object.keys(found).length > 0) ?? {};

/** A running policy: the shortest maxAge and the narrowest scope met so far. */
class Policy {
  maxAge: number | undefined;
  scope: 'PUBLIC' | 'PRIVATE' = 'PUBLIC';

  restrict(hint: CacheHint): void {
    if (hint.maxAge !== undefined) this.maxAge = this.maxAge === undefined ? hint.maxAge : Math.min(this.maxAge, hint.maxAge);
    if (hint.scope === 'PRIVATE') this.scope = 'PRIVATE';
  }
}

/** What an operation's fields say, before run-time hints: per root field, its static hint (or none, awaiting one). */
interface StaticPolicy {
  readonly fields: Policy;
  /** Root fields with no maxAge of their own: each takes its run-time hint, else 0. */
  readonly rootFieldsAwaitingHint: ReadonlyArray<{ readonly responseKey: string; readonly scope?: 'PUBLIC' | 'PRIVATE' }>;
}

function staticPolicy(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
): StaticPolicy {
  const fields = new Policy();
  const awaiting: Array<{ responseKey: string; scope?: 'PUBLIC' | 'PRIVATE' }> = [];
  const included = (directives: readonly DirectiveNode[] | undefined) =>
    !directives?.length ||
    (getDirectiveValues(GraphQLSkipDirective, { directives } as { directives: readonly DirectiveNode[] }, variables)?.if !== true &&
      getDirectiveValues(GraphQLIncludeDirective, { directives } as { directives: readonly DirectiveNode[] }, variables)?.if !== false);
  const applies = (condition: string | undefined, type: GraphQLObjectType) => {
    if (!condition || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };
  const walk = (selectionSet: SelectionSetNode, type: GraphQLObjectType, root: boolean, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection.directives)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type)) walk(selection.selectionSet, type, root, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value) && applies(fragment.typeCondition.name.value, type))
          walk(fragment.selectionSet, type, root, new Set([...seen, fragment.name.value]));
        continue;
      }
      const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[selection.name.value];
      // Meta fields (__typename) are not resolvers of the schema: they carry no hint.
      if (!field) continue;
      const target = getNamedType(field.type);
      const composite = isCompositeType(target);
      let hint: Annotation = composite ? typeAnnotation(target) : {};
      let inherits = !!hint.inheritMaxAge;
      const own = annotationOf((field.astNode as FieldDefinitionNode | undefined)?.directives);
      if (own.inheritMaxAge && hint.maxAge === undefined) {
        inherits = true;
        if (own.scope) hint = { ...hint, scope: own.scope };
      } else hint = { ...hint, ...own };
      if (root && hint.maxAge === undefined)
        awaiting.push({ responseKey: selection.alias?.value ?? selection.name.value, ...(hint.scope ? { scope: hint.scope } : {}) });
      else if (hint.maxAge === undefined && composite && !inherits)
        fields.restrict({ maxAge: 0, ...(hint.scope ? { scope: hint.scope } : {}) });
      else fields.restrict(hint);
      if (composite && selection.selectionSet) {
        const possible = isAbstractType(target) ? schema.getPossibleTypes(target) : [target as GraphQLObjectType];
        for (const objectType of possible) walk(selection.selectionSet, objectType, false, seen);
      }
    }
  };
  const rootType = schema.getRootType(operation.operation);
  if (rootType) walk(operation.selectionSet, rootType, true, new Set());
  return { fields, rootFieldsAwaitingHint: awaiting };
}

/** The header value for an answer: `max-age=N, public|private` when it may be kept, else `no-store`. */
export function cacheControlHeader(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Readonly<Record<string, unknown>>,
  hints: CacheHints,
): string {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations[0];
  if (!operation) return 'no-store';
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const found = staticPolicy(schema, operation, fragments, variables);
  const policy = new Policy();
  policy.restrict(found.fields);
  for (const { responseKey, scope } of found.rootFieldsAwaitingHint)
    policy.restrict({ maxAge: hints.of(responseKey) ?? 0, ...(scope ? { scope } : {}) });
  return policy.maxAge !== undefined && policy.maxAge > 0 ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}` : 'no-store';
}

/** Sets the answer's Cache-Control from the operation and the request's run-time hints; an answer with errors is never kept. */
export function cachePolicyPlugin<Context extends { readonly cacheHints: CacheHints }>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ schema, document, operationName, request, response, contextValue }) {
          const failed = response.body.kind !== 'single' || !!response.body.singleResult.errors?.length;
          const header =
            failed || !document
              ? 'no-store'
              : cacheControlHeader(schema, document, operationName ?? undefined, request.variables ?? {}, contextValue.cacheHints);
          response.http.headers.set('cache-control', header);
        },
      };
    },
  };
}

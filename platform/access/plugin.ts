import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { AppError, asGraphQLError, ErrorCode } from '../errors.js';
import { scopeKey, type Caller } from './caller.js';
import { inspectOperation, type OperationAccess } from './inspect.js';
import type { AccessRules } from './rules.js';

export interface AccessPolicy {
  readonly rules: AccessRules;
  /** Purposes accepted for reading personal data; undefined: purpose is not checked here. */
  readonly purposes?: ReadonlySet<string>;
  /** Whether anyone may introspect; otherwise only holders of schema:read. */
  readonly introspectionForAll: boolean;
}

/** The part of a request's context the access check reads and writes. */
export interface AccessContext extends BaseContext {
  readonly caller: Caller;
  /** What the operation reads, once checked: the audit trail's input. */
  readonly access: { inspection?: OperationAccess };
}

export const schemaReadScope = 'schema:read';

/**
 * Checks every operation before it runs, on the gateway and again on each
 * subgraph: a field the caller may not read stops the whole operation with
 * FORBIDDEN naming every such field; personal data need a declared, accepted
 * purpose; introspection needs schema:read unless the policy allows it.
 */
export function accessPlugin<Context extends AccessContext>(policy: AccessPolicy): ApolloServerPlugin<Context> {
  // Apollo keeps one parsed document per operation text: each is inspected once per set of scopes.
  const inspections = new WeakMap<DocumentNode, Map<string, OperationAccess>>();
  const inspect = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null, caller: Caller) => {
    const key = `${operationName ?? ''}\n${caller.authenticated}\n${scopeKey(caller)}`;
    let byScopes = inspections.get(document);
    if (!byScopes) inspections.set(document, (byScopes = new Map()));
    let inspection = byScopes.get(key);
    if (!inspection) {
      inspection = inspectOperation(schema, document, operationName, policy.rules, caller);
      // Bounded: a document is met by a few sets of scopes, not by every caller.
      if (byScopes.size < 100) byScopes.set(key, inspection);
    }
    return inspection;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, contextValue }) {
          const { caller } = contextValue;
          const inspection = inspect(schema, document, operationName ?? null, caller);
          if (inspection.introspection && !policy.introspectionForAll && !caller.scopes.has(schemaReadScope)) {
            throw asGraphQLError(new AppError(ErrorCode.FORBIDDEN, `Introspection needs the ${schemaReadScope} scope`));
          }
          if (inspection.denied.length > 0) {
            const listed = inspection.denied.map(({ path, needs }) => `${path} (needs ${needs})`).join(', ');
            const who = caller.authenticated ? `${caller.subject} may not read` : 'Anonymous callers may not read (authenticate first)';
            throw asGraphQLError(
              new AppError(ErrorCode.FORBIDDEN, `${who}: ${listed}`, {
                extensions: { deniedFields: inspection.denied.map(({ path, needs }) => ({ path, needs })) },
              }),
            );
          }
          if (policy.purposes && inspection.personalFields.size > 0) {
            const accepted = [...policy.purposes].join(', ');
            if (!caller.purpose) {
              throw asGraphQLError(
                new AppError(
                  ErrorCode.PURPOSE_REQUIRED,
                  `This operation reads personal data: declare its purpose in the x-purpose header (one of: ${accepted})`,
                ),
              );
            }
            if (!policy.purposes.has(caller.purpose)) {
              throw asGraphQLError(
                new AppError(ErrorCode.PURPOSE_REQUIRED, `Purpose ${JSON.stringify(caller.purpose)} is not an accepted one (${accepted})`),
              );
            }
          }
          contextValue.access.inspection = inspection;
        },
      };
    },
  };
}

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { AppError, asGraphQLError, ErrorCode } from '../errors.js';
import type { Caller } from './caller.js';
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
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, contextValue }) {
          const { caller } = contextValue;
          const inspection = inspectOperation(schema, document, operationName, policy.rules, caller);
          if (inspection.introspection && !policy.introspectionForAll && !caller.scopes.has(schemaReadScope)) {
            throw asGraphQLError(new AppError(ErrorCode.FORBIDDEN, `Introspection needs the ${schemaReadScope} scope`));
          }
          if (inspection.denied.length > 0) {
            const listed = inspection.denied.map(({ path, needs }) => `${path} (needs ${needs})`).join(', ');
            const who = caller.authenticated ? `${caller.subject} may not read` : 'Anonymous callers may not read (authenticate first)';
            throw asGraphQLError(
              new AppError(ErrorCode.FORBIDDEN, `${who}: ${listed}`, { extensions: { deniedFields: inspection.denied.map(({ path, needs }) => ({ path, needs })) } }),
            );
          }
          if (policy.purposes && inspection.personalFields.size > 0) {
            const accepted = [...policy.purposes].join(', ');
            if (!caller.purpose) {
              throw asGraphQLError(
                new AppError(ErrorCode.PURPOSE_REQUIRED, `This operation reads personal data: declare its purpose in the x-purpose header (one of: ${accepted})`),
              );
            }
            if (!policy.purposes.has(caller.purpose)) {
              throw asGraphQLError(new AppError(ErrorCode.PURPOSE_REQUIRED, `Purpose ${JSON.stringify(caller.purpose)} is not an accepted one (${accepted})`));
            }
          }
          contextValue.access.inspection = inspection;
        },
      };
    },
  };
}

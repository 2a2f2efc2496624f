import type { ApolloServerPlugin } from '@apollo/server';
import { isObjectType, Kind, visit, visitWithTypeInfo, TypeInfo, type DocumentNode, type FieldNode, type GraphQLSchema } from 'graphql';
import { AppError, asGraphQLError, ErrorCode } from '../../platform/errors.js';
import type { AuditTrail } from '../audit/trail.js';
import type { GatewayContext } from '../context.js';

/**
 * The field that says whose data an object holds, per type of personal data.
 * A test checks that every type with personal fields is named here.
 */
export const pinFieldOf: ReadonlyMap<string, string> = new Map([
  ['Citizen', 'pin'],
  ['HealthRecord', 'pin'],
  ['CivilServant', 'pin'],
  ['FarmHousehold', 'headPin'],
]);

/** The alias under which the gateway asks for the PIN of every personal object; removed before answering. */
export const auditPinAlias = '__audit_pin';

/**
 * Records every operation that reads personal data in the audit trail, with
 * the PINs it returned, before the answer leaves: the gateway adds a PIN field
 * to each personal object it asks for (so PINs are known even when the client
 * did not select them), collects and strips them from the answer, and writes
 * the record. If the record cannot be written, the answer is replaced by
 * AUDIT_UNAVAILABLE: personal data never leave unrecorded.
 */
export function auditPlugin(trail: AuditTrail): ApolloServerPlugin<GatewayContext> {
  // Apollo keeps one parsed document per operation text, so what is worked out from a document is worked out once.
  const rewritten = new WeakMap<DocumentNode, DocumentNode>();
  const aliasChecked = new WeakMap<DocumentNode, boolean>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document }) {
          let reserved = aliasChecked.get(document);
          if (reserved === undefined) aliasChecked.set(document, (reserved = usesAuditAlias(document)));
          if (reserved)
            throw asGraphQLError(new AppError(ErrorCode.BAD_USER_INPUT, `The alias ${auditPinAlias} is reserved by the gateway`));
        },
        async responseForOperation(requestContext) {
          if (!requestContext.contextValue.access.inspection?.personalFields.size) return null;
          // The rewrite depends on the document alone, so the query plan cached under its hash stays right.
          let withPins = rewritten.get(requestContext.document);
          if (!withPins) rewritten.set(requestContext.document, (withPins = withPinFields(requestContext.schema, requestContext.document)));
          (requestContext as { document: DocumentNode }).document = withPins;
          return null;
        },
        async willSendResponse({ contextValue, response, request, queryHash, operationName }) {
          const personalFields = contextValue.access.inspection?.personalFields;
          if (!personalFields?.size || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // Refused before it ran (bad input, a reserved alias): nothing personal was read, so nothing is recorded.
          if (result.data === undefined || result.data === null) return;
          const pins = takePins(result.data);
          const { caller } = contextValue;
          try {
            await trail.record({
              recordedAt: new Date(),
              subject: caller.subject,
              agency: caller.agency,
              purpose: caller.purpose,
              operationName: operationName ?? request.operationName ?? null,
              operationHash: queryHash ?? '',
              pins,
              fields: [...personalFields].sort(),
              requestId: caller.requestId,
            });
          } catch (error) {
            const failure =
              error instanceof AppError
                ? error
                : new AppError(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail cannot be written now', { cause: error });
            response.body.singleResult = { errors: [{ message: failure.message, extensions: { code: failure.code } }] };
            response.http.status = failure.httpStatus;
          }
        },
      };
    },
  };
}

function usesAuditAlias(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.alias?.value === auditPinAlias) found = true;
    },
  });
  return found;
}

/** The document with `__audit_pin: pin` added to every selection on a type of personal data. */
export function withPinFields(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const parent = typeInfo.getParentType();
        const pinField = parent && isObjectType(parent) ? pinFieldOf.get(parent.name) : undefined;
        if (!pinField) return undefined;
        const field: FieldNode = {
          kind: Kind.FIELD,
          alias: { kind: Kind.NAME, value: auditPinAlias },
          name: { kind: Kind.NAME, value: pinField },
        };
        return { ...node, selections: [...node.selections, field] };
      },
    }),
  );
}

/** Collects the PINs the gateway asked for, removing them from the answer. */
function takePins(data: unknown): string[] {
  const pins = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (auditPinAlias in object) {
        if (typeof object[auditPinAlias] === 'string') pins.add(object[auditPinAlias]);
        delete object[auditPinAlias];
      }
      for (const child of Object.values(object)) walk(child);
    }
  };
  walk(data);
  return [...pins];
}

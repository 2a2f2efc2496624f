import type { ApolloServerPlugin } from '@apollo/server';
import type { Caller } from '../../platform/access/caller.js';
import { AppError, asGraphQLError, ErrorCode } from '../../platform/errors.js';
import { type TrustedDocuments, trustedDocumentsOnlyScope } from '../trusted-documents.js';

interface PersistedReference {
  readonly persistedQuery?: { readonly sha256Hash?: unknown };
}

/** The hash a request names, in Apollo's persisted-query extension (what graphql-codegen's client preset and Apollo Client send). */
function hashOf(request: { extensions?: Record<string, unknown> }): string | undefined {
  const hash = (request.extensions as PersistedReference | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * Runs trusted documents by their hash alone (the text comes from the
 * manifest, so a client need not send it), and holds a client bound to them
 * (scope operations:trusted-only) to nothing else: any other operation, or a
 * known hash sent with a different text, is refused with OPERATION_NOT_TRUSTED
 * before it is planned. Other callers keep ad hoc queries.
 */
export function trustedDocumentsPlugin<Context extends { readonly caller: Caller }>(
  documents: TrustedDocuments,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request, contextValue }) {
      const hash = hashOf(request);
      const known = hash === undefined ? undefined : documents.get(hash);
      if (known !== undefined && request.query === undefined) request.query = known;
      const bound = contextValue.caller.scopes.has(trustedDocumentsOnlyScope);
      const trusted = known !== undefined && request.query === known;
      return {
        // didResolveOperation, not earlier: Apollo turns what this hook throws into the answer (an earlier hook would be a 500).
        async didResolveOperation() {
          if (bound && !trusted) {
            throw asGraphQLError(
              new AppError(
                ErrorCode.OPERATION_NOT_TRUSTED,
                `${contextValue.caller.subject} may run trusted documents only: send the SHA-256 of one of them (extensions.persistedQuery.sha256Hash), not a document of its own`,
              ),
            );
          }
        },
      };
    },
  };
}

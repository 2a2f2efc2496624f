/**
 * The typed client for agencies' systems: every operation in documents/,
 * typed from the API schema (schema/api.graphql) by graphql-codegen, sent to
 * the gateway by its SHA-256. The gateway knows these operations as trusted
 * documents (generated/persisted-documents.json), so a key bound to trusted
 * documents can run them; a gateway that does not know one is sent its text.
 */
import type { TypedDocumentString } from './generated/graphql.js';

export * from './generated/graphql.js';

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. https://gateway.example.vn/graphql. */
  readonly url: string;
  /** Credentials and purpose: `authorization: Bearer …` or `x-api-key`, and `x-purpose` for personal data. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long one request may take (ms); default 60 s. */
  readonly timeoutMs?: number;
}

/** A refusal or failure the gateway answered, with its codes (`extensions.code`) and HTTP status. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly codes: readonly string[],
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

interface Answer<Result> {
  readonly data?: Result | null;
  readonly errors?: ReadonlyArray<{ readonly message: string; readonly extensions?: { readonly code?: string } }>;
}

export interface GatewayClient {
  /** Runs one operation; the answer's data, or a GatewayError for any error (an answer with gaps is not an answer). */
  request<Result, Variables>(document: TypedDocumentString<Result, Variables>, variables: Variables): Promise<Result>;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const post = async <Result>(body: object): Promise<{ status: number; answer: Answer<Result> }> => {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
    const answer = (await response
      .json()
      .catch(() => ({ errors: [{ message: `HTTP ${response.status} without a GraphQL answer` }] }))) as Answer<Result>;
    return { status: response.status, answer };
  };
  return {
    async request<Result, Variables>(document: TypedDocumentString<Result, Variables>, variables: Variables): Promise<Result> {
      const hash = String(document.__meta__?.hash ?? '').replace(/^sha256:/, '');
      let { status, answer } = await post<Result>({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      // A gateway that does not hold the document as trusted: send its text (without the hash, which names the normalised text).
      if (answer.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND'))
        ({ status, answer } = await post<Result>({ query: document.toString(), variables }));
      if (answer.errors?.length || answer.data === undefined || answer.data === null) {
        const errors = answer.errors ?? [{ message: `HTTP ${status} without data` }];
        throw new GatewayError(
          errors.map((error) => error.message).join('; '),
          status,
          errors.map((error) => error.extensions?.code ?? 'UNKNOWN'),
        );
      }
      return answer.data;
    },
  };
}

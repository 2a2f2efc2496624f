import { sha256Hex } from './sha256';

/**
 * The dashboard's only way to the data: the public GraphQL API, anonymously,
 * through automatic persisted queries. A query is first asked by its SHA-256
 * alone, with GET (a short URL that HTTP caches can keep); when the gateway
 * does not know the hash yet (PERSISTED_QUERY_NOT_FOUND) it is sent once in
 * full with POST, which registers it for every later visitor.
 */
export interface GraphQLError {
  readonly message: string;
  readonly extensions?: { readonly code?: string };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Answer<Data> {
  readonly data?: Data | null;
  readonly errors?: readonly GraphQLError[];
}

const accept = 'application/graphql-response+json, application/json';
const hashes = new Map<string, string>();

const notPersisted = (answer: Answer<unknown>) =>
  answer.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' || error.message === 'PersistedQueryNotFound') ??
  false;

async function read<Data>(response: Response): Promise<Answer<Data>> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new ApiError(`The API answered ${response.status} without JSON`);
  return (await response.json()) as Answer<Data>;
}

export interface Api {
  /** Runs one operation; throws an ApiError when the answer has no data. Partial answers come with their errors. */
  query<Data>(
    operationName: string,
    query: string,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ data: Data; errors: readonly GraphQLError[] }>;
}

export function createApi(endpoint: string): Api {
  return {
    async query<Data>(operationName: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal) {
      let hash = hashes.get(query);
      if (!hash) hashes.set(query, (hash = sha256Hex(query)));
      const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
      const url = new URL(endpoint, document.baseURI);
      url.searchParams.set('operationName', operationName);
      url.searchParams.set('variables', JSON.stringify(variables));
      url.searchParams.set('extensions', JSON.stringify(extensions));
      let answer = await read<Data>(await fetch(url, { headers: { accept }, signal, credentials: 'omit' }));
      if (notPersisted(answer)) {
        answer = await read<Data>(
          await fetch(endpoint, {
            method: 'POST',
            headers: { accept, 'content-type': 'application/json' },
            body: JSON.stringify({ operationName, query, variables, extensions }),
            signal,
            credentials: 'omit',
          }),
        );
      }
      if (!answer.data) {
        const first = answer.errors?.[0];
        throw new ApiError(first?.message ?? 'The API answered without data', first?.extensions?.code);
      }
      return { data: answer.data, errors: answer.errors ?? [] };
    },
  };
}

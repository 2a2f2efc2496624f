import { GraphQLError } from 'graphql';

/**
 * The one catalogue of errors. Every error the project raises on purpose is an
 * AppError with a code from here: GraphQL answers carry it as `extensions.code`,
 * command-line tools print its message and exit non-zero.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  /** The credentials presented (an API key) cannot be checked now: the gateway's database does not answer. */
  CREDENTIALS_UNAVAILABLE: 'CREDENTIALS_UNAVAILABLE',
  /** A client bound to trusted documents sent an operation that is not one of them. */
  OPERATION_NOT_TRUSTED: 'OPERATION_NOT_TRUSTED',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  DOCUMENT_TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  CONFIG_INVALID: 'CONFIG_INVALID',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  DATA_DIRECTORY_LOCKED: 'DATA_DIRECTORY_LOCKED',
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  SEED_FAILED: 'SEED_FAILED',
  SEED_REFUSED: 'SEED_REFUSED',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatusOf: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PURPOSE_REQUIRED: 403,
  RATE_LIMITED: 429,
  COST_LIMIT_EXCEEDED: 400,
  RESULT_TOO_LARGE: 400,
  AUDIT_UNAVAILABLE: 503,
  CREDENTIALS_UNAVAILABLE: 503,
  OPERATION_NOT_TRUSTED: 403,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  DOCUMENT_TOO_LARGE: 400,
  CONFIG_INVALID: 500,
  DATABASE_UNAVAILABLE: 503,
  DATA_DIRECTORY_LOCKED: 503,
  MIGRATION_FAILED: 500,
  SEED_FAILED: 500,
  SEED_REFUSED: 409,
  SUBGRAPH_UNAVAILABLE: 502,
  SUBGRAPH_TIMEOUT: 504,
  REQUEST_TIMEOUT: 504,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  /** Further facts for a GraphQL answer's `extensions`, e.g. which subgraph. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; extensions?: Record<string, unknown> }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = httpStatusOf[code];
    this.extensions = options?.extensions ?? {};
  }
}

/**
 * The error to throw from an Apollo plugin hook: Apollo takes the HTTP status
 * from `extensions.http`, and formatError keeps our message and code.
 */
export function asGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { ...error.extensions, code: error.code, http: { status: error.httpStatus } },
  });
}

export const badUserInput = (message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message);

/** A message for any thrown value: ours carry their own, others get their class name. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

import { factsOf } from './request-log.js';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.js';
import type { EntityCache } from './cache/entity-cache.js';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { AppError, ErrorCode } from '../platform/errors.js';
import { callerHeader, encodeCaller } from '../platform/access/caller.js';
import { gatewayHeaders } from '../platform/access/signing.js';
import { defaultSubgraphTimeoutMs } from './config.js';
import { countObjects, resultTooLarge } from './plugins/result-size.js';
import { requestSignal } from './request-deadline.js';
import { SubgraphBreaker, type BreakerOptions, type CircuitState } from './subgraph-breaker.js';

/**
 * The one way the gateway reaches a subgraph. Headers, signing, entity caching
 * and error mapping for subgraph calls belong here and nowhere else.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  readonly subgraphName: string;

  readonly #entityCache: EntityCache | undefined;

  readonly #onFetch: ((subgraph: string, outcome: 'ok' | 'failed', seconds: number) => void) | undefined;

  readonly #timeoutMs: number;

  readonly #resultObjectLimit: number;

  readonly #breaker: SubgraphBreaker | undefined;

  constructor(options: {
    name: string;
    url: string;
    signingSecret: string;
    entityCache?: EntityCache;
    /** Told of every fetch that reaches the subgraph, for the metrics. */
    onFetch?: (subgraph: string, outcome: 'ok' | 'failed', seconds: number) => void;
    /** Deadline of each fetch, answer body included (SUBGRAPH_TIMEOUT_MS); there is always one. */
    timeoutMs?: number;
    /** Objects one operation may produce across its fetches; past it, fetching stops (0: no limit). */
    resultObjectLimit?: number;
    /** A circuit breaker in front of the subgraph; none: every call is tried. */
    breaker?: BreakerOptions;
  }) {
    const timeoutMs = options.timeoutMs ?? defaultSubgraphTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new RangeError(`A subgraph fetch needs a deadline of at least 1 ms, not ${timeoutMs}`);
    super({ url: options.url, fetcher: signingFetcher(options.signingSecret, timeoutMs) });
    this.#timeoutMs = timeoutMs;
    this.subgraphName = options.name;
    this.#entityCache = options.entityCache;
    this.#onFetch = options.onFetch;
    this.#resultObjectLimit = options.resultObjectLimit ?? 0;
    this.#breaker = options.breaker ? new SubgraphBreaker(options.name, isOutage, options.breaker) : undefined;
  }

  /** The circuit breaker's state: open while the gateway has stopped calling this subgraph. */
  get circuit(): CircuitState {
    return this.#breaker?.state ?? 'closed';
  }

  shutdown(): void {
    this.#breaker?.shutdown();
  }

  /** Every subgraph call carries the caller, so the subgraph checks access again for the same person. */
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]): void {
    const { caller } = context as Partial<GatewayContext>;
    if (caller) request.http?.headers.set(callerHeader, encodeCaller(caller));
  }

  /**
   * A subgraph that answers with an HTTP error. Apollo's default puts the
   * subgraph's URL, status and body in the error's extensions, which would hand
   * internal addresses and error texts to clients. A GraphQL refusal from our
   * own subgraph (its message and code are already fit for clients) keeps its
   * message and code; anything else is told as the status alone.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<never> {
    const extensions = { serviceName: this.subgraphName };
    const refusal = graphQLRefusalIn(await response.text().catch(() => ''));
    if (refusal) throw new GraphQLError(refusal.message, { extensions: { ...extensions, code: refusal.code } });
    throw new AppError(
      ErrorCode.SUBGRAPH_UNAVAILABLE,
      `The ${this.subgraphName} subgraph answered HTTP ${response.status}; its fields are null`,
      { extensions },
    );
  }

  /**
   * A subgraph that cannot be reached, or does not answer in time, fails only
   * the fields it owns: the answer keeps the other subgraphs' data and says
   * which subgraph was missing.
   */
  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const context = options.context as Partial<GatewayContext>;
    // What the answer depends on, for the response cache's invalidation.
    context.servedBy?.add(this.subgraphName);
    const limit = this.#resultObjectLimit;
    const produced = context.produced;
    // An operation that has outgrown its limit fetches nothing more; its answer will be discarded.
    if (limit > 0 && produced && produced.objects > limit) throw resultTooLarge(produced.objects, limit);
    const breaker = this.#breaker;
    const fetch = (request: GraphQLDataSourceProcessOptions) => (breaker ? breaker.run(() => fetchOnce(request)) : fetchOnce(request));
    // Each fetch that reaches the subgraph: for the metrics, and for the request's log line.
    const timed = (outcome: 'ok' | 'failed', started: number) => {
      const seconds = (performance.now() - started) / 1000;
      this.#onFetch?.(this.subgraphName, outcome, seconds);
      if (context.caller)
        factsOf(context.caller.requestId).subgraphs.push({ name: this.subgraphName, ms: Math.round(seconds * 10_000) / 10, outcome });
    };
    const fetchOnce = async (request: GraphQLDataSourceProcessOptions) => {
      const started = performance.now();
      try {
        const result = await super.process(request);
        timed('ok', started);
        return result;
      } catch (error) {
        timed('failed', started);
        throw error;
      }
    };
    try {
      const result = this.#entityCache ? await this.#entityCache.fetch(this.subgraphName, options, fetch) : await fetch(options);
      if (produced) produced.objects += countObjects(result.data);
      if (limit > 0 && produced && produced.objects > limit) throw resultTooLarge(produced.objects, limit);
      return result;
    } catch (error) {
      if (error instanceof AppError || !isNetworkFailure(error)) throw error;
      const request = requestSignal();
      if (request?.aborted) throw request.reason;
      const extensions = { serviceName: this.subgraphName };
      if (isTimeout(error)) {
        throw new AppError(
          ErrorCode.SUBGRAPH_TIMEOUT,
          `The ${this.subgraphName} subgraph did not answer within ${this.#timeoutMs} ms; its fields are null`,
          { cause: error, extensions },
        );
      }
      throw new AppError(
        ErrorCode.SUBGRAPH_UNAVAILABLE,
        `The ${this.subgraphName} subgraph is unavailable (${networkReason(error)}); its fields are null`,
        { cause: error, extensions },
      );
    }
  }
}

/** The first error of a GraphQL answer body, when it has a message and a code. */
function graphQLRefusalIn(body: string): { message: string; code: string } | undefined {
  try {
    const [first] = (JSON.parse(body) as { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> }).errors ?? [];
    if (typeof first?.message === 'string' && typeof first.extensions?.code === 'string')
      return { message: first.message, code: first.extensions.code };
  } catch {
    // Not JSON: told as the status alone.
  }
  return undefined;
}

/** What says the subgraph itself is failing: unreachable, past its deadline, or an HTTP error; not a refusal or a cancelled request. */
function isOutage(error: unknown): boolean {
  if (error instanceof AppError) return error.code === ErrorCode.SUBGRAPH_UNAVAILABLE || error.code === ErrorCode.SUBGRAPH_TIMEOUT;
  return isNetworkFailure(error);
}

/** Node's fetch fails with a TypeError whose cause carries the socket's error code. */
function isNetworkFailure(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  if (name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError') return true;
  return [code, (error as { cause?: { code?: string } }).cause?.code].some(
    (candidate) => typeof candidate === 'string' && /^(E[A-Z]+|UND_ERR)/.test(candidate),
  );
}

/** A hung subgraph: AbortSignal.timeout rejects the fetch, or its body, with a TimeoutError. */
function isTimeout(error: unknown): boolean {
  return (error as { name?: string }).name === 'TimeoutError' || (error as { cause?: { name?: string } }).cause?.name === 'TimeoutError';
}

function networkReason(error: unknown): string {
  const { code, message, cause } = error as { code?: string; message?: string; cause?: { code?: string } };
  return code ?? cause?.code ?? message ?? 'no answer';
}

/**
 * Signs the exact bytes sent, with the time and the forwarded caller, at the
 * last moment before they leave. Node's fetch keeps connections alive per
 * subgraph origin. Every fetch has a deadline: undici's own (300 s) would let a
 * hung agency hold every request that touches it.
 */
function signingFetcher(secret: string, timeoutMs: number): RemoteGraphQLDataSource['fetcher'] {
  return (async (url: string, init: { headers?: Record<string, string>; body?: string; method?: string; signal?: AbortSignal }) => {
    const headers = { ...init.headers, ...gatewayHeaders(secret, init.headers?.[callerHeader] ?? '', init.body ?? '') };
    // Its own deadline, and the request's: a request past REQUEST_TIMEOUT_MS cancels what it still waits for.
    const signals = [AbortSignal.timeout(timeoutMs), init.signal, requestSignal()].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    const signal = AbortSignal.any(signals);
    try {
      return await fetch(url, { ...init, headers, signal });
    } catch (error) {
      // A kept-alive connection the subgraph closed just as this request went out on it: the request was
      // never answered, and the gateway only sends queries, so it is sent once more, on a new connection.
      if (!isConnectionReset(error) || signal.aborted) throw error;
      return fetch(url, { ...init, headers, signal });
    }
  }) as unknown as RemoteGraphQLDataSource['fetcher'];
}

/** The socket was reset or closed by the peer before an answer came. */
function isConnectionReset(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

import CircuitBreaker from 'opossum';
import { AppError, ErrorCode } from '../platform/errors.js';

export interface BreakerOptions {
  /** How long the gateway stops calling a failing subgraph before trying again (ms). */
  readonly resetMs: number;
  /** Failures out of the calls of the last 10 s, in per cent, that open the circuit. */
  readonly errorPercentage?: number;
  /** Calls in the window before the circuit may open at all: one failure is not an outage. */
  readonly volumeThreshold?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker in front of one subgraph (opossum): while the subgraph
 * keeps failing (unreachable, timing out, answering HTTP errors), the gateway
 * stops calling it for `resetMs` and fails its fields at once, instead of
 * making every request wait out a deadline; then one call is let through, and
 * its outcome closes or reopens the circuit. GraphQL refusals and requests
 * cancelled by their own deadline say nothing about the subgraph and do not count.
 */
export class SubgraphBreaker {
  readonly #breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    private readonly subgraph: string,
    isOutage: (error: unknown) => boolean,
    private readonly options: BreakerOptions,
  ) {
    this.#breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
      // Deadlines are the data source's own (SUBGRAPH_TIMEOUT_MS, REQUEST_TIMEOUT_MS).
      timeout: false,
      resetTimeout: options.resetMs,
      errorThresholdPercentage: options.errorPercentage ?? 50,
      volumeThreshold: options.volumeThreshold ?? 5,
      rollingCountTimeout: 10_000,
      errorFilter: (error: unknown) => !isOutage(error),
    });
  }

  get state(): CircuitState {
    if (this.#breaker.opened) return 'open';
    if (this.#breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Runs `work` unless the circuit is open, in which case it fails at once with SUBGRAPH_UNAVAILABLE. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.#breaker.fire(work)) as T;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EOPENBREAKER') throw error;
      throw new AppError(
        ErrorCode.SUBGRAPH_UNAVAILABLE,
        `The ${this.subgraph} subgraph has been failing; the gateway is not calling it for up to ${Math.ceil(this.options.resetMs / 1000)} s (circuit open); its fields are null`,
        { extensions: { serviceName: this.subgraph, circuit: 'open' } },
      );
    }
  }

  shutdown(): void {
    this.#breaker.shutdown();
  }
}

import type autocannon from 'autocannon';

/** What a load generator reports of one run, as the benchmarks record it. */
export interface LoadResult {
  readonly seconds?: number;
  readonly requestsPerSecond: number;
  readonly completed: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
}

/** An autocannon result in the benchmarks' terms: a completed request is any answered one, 2xx or not. */
export function loadResultOf(result: autocannon.Result): LoadResult {
  return {
    requestsPerSecond: result.requests.average,
    completed: result['2xx'] + result.non2xx,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    seconds: result.duration,
  };
}

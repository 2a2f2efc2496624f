import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError, ErrorCode } from '../platform/errors.js';

/**
 * The deadline of the request being executed, reachable from code deep in
 * @apollo/gateway's execution (the subgraph fetcher) that is not handed the
 * request: every fetch made for a request is cancelled when its deadline
 * passes, through the AbortSignal kept here.
 */
const current = new AsyncLocalStorage<AbortSignal>();

/** The signal of the request whose work is running now; undefined outside one. */
export function requestSignal(): AbortSignal | undefined {
  return current.getStore();
}

export function requestTimedOut(timeoutMs: number): AppError {
  return new AppError(
    ErrorCode.REQUEST_TIMEOUT,
    `The request was not answered within ${timeoutMs} ms and was stopped: ask for less, or try again later`,
    {
      extensions: { timeoutMs },
    },
  );
}

/**
 * Runs `work` with a deadline of `timeoutMs`: when it passes, the signal
 * aborts (cancelling the subgraph fetches in flight) and REQUEST_TIMEOUT is
 * thrown at once, whatever `work` is still waiting for.
 */
export async function withDeadline<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // Made only when the deadline passes: an error's stack trace costs more than a cached answer does.
      const timedOut = requestTimedOut(timeoutMs);
      controller.abort(timedOut);
      reject(timedOut);
    }, timeoutMs);
  });
  const running = current.run(controller.signal, work);
  // Work that ends after the deadline ends unobserved.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
